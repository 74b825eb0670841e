#pragma once
// What one run holds in memory, roughly, so that a network the machine cannot
// hold is refused with the arithmetic before anything is allocated, instead
// of dying in std::bad_alloc (or the kernel's OOM killer) mid-sweep.

#include <cstdint>
#include <string>

#include "model/network.hpp"

namespace actsweep::model {

struct TrainConfig;

// The peak, in bytes, of one run's network and training state:
//   parameters P = sum over dense layers of (in * out + out), plus 4 per unit
//     of a norm (gamma, beta and batch norm's running mean and variance) and 1
//     per unit of prelu; each held `parameterCopies` times: the values, their
//     gradients and the optimizer's state (sgd: a velocity when momentum > 0;
//     adam, adamw: two moments);
//   activations: `samples` = the largest of the batch, the evaluation chunk
//     and the probe set (each capped by `maxSamples` when > 0, the largest split)
//     go through the network at once; each holds its inputs and, per unit of
//     every layer, an output, a gradient and a cache of its input: 3 values per
//     unit of the dense, norm, activation and dropout layers of a hidden block,
//     and of the output layer.
//   bytes = sizeof(Scalar) * (P * parameterCopies + samples * valuesPerSample).
// Double precision throughout: widths up to 2^31 and any depth cannot overflow.
// The data set itself is not included (its loader checks its own size).
struct MemoryEstimate {
  double parameters = 0;       // P
  int parameterCopies = 0;     // 2 + optimizer state
  double samples = 0;          // samples in flight at once
  double valuesPerSample = 0;  // activation values per sample
  double bytes = 0;            // the total
};
MemoryEstimate estimateMemory(const NetworkConfig& network, const TrainConfig& train, long maxSamples = 0);

// This machine's physical memory in bytes (sysconf); 0 when it cannot tell.
std::uint64_t physicalMemoryBytes();

// "2.9 TiB", "512 MiB", "12 bytes": a size for messages, binary units, 2 digits.
std::string formatBytes(double bytes);

// Throws ConfigError, with the arithmetic, when the run needs more than
// `availableBytes` (no check when it is 0). maxSamples as in estimateMemory.
void checkMemory(const NetworkConfig& network, const TrainConfig& train, long maxSamples = 0,
                 std::uint64_t availableBytes = physicalMemoryBytes());

}  // namespace actsweep::model
