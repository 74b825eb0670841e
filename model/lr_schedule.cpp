#include "model/lr_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "model/format.hpp"

namespace actsweep::model {

const NameTable<ScheduleKind>& scheduleNames() {
  static const NameTable<ScheduleKind> table = {
      {"constant", ScheduleKind::Constant},
      {"step", ScheduleKind::Step},
      {"cosine", ScheduleKind::Cosine},
  };
  return table;
}

ScheduleKind parseSchedule(std::string_view text) { return parseName(scheduleNames(), text, "lr schedule"); }

double LrSchedule::at(int epoch) const {
  if (epoch < 0)
    throw std::out_of_range("LrSchedule::at: epoch " + std::to_string(epoch) +
                            " is negative (epochs count from 0)");
  switch (kind) {
    case ScheduleKind::Constant:
      return baseLr;
    case ScheduleKind::Step:
      // Integer division is the floor for epoch >= 0.
      return baseLr * std::pow(gamma, epoch / stepEpochs);
    case ScheduleKind::Cosine: {
      const double progress = std::min(1.0, static_cast<double>(epoch) / totalEpochs);
      return minLr + (baseLr - minLr) * (1.0 + std::cos(std::numbers::pi * progress)) / 2.0;
    }
  }
  return baseLr;
}

// Range checks are written as !(in range) so that NaN fails them.
void validate(const LrSchedule& schedule) {
  if (!(std::isfinite(schedule.baseLr) && schedule.baseLr > 0.0))
    throw ConfigError("lr schedule: base lr " + formatNumber(schedule.baseLr) +
                      " is out of range (allowed: finite and > 0)");
  if (schedule.stepEpochs < 1)
    throw ConfigError("lr schedule: step epochs " + std::to_string(schedule.stepEpochs) +
                      " is out of range (allowed: an integer >= 1)");
  if (!(schedule.gamma > 0.0 && schedule.gamma <= 1.0))
    throw ConfigError("lr schedule: gamma " + formatNumber(schedule.gamma) +
                      " is out of range (allowed: 0 < gamma <= 1)");
  if (schedule.totalEpochs < 1)
    throw ConfigError("lr schedule: total epochs " + std::to_string(schedule.totalEpochs) +
                      " is out of range (allowed: an integer >= 1)");
  if (!(schedule.minLr >= 0.0 && schedule.minLr <= schedule.baseLr))
    throw ConfigError("lr schedule: min lr " + formatNumber(schedule.minLr) +
                      " is out of range (allowed: 0 <= min lr <= base lr = " + formatNumber(schedule.baseLr) +
                      ")");
}

}  // namespace actsweep::model
