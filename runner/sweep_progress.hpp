#pragma once
// What `run` shows while a sweep trains: one progress line on stderr, redrawn
// in place on a terminal, logged every few seconds otherwise (a Slurm log).

#include <chrono>
#include <iosfwd>
#include <string>

namespace actsweep::runner {

// Counts for the progress line: the store's at the start, plus what this
// process finished since.
struct Tally {
  long total = 0;
  long done = 0, failed = 0, diverged = 0;
  long finishedHere = 0;  // runs this process trained to an end (any status but interrupted)
};

class ProgressPrinter {
 public:
  // Live (redrawn with \r) only when err is std::cerr on a terminal; quiet prints nothing.
  ProgressPrinter(std::string sweep, std::ostream& err, bool quiet);

  // Redraws the live line, or logs a line every kLogLineEvery; `force` for the last one.
  void update(const Tally& tally, long running, bool force = false);

  // A message that must not be overwritten by the live line.
  void message(const std::string& text);

  void endLine();

  double elapsedSeconds() const;

 private:
  using Clock = std::chrono::steady_clock;

  std::string sweep_;
  std::ostream& err_;
  bool quiet_;
  bool live_;
  bool lineShown_ = false;
  Clock::time_point start_, lastPrint_;
};

}  // namespace actsweep::runner
