#pragma once
#include "model/layer.hpp"

namespace actsweep::model {

// Fully connected layer.
//   forward:  y = W x + b          W: (out x in), b: (out x 1), x: (in x B), y: (out x B)
//   backward: dW += dy x^T,  db += sum over the batch of dy,  dx = W^T dy
// Weights start at zero; an initializer (initializers.hpp) fills them.
class Dense : public Layer {
 public:
  Dense(int inputs, int outputs, std::string name = "dense");

  void forward(const Matrix& x, Matrix& y) override;
  void backward(const Matrix& dy, Matrix* dx) override;
  std::vector<Param> params() override;
  std::string describe() const override;

  int inputs() const { return static_cast<int>(weight_.cols()); }
  int outputs() const { return static_cast<int>(weight_.rows()); }
  Matrix& weight() { return weight_; }
  Matrix& bias() { return bias_; }
  const Matrix& weight() const { return weight_; }
  const Matrix& bias() const { return bias_; }
  const Matrix& weightGrad() const { return weightGrad_; }

 private:
  std::string name_;
  Matrix weight_, weightGrad_;  // (out x in)
  Matrix bias_, biasGrad_;      // (out x 1)
  const Matrix* input_ = nullptr;
};

}  // namespace actsweep::model
