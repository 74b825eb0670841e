#include "runner/slurm_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "results/report.hpp"
#include "runner/build_check.hpp"
#include "runner/exit_codes.hpp"
#include "runner/expand.hpp"
#include "runner/spec.hpp"

namespace actsweep::runner {
namespace {

namespace fs = std::filesystem;

// The binary the jobs run: this process's own (absolute, symlinks resolved),
// so that the nodes run the build that wrote the scripts.
std::string ownBinary() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string("actsweep") : self.string();
}

std::string absolutePath(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// sbatch reads #SBATCH lines with its own parser, not the shell's: a value
// there cannot be quoted, so one with blanks, quotes or control characters
// (a line break would start a shell line of the job script) is refused.
bool fitsSbatchLine(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte != 0x7f && c != '\'' && c != '"';
  });
}

// The first directory of PATH holding an executable `name`; empty if none.
std::string findOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream directories(path ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (directory.empty()) continue;
    const fs::path candidate = fs::path(directory) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

void writeFile(const fs::path& path, const std::string& text, bool executable = false) {
  std::ofstream file(path);
  file << text;
  file.close();
  if (!file)
    throw UserError(path.string() + ": cannot write it (disk full? no permission?); choose another --out");
  if (executable)
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
}

// #SBATCH lines shared by both jobs: partition and memory when given.
std::string placementLines(const SlurmArguments& a) {
  std::string lines;
  if (!a.partition.empty()) lines += fmt::format("#SBATCH --partition={}\n", a.partition);
  if (!a.memory.empty()) lines += fmt::format("#SBATCH --mem={}\n", a.memory);
  return lines;
}

struct Paths {
  std::string directory, array, merge, submit, shards, logs, database;
};

std::string arrayScript(const SlurmArguments& a, const SweepSpec& spec, long runs, const Paths& paths,
                        const std::string& binary) {
  std::string setOptions;
  for (const std::string& o : a.sweep.overrides) setOptions += " --set " + shellQuote(o);
  if (a.sweep.maxRuns != SpecArguments{}.maxRuns)
    setOptions += fmt::format(" --max-runs {}", a.sweep.maxRuns);
  const std::string limit = a.parallel > 0 ? fmt::format("%{}", a.parallel) : "";
  return fmt::format(
      R"sh(#!/bin/bash
#SBATCH --job-name=actsweep-{name}
#SBATCH --array=0-{last}{limit}
#SBATCH --cpus-per-task={cpus}
#SBATCH --time={time}
{placement}#SBATCH --output={logs}/%A_%a.out
# Sweep '{name}': {runs} runs in {tasks} shards, one per array task (written by actsweep slurm).
# Resubmit failed tasks only, then the merge: sbatch --array=3,7 {arrayFile}
set -euo pipefail

# K is fixed here, not read from SLURM_ARRAY_TASK_COUNT: that count changes
# when only the failed indices are resubmitted, and the shards would change.
tasks={tasks}
shards={shards}
shard="$shards/shard-$SLURM_ARRAY_TASK_ID.db"
# The shard is written on node-local disk: SQLite's locks and WAL need a local
# filesystem, and a run commits once per finished run.
local_db="${{TMPDIR:-/tmp}}/actsweep-$SLURM_ARRAY_JOB_ID-$SLURM_ARRAY_TASK_ID.db"
trap 'rm -f "$local_db" "$local_db-wal" "$local_db-shm"' EXIT
# A resubmitted task resumes from what its earlier attempt saved.
if [ -f "$shard" ]; then cp "$shard" "$local_db"; fi
# At the time limit Slurm sends SIGTERM to every process of the job: actsweep
# stores its running runs as interrupted and exits 130; this trap keeps the
# script alive to save the shard (before SIGKILL, KillWait later).
trap 'echo "actsweep: SIGTERM, saving the shard" >&2' TERM

status=0
{binary} run {spec} --shard "$SLURM_ARRAY_TASK_ID/$tasks" --jobs "$SLURM_CPUS_PER_TASK" --db "$local_db"{sets} || status=$?

# 0 every run done, 1 some failed, 130 stopped: the database is whole in each
# case. Copy, then rename: a rename is atomic on one filesystem, so the merge
# never sees half a file.
if [ "$status" -eq 0 ] || [ "$status" -eq 1 ] || [ "$status" -eq 130 ]; then
  cp "$local_db" "$shard.tmp"
  mv "$shard.tmp" "$shard"
fi
exit "$status"
)sh",
      fmt::arg("name", spec.name), fmt::arg("last", a.tasks - 1), fmt::arg("limit", limit),
      fmt::arg("cpus", a.cpus), fmt::arg("time", a.time), fmt::arg("placement", placementLines(a)),
      fmt::arg("logs", paths.logs), fmt::arg("runs", runs), fmt::arg("tasks", a.tasks),
      fmt::arg("arrayFile", shellQuote(paths.array)), fmt::arg("shards", shellQuote(paths.shards)),
      fmt::arg("binary", shellQuote(binary)), fmt::arg("spec", shellQuote(absolutePath(a.sweep.spec))),
      fmt::arg("sets", setOptions));
}

