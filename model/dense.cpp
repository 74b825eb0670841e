#include "model/dense.hpp"

#include <string>

#include "model/errors.hpp"

namespace actsweep::model {

Dense::Dense(int inputs, int outputs, std::string name) : name_(std::move(name)) {
  if (inputs < 1 || outputs < 1)
    throw ConfigError(name_ + ": layer sizes must be >= 1, got " + std::to_string(inputs) + " -> " +
                      std::to_string(outputs));
  weight_ = Matrix::Zero(outputs, inputs);
  weightGrad_ = Matrix::Zero(outputs, inputs);
  bias_ = Matrix::Zero(outputs, 1);
  biasGrad_ = Matrix::Zero(outputs, 1);
}

void Dense::forward(const Matrix& x, Matrix& y) {
  input_ = &x;
  y.noalias() = weight_ * x;
  y.colwise() += bias_.col(0);
}

void Dense::backward(const Matrix& dy, Matrix* dx) {
  weightGrad_.noalias() += dy * input_->transpose();
  biasGrad_.col(0) += dy.rowwise().sum();
  if (dx) dx->noalias() = weight_.transpose() * dy;
}

std::vector<Param> Dense::params() {
  return {{name_ + ".weight", &weight_, &weightGrad_, ParamRole::Weight},
          {name_ + ".bias", &bias_, &biasGrad_, ParamRole::Bias}};
}

std::string Dense::describe() const {
  return name_ + "(" + std::to_string(inputs()) + " -> " + std::to_string(outputs()) + ")";
}

}  // namespace actsweep::model
