#pragma once
// `actsweep validate` and `actsweep plan`: what a sweep file would run,
// without running it.

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "runner/sweep_arguments.hpp"

namespace actsweep::runner {

struct PlanArguments {
  SpecArguments sweep;
  bool json = false;  // one JSON object per run instead of the table
  bool all = false;   // every run in the table, not only the first kPlanRows
};

inline constexpr long kPlanRows = 50;

void addPlanOptions(CLI::App& command, PlanArguments& arguments);

// `validate`: "SPEC: ok: N runs (P points, C collapsed)" and 0, or one line per
// run whose configuration does not build on err and 2. Spec errors are thrown
// (SpecErrors, SweepTooLarge) for the command line to print.
int runValidate(const SpecArguments& arguments, std::ostream& out, std::ostream& err);

// `plan`: the table of runs, the counts per swept value and the cost estimate;
// with --json one JSON object per run and nothing else. Runs that do not build
// are reported on err as by validate, and give 2.
int runPlan(const PlanArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