std::string mergeScript(const SlurmArguments& a, const SweepSpec& spec, const Paths& paths,
                        const std::string& binary) {
  return fmt::format(
      R"sh(#!/bin/bash
#SBATCH --job-name=actsweep-{name}-merge
#SBATCH --cpus-per-task=1
#SBATCH --time={time}
{placement}#SBATCH --output={logs}/merge_%j.out
# Merges the shards of sweep '{name}' into one database (written by actsweep slurm).
set -euo pipefail

tasks={tasks}
shards={shards}
database={database}
missing=""
for ((i = 0; i < tasks; i++)); do
  [ -f "$shards/shard-$i.db" ] || missing="$missing $i"
done
if [ -n "$missing" ]; then
  echo "actsweep: no shard from array tasks$missing: resubmit them (sbatch --array=...)" >&2
  exit 1
fi
# Merged from scratch on node-local disk, then renamed into place: running
# this job again after a resubmission gives the same database, never half one.
local_db="${{TMPDIR:-/tmp}}/actsweep-merge-${{SLURM_JOB_ID:-$$}}.db"
trap 'rm -f "$local_db" "$local_db-wal" "$local_db-shm"' EXIT
{binary} merge "$local_db" "$shards"/shard-*.db
cp "$local_db" "$database.tmp"
mv "$database.tmp" "$database"
echo "actsweep: merged $tasks shards into $database"
)sh",
      fmt::arg("name", spec.name), fmt::arg("time", a.time), fmt::arg("placement", placementLines(a)),
      fmt::arg("logs", paths.logs), fmt::arg("tasks", a.tasks), fmt::arg("shards", shellQuote(paths.shards)),
      fmt::arg("database", shellQuote(paths.database)), fmt::arg("binary", shellQuote(binary)));
}

std::string submitScript(const Paths& paths) {
  return fmt::format(
      R"sh(#!/bin/bash
# Submits the array job, then the merge job that starts once every task succeeded.
set -euo pipefail
array=$(sbatch --parsable {array})
array=${{array%%;*}}  # --parsable prints "id" or "id;cluster"
merge=$(sbatch --parsable --dependency=afterok:$array {merge})
merge=${{merge%%;*}}
echo "array job: $array"
echo "merge job: $merge"
)sh",
      fmt::arg("array", shellQuote(paths.array)), fmt::arg("merge", shellQuote(paths.merge)));
}

