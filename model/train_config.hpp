#pragma once
// How one run trains: epochs, batch, optimizer, schedule, clipping, probe and
// seed. Apart from the training loop (trainer.hpp) so that the memory
// estimate (memory.hpp), which the loop calls, can read it.

#include <cstdint>

#include "model/lr_schedule.hpp"
#include "model/optimizers.hpp"

namespace actsweep::model {

struct TrainConfig {
  int epochs = 10;  // 0: measure the initial network only
  int batchSize = 64;
  OptimizerConfig optimizer;
  LrSchedule schedule;    // schedule.baseLr is the learning rate
  double clipNorm = 0.0;  // global gradient-norm clipping; 0 = off
  int probeSize = 1000;   // probe samples for the diagnostics: the first of the validation split
                          // (of the training split when there is no validation split)
  std::uint64_t seed = 0;
};

// Samples per forward pass when evaluating a split (bounds its memory).
inline constexpr long kEvalChunk = 1000;

void validate(const TrainConfig& config);  // ConfigError: epochs >= 0, batch >= 1, probe >= 1, ...

}  // namespace actsweep::model
