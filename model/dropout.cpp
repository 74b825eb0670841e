#include "model/dropout.hpp"

#include <cmath>
#include <string>

#include "model/errors.hpp"
#include "model/format.hpp"

namespace actsweep::model {

Dropout::Dropout(double dropProbability, Rng& rng) : dropProbability_(dropProbability), rng_(&rng) {
  if (!(dropProbability >= 0 && dropProbability < 1))
    throw ConfigError("dropout: probability must be in [0, 1), got " + formatNumber(dropProbability));
}

void Dropout::forward(const Matrix& x, Matrix& y) {
  if (!training_) {
    y = x;
    return;
  }
  const auto keepScale = static_cast<Scalar>(1 / (1 - dropProbability_));
  mask_.resize(x.rows(), x.cols());
  Scalar* mask = mask_.data();
  for (Eigen::Index i = 0; i < mask_.size(); ++i)
    mask[i] = rng_->uniform() >= dropProbability_ ? keepScale : Scalar(0);
  y = x.cwiseProduct(mask_);
}

void Dropout::backward(const Matrix& dy, Matrix* dx) {
  if (!dx) return;
  if (training_)
    *dx = dy.cwiseProduct(mask_);
  else
    *dx = dy;
}

std::string Dropout::describe() const { return "dropout(p=" + formatNumber(dropProbability_) + ")"; }

}  // namespace actsweep::model
