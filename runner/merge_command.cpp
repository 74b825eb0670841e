#include "runner/merge_command.hpp"

#include <ostream>

#include "results/merge.hpp"
#include "results/store.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {

void addMergeOptions(CLI::App& command, MergeArguments& a) {
  command.add_option("out", a.output, "the merged database (created when missing)")->required();
  command.add_option("shards", a.shards, "the shards' databases")->required();
  command.add_flag("--allow-different-specs", a.allowDifferentSpecs,
                   "merge databases of different sweep files or --set overrides");
}

// A StoreError (a shard that is not ours, another sweep) reaches runCli: one
// line and exit 2.
int runMerge(const MergeArguments& arguments, std::ostream& out, std::ostream&) {
  results::mergeDatabases(arguments.output, arguments.shards, {arguments.allowDifferentSpecs}, out);
  return kExitOk;
}

}  // namespace actsweep::runner
