#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace actsweep {

// The command line's exit code for input the user can fix (docs/security.md).
inline constexpr int kExitBadInput = 2;

// Input the user can fix: a sweep file, an argument, a data file, a
// database. The one error spine of actsweep: every such error derives from
// it, carries its exit code, and `actsweep` (runner/cli.cpp) prints
// format() and exits exitCode(); any other exception is an internal error.
// The message is one line that says where and what to do.
class UserError : public std::invalid_argument {
 public:
  explicit UserError(const std::string& message, int exitCode = kExitBadInput)
      : std::invalid_argument(message), exitCode_(exitCode) {}
  int exitCode() const { return exitCode_; }
  // What the command line prints, a line per problem: "actsweep run: what()".
  virtual std::vector<std::string> lines(const std::string& command) const {
    return {command + ": " + what()};
  }

 private:
  int exitCode_;
};

namespace model {

// A configuration the model library cannot build: an unknown name, a size or
// a hyperparameter out of range. The message says what is wrong and what is
// allowed, e.g. "activation: unknown value 'lrelu' (allowed: relu, leaky_relu, ...)".
class ConfigError : public UserError {
 public:
  using UserError::UserError;
};

}  // namespace model
}  // namespace actsweep
