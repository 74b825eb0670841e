#include "model/optimizers.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "model/format.hpp"

namespace actsweep::model {
namespace {

// Written as !(in range) so that NaN fails every check.
void requireUnitInterval(double value, const char* what) {
  if (!(value >= 0.0 && value < 1.0))
    throw ConfigError(std::string("optimizer: ") + what + " " + formatNumber(value) +
                      " is out of range (allowed: 0 <= " + what + " < 1)");
}

// torch.optim.SGD, with dampening 0. Per parameter, on step t:
//   g = grad + wd * w                   (L2 term; wd = 0 unless role Weight)
//   if mu != 0:
//     v = g                 on t = 1    (PyTorch's momentum_buffer)
//     v = mu * v + g        on t > 1
//     g = nesterov ? g + mu * v : v
//   w = w - lr * g
// v starts at 0, so mu * v + g already gives v = g on t = 1 (exactly, in
// float too): one formula covers both steps.
class Sgd final : public Optimizer {
 public:
  Sgd(std::vector<Param> params, const OptimizerConfig& config)
      : Optimizer(std::move(params)),
        momentum_(static_cast<Scalar>(config.momentum)),
        weightDecay_(config.weightDecay),
        nesterov_(config.nesterov) {
    if (momentum_ != 0) {
      velocity_.reserve(params_.size());
      for (const Param& param : params_)
        velocity_.push_back(Matrix::Zero(param.value->rows(), param.value->cols()));
    }
  }

  void step(double learningRate) override {
    const Scalar lr = static_cast<Scalar>(learningRate);
    const Scalar mu = momentum_;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const Param& param = params_[i];
      const Scalar wd = decays(param) ? static_cast<Scalar>(weightDecay_) : Scalar(0);
      auto w = param.value->array();
      // Lazy expression, evaluated coefficient by coefficient with the w of
      // this step: every read of w(k) below happens before the write of w(k).
      const auto g = param.grad->array() + wd * w;
      if (mu == 0) {
        w -= lr * g;
        continue;
      }
      auto v = velocity_[i].array();
      v = mu * v + g;
      if (nesterov_)
        w -= lr * (g + mu * v);
      else
        w -= lr * v;
    }
  }

 private:
  Scalar momentum_;
  double weightDecay_;
  bool nesterov_;
  std::vector<Matrix> velocity_;  // v, index-aligned with params_; empty without momentum
};

// torch.optim.Adam (decoupled = false) and torch.optim.AdamW (decoupled =
// true), without amsgrad. Per parameter, on step t = 1, 2, ...:
//   adamw:  w = w - lr * wd * w         (decoupled decay, before the update)
//   adam:   g = grad + wd * w           (L2 term)      adamw: g = grad
//   m = b1 * m + (1 - b1) * g
//   v = b2 * v + (1 - b2) * g^2
//   mhat = m / (1 - b1^t),  vhat = v / (1 - b2^t)
//   w = w - lr * mhat / (sqrt(vhat) + eps)
// with wd = 0 unless role Weight. The last line is computed as
//   w = w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps),
// the same value with the bias corrections folded into two scalars.
class Adam final : public Optimizer {
 public:
  Adam(std::vector<Param> params, const OptimizerConfig& config, bool decoupled)
      : Optimizer(std::move(params)),
        beta1_(config.beta1),
        beta2_(config.beta2),
        epsilon_(static_cast<Scalar>(config.epsilon)),
        weightDecay_(config.weightDecay),
        decoupled_(decoupled) {
    firstMoment_.reserve(params_.size());
    secondMoment_.reserve(params_.size());
    for (const Param& param : params_) {
      firstMoment_.push_back(Matrix::Zero(param.value->rows(), param.value->cols()));
      secondMoment_.push_back(Matrix::Zero(param.value->rows(), param.value->cols()));
    }
  }

