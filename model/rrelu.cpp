#include "model/rrelu.hpp"

#include <string>

#include "model/format.hpp"

namespace actsweep::model {

Rrelu::Rrelu(double lower, double upper, Rng& rng) : lower_(lower), upper_(upper), rng_(&rng) {}

void Rrelu::forward(const Matrix& x, Matrix& y) {
  input_ = &x;
  slopes_.resize(x.rows(), x.cols());
  if (training_) {
    Scalar* slope = slopes_.data();
    for (Eigen::Index i = 0; i < slopes_.size(); ++i)
      slope[i] = static_cast<Scalar>(rng_->uniform(lower_, upper_));
  } else {
    slopes_.setConstant(static_cast<Scalar>((lower_ + upper_) / 2));
  }
  y = (x.array() >= 0).select(x.array(), x.array() * slopes_.array());
}

void Rrelu::backward(const Matrix& dy, Matrix* dx) {
  if (dx) *dx = (input_->array() >= 0).select(dy.array(), dy.array() * slopes_.array());
}

std::string Rrelu::describe() const {
  return "rrelu(lower=" + formatNumber(lower_) + ", upper=" + formatNumber(upper_) + ")";
}

}  // namespace actsweep::model
