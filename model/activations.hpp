#pragma once
// Activation functions. Every elementwise one is a functor with f(x) and
// f'(x) (given x and y = f(x), whichever is cheaper) run by one template,
// ElementwiseActivation; the two with state of their own have their own
// files: PReLU (learned slopes, prelu.hpp) and RReLU (random slopes, rrelu.hpp).

#include <memory>
#include <string>
#include <string_view>

#include "model/layer.hpp"
#include "model/names.hpp"
#include "model/random.hpp"

namespace actsweep::model {

enum class Activation { Relu, LeakyRelu, Prelu, Elu, Selu, Gelu, Silu, Tanh, Sigmoid, Softplus, Rrelu };

const NameTable<Activation>& activationNames();
Activation parseActivation(std::string_view name);
inline std::string_view activationName(Activation a) { return nameOf(activationNames(), a); }

// Whether `alpha` means something for this activation (leaky_relu: the
// negative slope, prelu: the initial slope, elu: the saturation value).
bool usesAlpha(Activation activation);

// Whether a unit counts as dead by its pre-activation (<= 0 on every probe
// sample: "would be dead without the leak") rather than by a zero output.
bool isLeakyFamily(Activation activation);

struct ActivationConfig {
  Activation kind = Activation::Relu;
  double alpha = 0.01;            // see usesAlpha()
  double rreluLower = 1.0 / 8.0;  // rrelu slope range while training (PyTorch's defaults)
  double rreluUpper = 1.0 / 3.0;
};

// Throws ConfigError for a non-finite alpha, a negative elu alpha, or an
// rrelu range that is not 0 <= lower <= upper.
void validate(const ActivationConfig& config);

// units: the layer width (PReLU learns one slope per unit).
// noise: the run's RNG for random slopes (rrelu); may be null for the others.
std::unique_ptr<Layer> makeActivation(const ActivationConfig& config, int units, Rng* noise,
                                      std::string name = "act");

// y = f(x) elementwise; dx = dy * f'(x).
template <class Function>
class ElementwiseActivation : public Layer {
 public:
  explicit ElementwiseActivation(Function function, std::string description)
      : function_(function), description_(std::move(description)) {}

  void forward(const Matrix& x, Matrix& y) override {
    input_ = &x;
    output_ = &y;
    y.resize(x.rows(), x.cols());
    // A local copy of the function and restrict pointers: the compiler then
    // knows a store to out[i] cannot change alpha, keeps it in a register and
    // vectorizes the loop (with the member, leaky_relu ran a scalar, branchy
    // loop: 17% of a Fashion-MNIST epoch).
    const Function function = function_;
    const Scalar* __restrict in = x.data();
    Scalar* __restrict out = y.data();
    const Eigen::Index n = x.size();
    for (Eigen::Index i = 0; i < n; ++i) out[i] = function.f(in[i]);
  }

  void backward(const Matrix& dy, Matrix* dx) override {
    if (!dx) return;
    dx->resize(dy.rows(), dy.cols());
    const Function function = function_;  // as in forward
    const Scalar* __restrict in = input_->data();
    const Scalar* __restrict out = output_->data();
    const Scalar* __restrict grad = dy.data();
    Scalar* __restrict result = dx->data();
    const Eigen::Index n = dy.size();
    for (Eigen::Index i = 0; i < n; ++i) result[i] = grad[i] * function.df(in[i], out[i]);
  }

  std::string describe() const override { return description_; }

 private:
  Function function_;
  std::string description_;
  const Matrix* input_ = nullptr;
  const Matrix* output_ = nullptr;
};

}  // namespace actsweep::model