  void step(double learningRate) override {
    ++stepCount_;
    // The bias corrections in double: b2^t for b2 = 0.999 needs the precision.
    const double t = static_cast<double>(stepCount_);
    const double biasCorrection1 = 1.0 - std::pow(beta1_, t);
    const double biasCorrection2 = 1.0 - std::pow(beta2_, t);
    const Scalar stepSize = static_cast<Scalar>(learningRate / biasCorrection1);
    const Scalar inverseSqrtCorrection2 = static_cast<Scalar>(1.0 / std::sqrt(biasCorrection2));
    const Scalar b1 = static_cast<Scalar>(beta1_), oneMinusB1 = static_cast<Scalar>(1.0 - beta1_);
    const Scalar b2 = static_cast<Scalar>(beta2_), oneMinusB2 = static_cast<Scalar>(1.0 - beta2_);

    for (std::size_t i = 0; i < params_.size(); ++i) {
      const Param& param = params_[i];
      const double wd = decays(param) ? weightDecay_ : 0.0;
      auto w = param.value->array();
      Scalar l2 = 0;
      if (!decoupled_)
        l2 = static_cast<Scalar>(wd);
      else if (wd != 0.0)
        w *= static_cast<Scalar>(1.0 - learningRate * wd);
      // Lazy: uses w as it is now, before the update at the end of the loop.
      const auto g = param.grad->array() + l2 * w;
      auto m = firstMoment_[i].array();
      auto v = secondMoment_[i].array();
      m = b1 * m + oneMinusB1 * g;
      v = b2 * v + oneMinusB2 * g.square();
      w -= stepSize * m / (v.sqrt() * inverseSqrtCorrection2 + epsilon_);
    }
  }

 private:
  double beta1_, beta2_;
  Scalar epsilon_;
  double weightDecay_;
  bool decoupled_;
  std::int64_t stepCount_ = 0;        // t of the last step; one count for all params
  std::vector<Matrix> firstMoment_;   // m, index-aligned with params_
  std::vector<Matrix> secondMoment_;  // v, index-aligned with params_
};

}  // namespace

const NameTable<OptimizerKind>& optimizerNames() {
  static const NameTable<OptimizerKind> table = {
      {"sgd", OptimizerKind::Sgd},
      {"adam", OptimizerKind::Adam},
      {"adamw", OptimizerKind::AdamW},
  };
  return table;
}

OptimizerKind parseOptimizer(std::string_view text) { return parseName(optimizerNames(), text, "optimizer"); }

void validate(const OptimizerConfig& config) {
  requireUnitInterval(config.momentum, "momentum");
  if (config.nesterov && !(config.momentum > 0.0))
    throw ConfigError("optimizer: nesterov needs momentum > 0, got momentum " +
                      formatNumber(config.momentum) +
                      " (allowed: nesterov with 0 < momentum < 1, or nesterov off)");
  requireUnitInterval(config.beta1, "beta1");
  requireUnitInterval(config.beta2, "beta2");
  if (!(std::isfinite(config.epsilon) && config.epsilon > 0.0))
    throw ConfigError("optimizer: epsilon " + formatNumber(config.epsilon) +
                      " is out of range (allowed: finite and > 0, e.g. 1e-8)");
  if (!(std::isfinite(config.weightDecay) && config.weightDecay >= 0.0))
    throw ConfigError("optimizer: weight decay " + formatNumber(config.weightDecay) +
                      " is out of range (allowed: finite and >= 0)");
}

Optimizer::Optimizer(std::vector<Param> params) : params_(std::move(params)) {
  for (const Param& param : params_) {
    if (param.value == nullptr || param.grad == nullptr)
      throw std::invalid_argument("Optimizer: param '" + param.name + "' has a null value or gradient");
    if (param.value->rows() != param.grad->rows() || param.value->cols() != param.grad->cols())
      throw std::invalid_argument("Optimizer: param '" + param.name + "' has value " + shapeOf(*param.value) +
                                  " but gradient " + shapeOf(*param.grad));
  }
}

void Optimizer::zeroGrad() {
  for (const Param& param : params_) param.grad->setZero();
}

std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config, std::vector<Param> params) {
  validate(config);
  switch (config.kind) {
    case OptimizerKind::Sgd:
      return std::make_unique<Sgd>(std::move(params), config);
    case OptimizerKind::Adam:
      return std::make_unique<Adam>(std::move(params), config, /*decoupled=*/false);
    case OptimizerKind::AdamW:
      return std::make_unique<Adam>(std::move(params), config, /*decoupled=*/true);
  }
  throw ConfigError("optimizer: unknown kind (allowed: " + joinNames(optimizerNames()) + ")");
}

double clipGradientNorm(const std::vector<Param>& params, double maxNorm) {
  // Each parameter's squares are summed by Eigen's vectorized tree reduction
  // in Scalar (relative error ~1e-6 in float, ample for a threshold); the
  // per-parameter sums are added in double.
  double sumOfSquares = 0.0;
  for (const Param& param : params) sumOfSquares += static_cast<double>(param.grad->squaredNorm());
  const double norm = std::sqrt(sumOfSquares);
  if (maxNorm > 0.0 && norm > maxNorm) {
    const Scalar scale = static_cast<Scalar>(maxNorm / norm);
    for (const Param& param : params) *param.grad *= scale;
  }
  return norm;
}

}  // namespace actsweep::model
