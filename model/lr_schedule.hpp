#pragma once
// Learning-rate schedules: the learning rate of each epoch, computed from the
// epoch number alone (no state), so a resumed or re-run run gets the same
// rates.

#include <string_view>

#include "model/names.hpp"

namespace actsweep::model {

enum class ScheduleKind { Constant, Step, Cosine };

const NameTable<ScheduleKind>& scheduleNames();  // constant, step, cosine
ScheduleKind parseSchedule(std::string_view text);

struct LrSchedule {
  ScheduleKind kind = ScheduleKind::Constant;
  double baseLr = 0.01;
  // step: lr = base * gamma^floor(epoch/stepEpochs)
  int stepEpochs = 10;
  double gamma = 0.1;
  // cosine: lr = min + (base-min)*(1+cos(pi*epoch/totalEpochs))/2
  int totalEpochs = 1;
  double minLr = 0.0;

  // epoch counts from 0 (the first training epoch). Cosine: epochs at or past
  // totalEpochs stay at minLr (no restart). Throws std::out_of_range for a
  // negative epoch.
  double at(int epoch) const;
};

// Throws ConfigError: base lr must be finite and > 0, stepEpochs >= 1,
// gamma in (0, 1], totalEpochs >= 1, minLr in [0, base]. Every field is
// checked whatever the kind, so a bad value is caught even where it is unused.
void validate(const LrSchedule& schedule);

}  // namespace actsweep::model
