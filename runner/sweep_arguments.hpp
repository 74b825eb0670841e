#pragma once
// What every command that reads a sweep file takes: validate, plan, run, slurm.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "runner/expand.hpp"

namespace actsweep::runner {

struct SpecArguments {
  std::string spec;                    // the sweep file
  std::vector<std::string> overrides;  // --set key=value, in order
  long maxRuns = kDefaultMaxRuns;      // --max-runs: refuse larger sweeps before building them
};

void addSpecOptions(CLI::App& command, SpecArguments& arguments);  // SPEC, --set, --max-runs

}  // namespace actsweep::runner
