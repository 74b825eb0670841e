#pragma once
#include <stdexcept>
#include <string>

namespace actsweep::model {

// A configuration the model library cannot build: an unknown name, a size or
// a hyperparameter out of range. The message says what is wrong and what is
// allowed, e.g. "activation: unknown value 'lrelu' (allowed: relu, leaky_relu, ...)".
class ConfigError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace actsweep::model
