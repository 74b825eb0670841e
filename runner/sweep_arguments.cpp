#include "runner/sweep_arguments.hpp"

namespace actsweep::runner {

void addSpecOptions(CLI::App& command, SpecArguments& a) {
  command.add_option("spec", a.spec, "the sweep file (YAML)")->required();
  // One value per --set, repeatable: `--set model.alpha=0.2 --set seeds=5`.
  command.add_option("--set", a.overrides, "override a setting of the file, key=value (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option("--max-runs", a.maxRuns,
                  "refuse sweeps with more points than this (expanding costs about 4 KB and 30 us per run)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

}  // namespace actsweep::runner
