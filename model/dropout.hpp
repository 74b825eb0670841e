#pragma once
#include "model/layer.hpp"
#include "model/random.hpp"

namespace actsweep::model {

// Inverted dropout with drop probability p:
//   training: m_ij = (u_ij >= p) / (1 - p), u ~ U[0, 1);  y = m * x;  dx = m * dy
//   eval:     y = x, dx = dy
// Scaling by 1/(1-p) in training keeps E[y] = x, so eval needs no rescaling.
// The mask comes from the run's RNG: a run is reproducible from its seed.
class Dropout : public Layer {
 public:
  Dropout(double dropProbability, Rng& rng);

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::string describe() const override;

 private:
  double dropProbability_;
  Rng* rng_;
  Matrix mask_;  // (units x B), the scaled mask of the last training forward
};

}  // namespace actsweep::model
