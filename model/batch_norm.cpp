#include <cmath>

#include "model/errors.hpp"
#include "model/format.hpp"
#include "model/norms.hpp"

namespace actsweep::model {

BatchNorm::BatchNorm(int units, double momentum, double epsilon, std::string name)
    : name_(std::move(name)), momentum_(momentum), epsilon_(static_cast<Scalar>(epsilon)) {
  if (units < 1) throw ConfigError(name_ + ": units must be >= 1, got " + std::to_string(units));
  gamma_ = Matrix::Ones(units, 1);
  gammaGrad_ = Matrix::Zero(units, 1);
  beta_ = Matrix::Zero(units, 1);
  betaGrad_ = Matrix::Zero(units, 1);
  runningMean_ = Vector::Zero(units);
  runningVar_ = Vector::Ones(units);
}

void BatchNorm::forward(const Matrix& x, Matrix& y) {
  const Eigen::Index batch = x.cols();
  if (training_) {
    mean_ = x.rowwise().mean();
    normalized_ = x.colwise() - mean_;
    variance_ = normalized_.array().square().rowwise().mean();  // biased, used to normalize
    invStd_ = (variance_.array() + epsilon_).rsqrt();
    normalized_.array().colwise() *= invStd_.array();
    // The running variance is the unbiased estimate, as PyTorch keeps it.
    const Scalar unbias = batch > 1 ? Scalar(batch) / Scalar(batch - 1) : Scalar(1);
    const auto momentum = static_cast<Scalar>(momentum_);
    runningMean_ = (1 - momentum) * runningMean_ + momentum * mean_;
    runningVar_ = (1 - momentum) * runningVar_ + (momentum * unbias) * variance_;
  } else {
    invStd_ = (runningVar_.array() + epsilon_).rsqrt();
    normalized_ = (x.colwise() - runningMean_).array().colwise() * invStd_.array();
  }
  y = (normalized_.array().colwise() * gamma_.col(0).array()).colwise() + beta_.col(0).array();
}

void BatchNorm::backward(const Matrix& dy, Matrix* dx) {
  // Per unit, over the batch: sum dy and sum dy xhat are the gradients of
  // beta and gamma, and in training mode also terms of dx.
  sumDy_ = dy.rowwise().sum();
  sumDyXhat_ = (dy.array() * normalized_.array()).rowwise().sum();
  gammaGrad_.col(0) += sumDyXhat_;
  betaGrad_.col(0) += sumDy_;
  if (!dx) return;
  scale_ = gamma_.col(0).cwiseProduct(invStd_);  // gamma / sqrt(var + eps)
  if (!training_) {                              // running statistics are constants
    *dx = dy.array().colwise() * scale_.array();
    return;
  }
  const Scalar n = static_cast<Scalar>(dy.cols());
  // dx = gamma invStd / N (N dy - sum dy - xhat sum(dy xhat))  (dxhat = gamma dy, gamma per row)
  *dx = ((n * dy.array()).colwise() - sumDy_.array() - normalized_.array().colwise() * sumDyXhat_.array())
            .colwise() *
        (scale_.array() / n);
}

std::vector<Param> BatchNorm::params() {
  return {{name_ + ".gamma", &gamma_, &gammaGrad_, ParamRole::NormScale},
          {name_ + ".beta", &beta_, &betaGrad_, ParamRole::NormShift}};
}

std::string BatchNorm::describe() const {
  return "batch_norm(units=" + std::to_string(gamma_.rows()) + ", momentum=" + formatNumber(momentum_) + ")";
}

}  // namespace actsweep::model
