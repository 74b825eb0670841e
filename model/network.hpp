#pragma once
// A feed-forward network built at run time from a plain config:
//
//   input -> [Dense -> Norm? -> Activation -> Dropout?] x hidden.size() -> Dense -> output
//
// The output layer has no activation: its outputs are logits for
// SoftmaxCrossEntropy or predictions for MeanSquaredError.

#include <memory>
#include <string>
#include <vector>

#include "model/activations.hpp"
#include "model/dense.hpp"
#include "model/initializers.hpp"
#include "model/layer.hpp"
#include "model/norms.hpp"
#include "model/random.hpp"

namespace actsweep::model {

struct NetworkConfig {
  int inputs = 0;
  std::vector<int> hidden;  // widths of the hidden layers, input side first
  int outputs = 0;
  ActivationConfig activation;
  InitConfig init;
  NormConfig norm;
  double dropout = 0.0;  // drop probability after each hidden activation, in [0, 1)
};

// Throws ConfigError naming the setting, the value and what is allowed.
void validate(const NetworkConfig& config);

class Network {
 public:
  // initRng draws the initial weights. noiseRng drives dropout masks and rrelu
  // slopes while training; the network keeps a reference, so it must outlive it.
  Network(const NetworkConfig& config, Rng& initRng, Rng& noiseRng);

  // x: (inputs x B) -> (outputs x B). x must stay alive until backward().
  const Matrix& forward(const Matrix& x);
  // dOutput: dLoss/dOutput (outputs x B). Accumulates every parameter gradient.
  void backward(const Matrix& dOutput);

  std::vector<Param> params();
  void zeroGrad();
  void setTraining(bool training);
  bool training() const { return training_; }
  std::string describe() const;
  const NetworkConfig& config() const { return config_; }

  // Hidden layer k (0-based), as seen by the last forward():
  int hiddenCount() const { return static_cast<int>(blocks_.size()); }
  const Matrix& preActivation(int k) const;  // the activation's input, (width_k x B)
  const Matrix& activation(int k) const;     // the activation's output, before dropout
  Dense& dense(int k);                       // the dense layer feeding hidden layer k
  Layer& activationLayer(int k);
  Dense& outputLayer();

 private:
  struct HiddenBlock {
    int dense;       // index into layers_
    int activation;  // index into layers_
  };

  NetworkConfig config_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<HiddenBlock> blocks_;
  std::vector<Matrix> outputs_;    // outputs_[i]: output of layers_[i]
  std::vector<Matrix> gradients_;  // gradients_[i]: dLoss/d(input of layers_[i+1])
  bool training_ = true;
};

}  // namespace actsweep::model
