#include "model/activations.hpp"

#include <cmath>
#include <numbers>

#include "model/format.hpp"
#include "model/prelu.hpp"
#include "model/rrelu.hpp"

namespace actsweep::model {
namespace {

// relu: f(x) = max(x, 0);  f'(x) = 1 if x > 0 else 0 (f'(0) = 0, as PyTorch).
struct Relu {
  Scalar f(Scalar x) const { return x > 0 ? x : Scalar(0); }
  Scalar df(Scalar x, Scalar) const { return x > 0 ? Scalar(1) : Scalar(0); }
};

// leaky_relu: f(x) = x if x > 0 else alpha x;  f'(x) = 1 if x > 0 else alpha.
struct LeakyRelu {
  Scalar alpha;
  Scalar f(Scalar x) const { return x > 0 ? x : alpha * x; }
  Scalar df(Scalar x, Scalar) const { return x > 0 ? Scalar(1) : alpha; }
};

// elu: f(x) = x if x > 0 else alpha (e^x - 1);  f'(x) = 1 if x > 0 else alpha e^x = y + alpha.
struct Elu {
  Scalar alpha;
  Scalar f(Scalar x) const { return x > 0 ? x : alpha * std::expm1(x); }
  Scalar df(Scalar x, Scalar y) const { return x > 0 ? Scalar(1) : y + alpha; }
};

// selu (Klambauer et al. 2017): f(x) = lambda x if x > 0 else lambda alpha (e^x - 1);
// f'(x) = lambda if x > 0 else lambda alpha e^x = y + lambda alpha.
struct Selu {
  static constexpr Scalar lambda = Scalar(1.0507009873554804934193349852946);
  static constexpr Scalar alpha = Scalar(1.6732632423543772848170429916717);
  Scalar f(Scalar x) const { return x > 0 ? lambda * x : lambda * alpha * std::expm1(x); }
  Scalar df(Scalar x, Scalar y) const { return x > 0 ? lambda : y + lambda * alpha; }
};

// gelu, exact form: f(x) = x Phi(x), Phi(x) = (1 + erf(x / sqrt2)) / 2;
// f'(x) = Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi).
struct Gelu {
  static Scalar cdf(Scalar x) { return Scalar(0.5) * (1 + std::erf(x * Scalar(std::numbers::sqrt2 / 2))); }
  Scalar f(Scalar x) const { return x * cdf(x); }
  Scalar df(Scalar x, Scalar) const {
    const Scalar density =
        std::exp(Scalar(-0.5) * x * x) * Scalar(0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
    return cdf(x) + x * density;
  }
};

// Logistic sigmoid s(x) = 1 / (1 + e^-x), written so that exp never overflows.
Scalar logistic(Scalar x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const Scalar e = std::exp(x);
  return e / (1 + e);
}

// silu (swish): f(x) = x s(x);  f'(x) = s(x) (1 + x (1 - s(x))).
struct Silu {
  Scalar f(Scalar x) const { return x * logistic(x); }
  Scalar df(Scalar x, Scalar) const {
    const Scalar s = logistic(x);
    return s * (1 + x * (1 - s));
  }
};

// tanh: f(x) = tanh x;  f'(x) = 1 - y^2.
struct Tanh {
  Scalar f(Scalar x) const { return std::tanh(x); }
  Scalar df(Scalar, Scalar y) const { return 1 - y * y; }
};

// sigmoid: f(x) = s(x);  f'(x) = y (1 - y).
struct Sigmoid {
  Scalar f(Scalar x) const { return logistic(x); }
  Scalar df(Scalar, Scalar y) const { return y * (1 - y); }
};

// softplus: f(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|) (no overflow);  f'(x) = s(x).
struct Softplus {
  Scalar f(Scalar x) const { return std::max(x, Scalar(0)) + std::log1p(std::exp(-std::abs(x))); }
  Scalar df(Scalar x, Scalar) const { return logistic(x); }
};

template <class Function>
std::unique_ptr<Layer> elementwise(Function function, std::string description) {
  return std::make_unique<ElementwiseActivation<Function>>(function, std::move(description));
}

std::string withAlpha(std::string_view name, double alpha) {
  return std::string(name) + "(alpha=" + formatNumber(alpha) + ")";
}

}  // namespace

const NameTable<Activation>& activationNames() {
  static const NameTable<Activation> table = {
      {"relu", Activation::Relu},       {"leaky_relu", Activation::LeakyRelu},
      {"prelu", Activation::Prelu},     {"elu", Activation::Elu},
      {"selu", Activation::Selu},       {"gelu", Activation::Gelu},
      {"silu", Activation::Silu},       {"tanh", Activation::Tanh},
      {"sigmoid", Activation::Sigmoid}, {"softplus", Activation::Softplus},
      {"rrelu", Activation::Rrelu},
  };
  return table;
}

Activation parseActivation(std::string_view name) { return parseName(activationNames(), name, "activation"); }

bool usesAlpha(Activation activation) {
  return activation == Activation::LeakyRelu || activation == Activation::Prelu ||
         activation == Activation::Elu;
}

bool isLeakyFamily(Activation activation) {
  return activation == Activation::LeakyRelu || activation == Activation::Prelu ||
         activation == Activation::Rrelu;
}

void validate(const ActivationConfig& config) {
  const std::string name(activationName(config.kind));
  if (usesAlpha(config.kind) && !std::isfinite(config.alpha))
    throw ConfigError(name + ": alpha must be a finite number, got " + formatNumber(config.alpha));
  if (config.kind == Activation::Elu && config.alpha < 0)
    throw ConfigError("elu: alpha must be >= 0 (the value the unit saturates to is -alpha), got " +
                      formatNumber(config.alpha));
  if (config.kind == Activation::Rrelu &&
      !(std::isfinite(config.rreluLower) && std::isfinite(config.rreluUpper) && 0 <= config.rreluLower &&
        config.rreluLower <= config.rreluUpper))
    throw ConfigError("rrelu: need 0 <= lower <= upper, got lower=" + formatNumber(config.rreluLower) +
                      " upper=" + formatNumber(config.rreluUpper));
}

std::unique_ptr<Layer> makeActivation(const ActivationConfig& config, int units, Rng* noise,
                                      std::string name) {
  validate(config);
  const auto alpha = static_cast<Scalar>(config.alpha);
  const std::string_view kind = activationName(config.kind);
  switch (config.kind) {
    case Activation::Relu:
      return elementwise(Relu{}, "relu");
    case Activation::LeakyRelu:
      return elementwise(LeakyRelu{alpha}, withAlpha(kind, config.alpha));
    case Activation::Prelu:
      return std::make_unique<Prelu>(units, config.alpha, std::move(name));
    case Activation::Elu:
      return elementwise(Elu{alpha}, withAlpha(kind, config.alpha));
    case Activation::Selu:
      return elementwise(Selu{}, "selu");
    case Activation::Gelu:
      return elementwise(Gelu{}, "gelu");
    case Activation::Silu:
      return elementwise(Silu{}, "silu");
    case Activation::Tanh:
      return elementwise(Tanh{}, "tanh");
    case Activation::Sigmoid:
      return elementwise(Sigmoid{}, "sigmoid");
    case Activation::Softplus:
      return elementwise(Softplus{}, "softplus");
    case Activation::Rrelu:
      if (!noise) throw ConfigError("rrelu: needs a random number generator for its slopes");
      return std::make_unique<Rrelu>(config.rreluLower, config.rreluUpper, *noise);
  }
  throw ConfigError("activation: unhandled kind");
}

}  // namespace actsweep::model
