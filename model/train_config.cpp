#include "model/train_config.hpp"

#include <cmath>
#include <string>

#include "model/errors.hpp"
#include "model/format.hpp"

namespace actsweep::model {

void validate(const TrainConfig& config) {
  if (config.epochs < 0)
    throw ConfigError("train: epochs must be >= 0, got " + std::to_string(config.epochs));
  if (config.batchSize < 1)
    throw ConfigError("train: batch size must be >= 1, got " + std::to_string(config.batchSize));
  if (config.probeSize < 1)
    throw ConfigError("train: probe size must be >= 1, got " + std::to_string(config.probeSize));
  if (!(config.clipNorm >= 0 && std::isfinite(config.clipNorm)))
    throw ConfigError("train: clip norm must be >= 0 (0 = off), got " + formatNumber(config.clipNorm));
  validate(config.optimizer);
  validate(config.schedule);
}

}  // namespace actsweep::model
