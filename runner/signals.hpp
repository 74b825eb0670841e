#pragma once
// SIGINT/SIGTERM as a stop flag that long loops poll: the first signal asks
// for a clean stop (finish the batch, report, exit 130); a second one exits at once.
#include <atomic>

namespace actsweep::runner {

// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& installStopHandlers();

}  // namespace actsweep::runner