// Runs `command` with /bin/sh, returning its exit status and its stdout and stderr together.
int runCapturing(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buffer{};
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The arguments that do not fit the sweep or would break an #SBATCH line,
// and --submit without sbatch: false, with one line on err.
bool argumentsFit(const SlurmArguments& a, const SweepSpec& spec, long runs, std::ostream& err) {
  if (a.tasks < 1 || a.tasks > runs) {
    fmt::print(err, "actsweep slurm: --tasks {} is out of range: the sweep has {} run{}, so 1 to {}\n",
               a.tasks, runs, runs == 1 ? "" : "s", runs);
    return false;
  }
  for (const auto& [option, value] : {std::pair<const char*, const std::string&>{"--time", a.time},
                                      {"--partition", a.partition},
                                      {"--mem", a.memory},
                                      {"the sweep name", spec.name}}) {
    if (!fitsSbatchLine(value)) {
      fmt::print(
          err,
          "actsweep slurm: {} {}: no blanks, quotes or control characters (it goes on an #SBATCH line)\n",
          option, results::shownText(value));
      return false;
    }
  }
  if (a.submit && findOnPath("sbatch").empty()) {
    fmt::print(err,
               "actsweep slurm: --submit: sbatch is not on PATH (run on a Slurm login node, or without "
               "--submit and submit DIR/submit.sh there)\n");
    return false;
  }
  return true;
}

// Where everything goes: --out (default slurm/<sweep name>), absolute.
Paths pathsOf(const SlurmArguments& a, const SweepSpec& spec) {
  Paths paths;
  paths.directory = absolutePath(a.outDirectory.empty() ? "slurm/" + spec.name : a.outDirectory);
  const fs::path directory(paths.directory);
  paths.array = (directory / "array.sbatch").string();
  paths.merge = (directory / "merge.sbatch").string();
  paths.submit = (directory / "submit.sh").string();
  paths.shards = (directory / "shards").string();
  paths.logs = (directory / "logs").string();
  paths.database = (directory / (spec.name + ".db")).string();
  return paths;
}

void writeJobFiles(const SlurmArguments& a, const SweepSpec& spec, long runs, const Paths& paths) {
  // Slurm opens the log file before the script starts: its folder must exist.
  fs::create_directories(paths.logs);
  fs::create_directories(paths.shards);
  const std::string binary = a.binary.empty() ? ownBinary() : absolutePath(a.binary);
  writeFile(paths.array, arrayScript(a, spec, runs, paths, binary));
  writeFile(paths.merge, mergeScript(a, spec, paths, binary));
  writeFile(paths.submit, submitScript(paths), true);
}

// The files written, and how to resubmit failed tasks and read the results.
void printJobFiles(const SlurmArguments& a, const SweepSpec& spec, long runs, const Paths& paths,
                   std::ostream& out) {
  fmt::print(out, "{}: {} runs in {} array tasks{}\n", spec.name, runs, a.tasks,
             a.parallel > 0 ? fmt::format(", at most {} at once", a.parallel) : "");
  fmt::print(out, "  {}\n  {}\n  {}\n", paths.array, paths.merge, paths.submit);
  fmt::print(out, "resubmit failed tasks (here 3 and 7), then the merge:\n");
  fmt::print(out,
             "  array=$(sbatch --parsable --array=3,7 {}) && sbatch --dependency=afterok:${{array%%;*}} {}\n",
             shellQuote(paths.array), shellQuote(paths.merge));
  fmt::print(out, "results, once the merge job ran: actsweep report {}\n", shellQuote(paths.database));
}

// Runs DIR/submit.sh: its output (the job ids) on out, or exit 1 with it on err.
int submit(const Paths& paths, std::ostream& out, std::ostream& err) {
  std::string output;
  const int status = runCapturing(shellQuote(paths.submit), output);
  if (status != 0) {
    fmt::print(err, "actsweep slurm: {} failed (exit {}): {}\n", paths.submit, status, output);
    return kExitRunsFailed;
  }
  out << output;
  return kExitOk;
}

}  // namespace

std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void addSlurmOptions(CLI::App& command, SlurmArguments& a) {
  addSpecOptions(command, a.sweep);
  command.add_option("--tasks", a.tasks, "array tasks, one shard of the runs each (1 to the number of runs)")
      ->required();
  command.add_option("--parallel", a.parallel, "at most this many tasks at once (default: no limit)")
      ->check(CLI::PositiveNumber);
  command.add_option("--cpus", a.cpus, "CPUs per task, and the runs each task trains at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command.add_option("--time", a.time, "time limit per task")->capture_default_str();
  command.add_option("--partition", a.partition, "partition (default: the cluster's)");
  command.add_option("--mem", a.memory, "memory per task, as sbatch --mem takes it (default: the cluster's)");
  command.add_option("--out", a.outDirectory,
                     "where the scripts, logs and shards go (default: slurm/<sweep name>)");
  command.add_option("--binary", a.binary,
                     "the actsweep the jobs run, on a filesystem the nodes see (default: this one)");
  command.add_flag("--submit", a.submit, "submit the jobs now (runs DIR/submit.sh; sbatch must be on PATH)");
}

int runSlurm(const SlurmArguments& a, std::ostream& out, std::ostream& err) {
  const SweepSpec spec = parseSpec(a.sweep.spec, a.sweep.overrides);
  const Expansion expansion = expand(spec, a.sweep.maxRuns);
  printWarnings(expansion, err);
  if (reportBrokenRuns(a.sweep.spec, expansion, err) > 0) return kExitBadInput;
  const long runs = static_cast<long>(expansion.runs.size());
  if (!argumentsFit(a, spec, runs, err)) return kExitBadInput;
  const Paths paths = pathsOf(a, spec);
  if (!fitsSbatchLine(paths.directory)) {
    fmt::print(err,
               "actsweep slurm: --out {}: no blanks, quotes or control characters (the log path goes on an "
               "#SBATCH line)\n",
               results::shownText(paths.directory));
    return kExitBadInput;
  }
  writeJobFiles(a, spec, runs, paths);
  printJobFiles(a, spec, runs, paths, out);
  if (!a.submit) {
    fmt::print(out, "submit: {}\n", shellQuote(paths.submit));
    return kExitOk;
  }
  return submit(paths, out, err);
}

}  // namespace actsweep::runner
