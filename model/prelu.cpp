#include "model/format.hpp"
#include "model/prelu.hpp"

#include <cmath>

#include "model/errors.hpp"

namespace actsweep::model {

Prelu::Prelu(int units, double initialSlope, std::string name)
    : name_(std::move(name)), initialSlope_(initialSlope) {
  if (units < 1) throw ConfigError(name_ + ": units must be >= 1, got " + std::to_string(units));
  if (!std::isfinite(initialSlope))
    throw ConfigError(name_ + ": initial slope (alpha) must be finite, got " + formatNumber(initialSlope));
  slope_ = Matrix::Constant(units, 1, static_cast<Scalar>(initialSlope));
  slopeGrad_ = Matrix::Zero(units, 1);
}

void Prelu::forward(const Matrix& x, Matrix& y) {
  input_ = &x;
  const auto slopes = slope_.col(0).array();
  y = (x.array() > 0).select(x.array(), x.array().colwise() * slopes);
}

void Prelu::backward(const Matrix& dy, Matrix* dx) {
  const auto positive = input_->array() > 0;
  slopeGrad_.col(0).array() += positive.select(Scalar(0), dy.array() * input_->array()).rowwise().sum();
  if (dx) *dx = positive.select(dy.array(), dy.array().colwise() * slope_.col(0).array());
}

std::vector<Param> Prelu::params() { return {{name_ + ".slope", &slope_, &slopeGrad_, ParamRole::Slope}}; }

std::string Prelu::describe() const {
  return "prelu(units=" + std::to_string(slope_.rows()) + ", alpha0=" + formatNumber(initialSlope_) + ")";
}

}  // namespace actsweep::model
