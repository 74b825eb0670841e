#pragma once
// The errors of results/: user errors (model/errors.hpp), exit code 2.

#include "model/errors.hpp"

namespace actsweep::results {

// A database that cannot be used: not SQLite, a newer or unknown schema,
// locked beyond the busy timeout... The message names the file and what to do.
class StoreError : public UserError {
 public:
  using UserError::UserError;
};

// A request that cannot be answered: unknown column or metric, a malformed
// --where or --vs, a plot of no runs. The message is one line and says what
// is allowed.
class ReportError : public UserError {
 public:
  using UserError::UserError;
};

}  // namespace actsweep::results
