#include "runner/sweep_progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <ostream>

#include "model/format.hpp"

namespace actsweep::runner {
namespace {

// How often the live line is redrawn on a terminal, and a line logged elsewhere.
constexpr auto kLiveLineEvery = std::chrono::milliseconds(500);
constexpr auto kLogLineEvery = std::chrono::seconds(10);

}  // namespace

ProgressPrinter::ProgressPrinter(std::string sweep, std::ostream& err, bool quiet)
    : sweep_(std::move(sweep)),
      err_(err),
      quiet_(quiet),
      live_(!quiet && &err == &std::cerr && isatty(STDERR_FILENO) == 1),
      start_(Clock::now()),
      lastPrint_(start_) {}

void ProgressPrinter::update(const Tally& tally, long running, bool force) {
  if (quiet_) return;
  const auto now = Clock::now();
  if (!force && now - lastPrint_ < (live_ ? Clock::duration(kLiveLineEvery) : Clock::duration(kLogLineEvery)))
    return;
  lastPrint_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double perMinute = elapsed > 0 ? 60.0 * tally.finishedHere / elapsed : 0.0;
  const long remaining = tally.total - tally.done - tally.diverged - tally.failed;
  const std::string eta =
      perMinute > 0 && remaining > 0 ? ", ETA " + model::durationText(60.0 * remaining / perMinute) : "";
  const std::string line =
      fmt::format("{}: {}/{} done, {} running, {} failed, {} diverged, {:.1f} runs/min{}", sweep_, tally.done,
                  tally.total, running, tally.failed, tally.diverged, perMinute, eta);
  if (live_) {
    // \r and clear to the end of the line: the line may have become shorter.
    err_ << '\r' << line << "\x1b[K" << std::flush;
    lineShown_ = true;
  } else if (!force) {
    err_ << line << '\n';
  }
}

void ProgressPrinter::message(const std::string& text) {
  endLine();
  err_ << text << '\n';
}

void ProgressPrinter::endLine() {
  if (lineShown_) err_ << '\n';
  lineShown_ = false;
}

double ProgressPrinter::elapsedSeconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace actsweep::runner
