#pragma once
// Runs the actsweep command line in process, capturing stdout, stderr and the
// exit code: what the runner tests drive every command through.
#include <sstream>
#include <string>
#include <vector>

#include "runner/cli.hpp"

namespace actsweep::testing {

struct CliResult {
  int exitCode;
  std::string out, err;
};

// runActsweep({"plan", "spec.yaml"}) runs `actsweep plan spec.yaml`.
inline CliResult runActsweep(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "actsweep");
  std::vector<const char*> argv;
  for (const auto& a : arguments) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = runner::runCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) result.push_back(line);
  return result;
}

}  // namespace actsweep::testing
