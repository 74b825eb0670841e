#pragma once
// The layer contract (see docs/model.md):
//  - forward(x, y) computes y from x and caches what backward needs. It keeps
//    pointers to x and y instead of copies: both must stay alive and unchanged
//    until backward (the Network owns them as per-layer buffers).
//  - backward(dy, dx) writes dx = dLoss/dx (skipped when dx is null, e.g. for
//    the first layer) and ACCUMULATES the parameter gradients (+=), so zeroing
//    them is an explicit step of the training loop.
//  - params() lists (name, value, gradient) with value and gradient side by side.

#include <string>
#include <vector>

#include "model/tensor.hpp"

namespace actsweep::model {

enum class ParamRole {
  Weight,     // dense weights: the only parameters weight decay applies to
  Bias,       // dense biases
  Slope,      // learned PReLU slopes
  NormScale,  // batch/layer norm gamma
  NormShift,  // batch/layer norm beta
};

struct Param {
  std::string name;  // e.g. "dense1.weight"
  Matrix* value;
  Matrix* grad;  // same shape as value
  ParamRole role;
};

class Layer {
 public:
  virtual ~Layer() = default;

  // x: (inputs x batch) -> y: (outputs x batch).
  virtual void forward(const Matrix& x, Matrix& y) = 0;
  // dy: (outputs x batch) -> dx: (inputs x batch), or nullptr to skip it.
  virtual void backward(const Matrix& dy, Matrix* dx) = 0;

  virtual std::vector<Param> params() { return {}; }
  virtual std::string describe() const = 0;

  // Training mode (the default) vs evaluation mode: dropout, rrelu and batch
  // norm behave differently in each.
  virtual void setTraining(bool training) { training_ = training; }
  bool training() const { return training_; }

 protected:
  bool training_ = true;
};

}  // namespace actsweep::model
