#include "model/norms.hpp"

#include <cmath>

#include "model/errors.hpp"
#include "model/format.hpp"

namespace actsweep::model {

const NameTable<Norm>& normNames() {
  static const NameTable<Norm> table = {{"none", Norm::None}, {"batch", Norm::Batch}, {"layer", Norm::Layer}};
  return table;
}

Norm parseNorm(std::string_view name) { return parseName(normNames(), name, "norm"); }

void validate(const NormConfig& config) {
  if (!(config.momentum >= 0 && config.momentum <= 1))
    throw ConfigError("norm: momentum must be in [0, 1], got " + formatNumber(config.momentum));
  if (!(config.epsilon > 0 && std::isfinite(config.epsilon)))
    throw ConfigError("norm: epsilon must be a finite number > 0, got " + formatNumber(config.epsilon));
}

std::unique_ptr<Layer> makeNorm(const NormConfig& config, int units, std::string name) {
  validate(config);
  switch (config.kind) {
    case Norm::None:
      return nullptr;
    case Norm::Batch:
      return std::make_unique<BatchNorm>(units, config.momentum, config.epsilon, std::move(name));
    case Norm::Layer:
      return std::make_unique<LayerNorm>(units, config.epsilon, std::move(name));
  }
  return nullptr;
}

}  // namespace actsweep::model
