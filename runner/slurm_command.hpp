#pragma once
// `actsweep slurm`: writes a Slurm job array that trains a sweep in K shards
// (`actsweep run --shard I/K`, one per array task) and a merge job that runs
// after it (`actsweep merge`). docs/cluster.md, "Slurm", is the user's guide.
//
//   DIR/array.sbatch   task I: run shard I/K into node-local disk, copy the
//                      database to DIR/shards/shard-I.db.tmp, rename it to
//                      DIR/shards/shard-I.db (atomic: merge never sees half a file)
//   DIR/merge.sbatch   every shard present -> DIR/<name>.db
//   DIR/submit.sh      sbatch the array, then the merge with afterok on it

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "runner/sweep_arguments.hpp"

namespace actsweep::runner {

struct SlurmArguments {
  SpecArguments sweep;
  int tasks = 0;                  // --tasks K: array tasks = shards
  int parallel = 0;               // --parallel P: at most P tasks at once (%P); 0: no limit
  int cpus = 2;                   // --cpus: --cpus-per-task, and the --jobs of each shard
  std::string time = "01:00:00";  // --time: per array task
  std::string partition;          // --partition; empty: the cluster's default
  std::string memory;             // --mem; empty: the cluster's default
  std::string outDirectory;       // --out; empty: slurm/<sweep name>
  std::string binary;             // --binary: the actsweep the jobs run; empty: this one
  bool submit = false;            // --submit: run DIR/submit.sh now
};

void addSlurmOptions(CLI::App& command, SlurmArguments& arguments);

// `text` as one word for bash: in single quotes, each ' written as '\''.
std::string shellQuote(const std::string& text);

// Writes the three files and prints their paths and how to resubmit failed
// tasks; with --submit also submits and prints the job ids. Exit codes: 0;
// 1 sbatch failed; 2 bad input (spec errors are thrown for the command line,
// K out of range, sbatch not on PATH for --submit).
int runSlurm(const SlurmArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
