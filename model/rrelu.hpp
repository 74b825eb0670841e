#pragma once
#include "model/layer.hpp"
#include "model/random.hpp"

namespace actsweep::model {

// Randomized leaky ReLU (Xu et al. 2015):
//   training: f(x) = x if x >= 0 else a x, with a fresh a ~ U[lower, upper] per element
//   eval:     the same with the mean slope a = (lower + upper) / 2
//   dx = dy * (1 if x >= 0 else a), with the slope used in forward.
// The slopes come from the run's RNG, so a run is reproducible from its seed.
class Rrelu : public Layer {
 public:
  Rrelu(double lower, double upper, Rng& rng);

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::string describe() const override;

 private:
  double lower_, upper_;
  Rng* rng_;
  Matrix slopes_;  // (units x B): the slope of each element in the last forward
  const Matrix* input_ = nullptr;
};

}  // namespace actsweep::model
