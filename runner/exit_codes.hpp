#pragma once
// The exit codes of `actsweep` (docs/security.md, README "Exit codes"): what
// every command returns. Bad input (2) is model/errors.hpp's kExitBadInput,
// the code every UserError carries.

#include "model/errors.hpp"

namespace actsweep::runner {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRunsFailed = 1;    // some runs failed; or an internal error
using actsweep::kExitBadInput;               // 2
inline constexpr int kExitOutputFailed = 3;  // stdout could not be written (disk full): what it got is cut
inline constexpr int kExitInterrupted = 130;

}  // namespace actsweep::runner
