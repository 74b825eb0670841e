#pragma once
#include "model/layer.hpp"

namespace actsweep::model {

// Parametric ReLU (He et al. 2015), one learned slope a_j per unit j:
//   f(x_ij) = x_ij if x_ij > 0 else a_j x_ij
//   dx_ij   = dy_ij * (1 if x_ij > 0 else a_j)
//   da_j   += sum over the batch i of dy_ij * min(x_ij, 0)
// slope: (units x 1), x and y: (units x B). Weight decay never applies to a_j.
class Prelu : public Layer {
 public:
  Prelu(int units, double initialSlope, std::string name = "prelu");

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param> params() override;
  std::string describe() const override;

  const Matrix& slope() const { return slope_; }
  double meanSlope() const { return slope_.mean(); }

 private:
  std::string name_;
  double initialSlope_;
  Matrix slope_, slopeGrad_;  // (units x 1)
  const Matrix* input_ = nullptr;
};

}  // namespace actsweep::model
