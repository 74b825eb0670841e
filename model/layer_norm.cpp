#include "model/errors.hpp"
#include "model/norms.hpp"

namespace actsweep::model {

LayerNorm::LayerNorm(int units, double epsilon, std::string name)
    : name_(std::move(name)), epsilon_(static_cast<Scalar>(epsilon)) {
  if (units < 1) throw ConfigError(name_ + ": units must be >= 1, got " + std::to_string(units));
  gamma_ = Matrix::Ones(units, 1);
  gammaGrad_ = Matrix::Zero(units, 1);
  beta_ = Matrix::Zero(units, 1);
  betaGrad_ = Matrix::Zero(units, 1);
}

void LayerNorm::forward(const Matrix& x, Matrix& y) {
  mean_ = x.colwise().mean();
  normalized_ = x.rowwise() - mean_;
  variance_ = normalized_.array().square().colwise().mean();
  invStd_ = (variance_.array() + epsilon_).rsqrt();
  normalized_.array().rowwise() *= invStd_.array();
  y = (normalized_.array().colwise() * gamma_.col(0).array()).colwise() + beta_.col(0).array();
}

void LayerNorm::backward(const Matrix& dy, Matrix* dx) {
  gammaGrad_.col(0) += (dy.array() * normalized_.array()).rowwise().sum().matrix();
  betaGrad_.col(0) += dy.rowwise().sum();
  if (!dx) return;
  // Statistics run over the units of one sample: sums go down each column.
  const Scalar n = static_cast<Scalar>(dy.rows());
  dxhat_ = dy.array().colwise() * gamma_.col(0).array();
  sumDxhat_ = dxhat_.colwise().sum();
  sumDxhatXhat_ = (dxhat_.array() * normalized_.array()).colwise().sum();
  *dx = ((n * dxhat_.array()).rowwise() - sumDxhat_.array() -
         normalized_.array().rowwise() * sumDxhatXhat_.array())
            .rowwise() *
        (invStd_.array() / n);
}

std::vector<Param> LayerNorm::params() {
  return {{name_ + ".gamma", &gamma_, &gammaGrad_, ParamRole::NormScale},
          {name_ + ".beta", &beta_, &betaGrad_, ParamRole::NormShift}};
}

std::string LayerNorm::describe() const { return "layer_norm(units=" + std::to_string(gamma_.rows()) + ")"; }

}  // namespace actsweep::model
