#pragma once
// `actsweep merge OUT.db SHARD.db... [--allow-different-specs]`: the shards of
// a sweep (`run --shard I/K`) into one results database (results/merge.hpp).

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

namespace actsweep::runner {

struct MergeArguments {
  std::string output;               // OUT.db: created, with its missing folders, when missing
  std::vector<std::string> shards;  // SHARD.db...
  bool allowDifferentSpecs = false;
};

void addMergeOptions(CLI::App& command, MergeArguments& arguments);

// 0 merged; 2 a shard missing, not a results database, or of another sweep,
// or an OUT that is not ours (the message, naming the bad file, on err;
// nothing merged for a refused spec; a refused file is left as it was).
int runMerge(const MergeArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
