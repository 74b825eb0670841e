#pragma once
// Normalization layers, placed after a dense layer and before its activation.
//
// Both normalize, then scale and shift with learned per-unit gamma and beta:
//   xhat = (x - mean) / sqrt(var + eps),   y = gamma * xhat + beta
// They differ in what the statistics run over (x is (units x B)):
//   batch: per unit (row), over the batch; eval uses running statistics.
//   layer: per sample (column), over the units; train and eval are the same.
// Backward, with N the count the statistics run over and sums over the same axis:
//   dxhat = dy * gamma
//   dx    = (1 / (N sqrt(var + eps))) * (N dxhat - sum(dxhat) - xhat sum(dxhat xhat))
//   dgamma += sum over the batch of dy * xhat,  dbeta += sum over the batch of dy

#include <memory>
#include <string>
#include <string_view>

#include "model/layer.hpp"
#include "model/names.hpp"

namespace actsweep::model {

enum class Norm { None, Batch, Layer };

const NameTable<Norm>& normNames();
Norm parseNorm(std::string_view name);
inline std::string_view normName(Norm n) { return nameOf(normNames(), n); }

struct NormConfig {
  Norm kind = Norm::None;
  double momentum = 0.1;  // batch: running = (1 - momentum) running + momentum batch (PyTorch's convention)
  double epsilon = 1e-5;
};

void validate(const NormConfig& config);  // momentum in [0, 1], epsilon > 0

// nullptr for Norm::None.
std::unique_ptr<Layer> makeNorm(const NormConfig& config, int units, std::string name);

class BatchNorm : public Layer {
 public:
  BatchNorm(int units, double momentum, double epsilon, std::string name = "batch_norm");

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param> params() override;
  std::string describe() const override;

  const Vector& runningMean() const { return runningMean_; }
  const Vector& runningVar() const { return runningVar_; }

 private:
  std::string name_;
  double momentum_;
  Scalar epsilon_;
  Matrix gamma_, gammaGrad_, beta_, betaGrad_;  // (units x 1)
  Vector runningMean_, runningVar_;             // (units); var is the unbiased batch variance
  Matrix normalized_;                           // xhat, (units x B)
  Vector invStd_;                               // 1 / sqrt(var + eps), (units)
  // Per-batch work vectors, (units): members so that no step allocates.
  Vector mean_, variance_, sumDy_, sumDyXhat_, scale_;
};

class LayerNorm : public Layer {
 public:
  LayerNorm(int units, double epsilon, std::string name = "layer_norm");

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param> params() override;
  std::string describe() const override;

 private:
  std::string name_;
  Scalar epsilon_;
  Matrix gamma_, gammaGrad_, beta_, betaGrad_;  // (units x 1)
  Matrix normalized_;                           // xhat, (units x B)
  RowVector invStd_;                            // per sample, (B)
  // Per-batch work, members so that no step allocates: dxhat = gamma dy
  // (units x B); the per-sample statistics and sums, (B).
  Matrix dxhat_;
  RowVector mean_, variance_, sumDxhat_, sumDxhatXhat_;
};

}  // namespace actsweep::model
