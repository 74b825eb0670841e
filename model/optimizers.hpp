#pragma once
// Optimizers: SGD (with optional momentum / Nesterov), Adam and AdamW, with
// the update rules of PyTorch's torch.optim.SGD / Adam / AdamW (the formulas
// are written next to each step() in optimizers.cpp), and global gradient-norm
// clipping.
//
// An optimizer holds the (value, grad) pointers of a parameter list and its
// own state (velocity, moments) index-aligned with that list, allocated in
// the constructor so that step() never allocates. The training loop is:
//   zeroGrad() -> forward -> backward (accumulates grads) -> [clip] -> step(lr)
//
// Weight decay applies only to parameters with ParamRole::Weight: decaying
// biases, PReLU slopes or norm gamma/beta would pull them towards 0, which is
// not a regularisation of the function but a change of it (a slope of 0 turns
// PReLU into ReLU, the very thing a sweep over activations compares).

#include <memory>
#include <string_view>
#include <vector>

#include "model/layer.hpp"
#include "model/names.hpp"

namespace actsweep::model {

enum class OptimizerKind { Sgd, Adam, AdamW };

const NameTable<OptimizerKind>& optimizerNames();  // sgd, adam, adamw
OptimizerKind parseOptimizer(std::string_view text);

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Sgd;
  double momentum = 0.0;                              // sgd only, in [0, 1)
  bool nesterov = false;                              // sgd only; requires momentum > 0
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam, adamw
  double weightDecay = 0.0;  // >= 0. sgd/adam: L2 added to the gradient; adamw: decoupled
};

// Throws ConfigError saying what is wrong and what is allowed. Every field is
// checked whatever the kind, so a bad value is caught even where it is unused.
void validate(const OptimizerConfig& config);

class Optimizer {
 public:
  // Throws std::invalid_argument if a param has a null pointer or a gradient
  // whose shape differs from its value's.
  explicit Optimizer(std::vector<Param> params);
  virtual ~Optimizer() = default;

  // State points into the params and is sized for them: copying an optimizer
  // would give two owners of one set of parameters.
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter from the accumulated gradients.
  virtual void step(double learningRate) = 0;
  void zeroGrad();
  const std::vector<Param>& params() const { return params_; }

 protected:
  // Weight decay applies to ParamRole::Weight only (see the top of this file).
  static bool decays(const Param& param) { return param.role == ParamRole::Weight; }

  std::vector<Param> params_;
};

// Validates the config, then builds the optimizer it names.
std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config, std::vector<Param> params);

// norm = sqrt(sum over all params of sum(grad^2)), accumulated in double.
// If maxNorm > 0 and norm > maxNorm, every gradient is scaled by maxNorm/norm,
// so the direction of the whole update is kept. Returns the norm before
// clipping (NaN or inf when the gradients are: nothing is scaled then, and the
// caller can report the divergence).
double clipGradientNorm(const std::vector<Param>& params, double maxNorm);

}  // namespace actsweep::model
