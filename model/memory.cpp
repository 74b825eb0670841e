#include "model/memory.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/errors.hpp"
#include "model/train_config.hpp"

namespace actsweep::model {
namespace {

// A value per unit for the layer's output, the gradient of its input and its
// cached input (or mask): see estimateMemory.
constexpr double kValuesPerUnit = 3;

// 1000 -> "1000", 5e9 -> "5.0e9", 7.84e11 -> "7.8e11".
std::string scientific(double value) {
  char text[48];
  if (value < 1e6) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else {
    const int exponent = static_cast<int>(std::floor(std::log10(value)));
    std::snprintf(text, sizeof text, "%.1fe%d", value / std::pow(10.0, exponent), exponent);
  }
  return text;
}

// "784 -> 256 -> 256 -> 10", or "784 -> 40 hidden layers (widest 256) -> 10" when long.
std::string shapeText(const NetworkConfig& network) {
  const auto& hidden = network.hidden;
  std::string text = std::to_string(network.inputs);
  if (hidden.size() <= 6) {
    for (int width : hidden) text += " -> " + std::to_string(width);
  } else {
    text += " -> " + std::to_string(hidden.size()) + " hidden layers (widest " +
            std::to_string(*std::max_element(hidden.begin(), hidden.end())) + ")";
  }
  return text + " -> " + std::to_string(network.outputs);
}

std::string copiesText(const TrainConfig& train) {
  if (train.optimizer.kind != OptimizerKind::Sgd) return "value, gradient, 2 moments";
  return train.optimizer.momentum > 0 ? "value, gradient, velocity" : "value, gradient";
}

}  // namespace

MemoryEstimate estimateMemory(const NetworkConfig& network, const TrainConfig& train, long maxSamples) {
  MemoryEstimate estimate;
  const double perNormUnit = network.norm.kind == Norm::None ? 0 : 4;
  const double perActivationUnit = network.activation.kind == Activation::Prelu ? 1 : 0;
  const double layersPerBlock = 2 + (network.norm.kind == Norm::None ? 0 : 1) + (network.dropout > 0 ? 1 : 0);
  double width = network.inputs;
  for (int units : network.hidden) {
    estimate.parameters += width * units + units + (perNormUnit + perActivationUnit) * units;
    estimate.valuesPerSample += kValuesPerUnit * layersPerBlock * units;
    width = units;
  }
  estimate.parameters += width * network.outputs + network.outputs;
  estimate.valuesPerSample += kValuesPerUnit * network.outputs + network.inputs;

  const bool adam = train.optimizer.kind != OptimizerKind::Sgd;
  estimate.parameterCopies = 2 + (adam ? 2 : train.optimizer.momentum > 0 ? 1 : 0);
  const auto capped = [maxSamples](long samples) {
    return static_cast<double>(maxSamples > 0 ? std::min(samples, maxSamples) : samples);
  };
  estimate.samples = std::max({capped(train.batchSize), capped(kEvalChunk), capped(train.probeSize)});
  estimate.bytes = static_cast<double>(sizeof(Scalar)) * (estimate.parameters * estimate.parameterCopies +
                                                          estimate.samples * estimate.valuesPerSample);
  return estimate;
}

std::uint64_t physicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
}

std::string formatBytes(double bytes) {
  static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 6) {
    bytes /= 1024;
    ++unit;
  }
  char text[48];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%.0f bytes", bytes);
  } else if (bytes >= 1024) {  // beyond EiB
    std::snprintf(text, sizeof text, "%.2g %s", bytes, units[unit]);
  } else {
    std::snprintf(text, sizeof text, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[unit]);
  }
  return text;
}

void checkMemory(const NetworkConfig& network, const TrainConfig& train, long maxSamples,
                 std::uint64_t availableBytes) {
  if (availableBytes == 0) return;
  const MemoryEstimate e = estimateMemory(network, train, maxSamples);
  if (e.bytes <= static_cast<double>(availableBytes)) return;
  // Short enough for one line after a sweep file's location (messages there are cut at 300 characters).
  throw ConfigError("network " + shapeText(network) + " needs about " + formatBytes(e.bytes) +
                    ", over this machine's " + formatBytes(static_cast<double>(availableBytes)) + ": (" +
                    scientific(e.parameters) + " parameters x " + std::to_string(e.parameterCopies) + " (" +
                    copiesText(train) + ") + " + scientific(e.samples) + " samples x " +
                    scientific(e.valuesPerSample) + " activations) x " + std::to_string(sizeof(Scalar)) +
                    " bytes; use fewer or narrower layers");
}

}  // namespace actsweep::model
