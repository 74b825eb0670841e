#include "runner/signals.hpp"

#include <unistd.h>

#include <csignal>

namespace actsweep::runner {
namespace {

// The one piece of process-wide state a signal handler needs.
std::atomic<bool> stopRequested{false};

extern "C" void onStopSignal(int) {
  if (stopRequested.exchange(true)) _exit(130);  // second signal: leave now
}

}  // namespace

const std::atomic<bool>& installStopHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return stopRequested;
}

}  // namespace actsweep::runner
