// `actsweep slurm`, in process: the array, merge and submit scripts it writes
// (checked for their content and with `bash -n`), and its bad-input exits.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "runner/cli.hpp"
#include "runner/slurm_command.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// bash's syntax check of a generated script: 0 when it parses.
int bashSyntax(const std::string& path) { return std::system(("bash -n " + shellQuote(path)).c_str()); }

// PATH for the length of a test, restored after.
class PathOverride {
 public:
  explicit PathOverride(const std::string& path) {
    const char* old = std::getenv("PATH");
    hadPath_ = old != nullptr;
    if (old) old_ = old;
    setenv("PATH", path.c_str(), 1);
  }
  ~PathOverride() {
    if (hadPath_) {
      setenv("PATH", old_.c_str(), 1);
    } else {
      unsetenv("PATH");
    }
  }

 private:
  bool hadPath_ = false;
  std::string old_;
};

// 3 activations x 3 seeds = 9 runs.
constexpr const char* kTinySweep = R"(name: tiny
data: {dataset: xor, samples: 200}
model: {hidden: [4]}
train: {epochs: 1, lr: 0.1, batch_size: 50}
seeds: 3
grid:
  model.activation: [relu, tanh, elu]
)";

}  // namespace

TEST_CASE("slurm: writes the array, merge and submit scripts", "[slurm]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const std::string out = dir / "jobs";
  const auto r = runActsweep({"slurm",       spec,
                              "--tasks",     "4",
                              "--parallel",  "2",
                              "--cpus",      "3",
                              "--time",      "00:20:00",
                              "--partition", "short",
                              "--mem",       "4G",
                              "--out",       out,
                              "--set",       "train.lr=0.05",
                              "--set",       "description=it's a test",
                              "--binary",    "/opt/bin/actsweep"});
  INFO(r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Contains(out + "/array.sbatch") && Contains(out + "/merge.sbatch") &&
                        Contains(out + "/submit.sh"));
  CHECK_THAT(r.out, Contains("sbatch --parsable --array=3,7 '" + out + "/array.sbatch'"));
  CHECK_THAT(r.out, Contains("actsweep report '" + out + "/tiny.db'"));
  CHECK(fs::is_directory(out + "/logs"));
  CHECK(fs::is_directory(out + "/shards"));

  const std::string array = readText(out + "/array.sbatch");
  INFO(array);
  CHECK_THAT(array, Contains("#SBATCH --job-name=actsweep-tiny\n"));
  CHECK_THAT(array, Contains("#SBATCH --array=0-3%2\n"));
  CHECK_THAT(array, Contains("#SBATCH --cpus-per-task=3\n"));
  CHECK_THAT(array, Contains("#SBATCH --time=00:20:00\n"));
  CHECK_THAT(array, Contains("#SBATCH --partition=short\n"));
  CHECK_THAT(array, Contains("#SBATCH --mem=4G\n"));
  CHECK_THAT(array, Contains("#SBATCH --output=" + out + "/logs/%A_%a.out\n"));
  CHECK_THAT(array, Contains("set -euo pipefail"));
  CHECK_THAT(array, Contains("tasks=4\n"));
  CHECK_THAT(array, !Contains("SLURM_ARRAY_TASK_COUNT=") && !Contains("$SLURM_ARRAY_TASK_COUNT"));
  CHECK_THAT(array, Contains("${TMPDIR:-/tmp}/actsweep-$SLURM_ARRAY_JOB_ID-$SLURM_ARRAY_TASK_ID.db"));
  CHECK_THAT(array, Contains("'/opt/bin/actsweep' run '" + spec +
                             "' --shard \"$SLURM_ARRAY_TASK_ID/$tasks\" --jobs \"$SLURM_CPUS_PER_TASK\" "
                             "--db \"$local_db\" --set 'train.lr=0.05' --set 'description=it'\\''s a test'"));
  CHECK_THAT(array, Contains("shard=\"$shards/shard-$SLURM_ARRAY_TASK_ID.db\""));
  CHECK_THAT(array, Contains("cp \"$local_db\" \"$shard.tmp\"\n  mv \"$shard.tmp\" \"$shard\"\n"));

  const std::string merge = readText(out + "/merge.sbatch");
  INFO(merge);
  CHECK_THAT(merge, Contains("#SBATCH --partition=short\n"));
  CHECK_THAT(merge, Contains("'/opt/bin/actsweep' merge \"$local_db\" \"$shards\"/shard-*.db"));
  CHECK_THAT(merge, Contains("database='" + out + "/tiny.db'"));
  CHECK_THAT(merge, Contains("mv \"$database.tmp\" \"$database\""));

  const std::string submit = readText(out + "/submit.sh");
  INFO(submit);
  CHECK_THAT(submit, Contains("array=$(sbatch --parsable '" + out + "/array.sbatch')"));
  CHECK_THAT(submit, Contains("sbatch --parsable --dependency=afterok:$array '" + out + "/merge.sbatch'"));
  CHECK((fs::status(out + "/submit.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);

  for (const char* name : {"array.sbatch", "merge.sbatch", "submit.sh"}) {
    INFO(name);
    CHECK(bashSyntax(out + "/" + name) == 0);
  }
}

TEST_CASE("slurm: defaults: no %P, 2 CPUs, an hour, this binary, absolute paths", "[slurm]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path);
  const auto r = runActsweep({"slurm", "tiny.yaml", "--tasks", "9"});
  fs::current_path(previous);
  INFO(r.err);
  REQUIRE(r.exitCode == kExitOk);
  const std::string out = (dir.path / "slurm" / "tiny").string();
  const std::string array = readText(out + "/array.sbatch");
  INFO(array);
  CHECK_THAT(array, Contains("#SBATCH --array=0-8\n"));
  CHECK_THAT(array, Contains("#SBATCH --cpus-per-task=2\n"));
  CHECK_THAT(array, Contains("#SBATCH --time=01:00:00\n"));
  CHECK_THAT(array, !Contains("--partition") && !Contains("--mem"));
  CHECK_THAT(array, Contains(" run '" + spec + "' --shard"));  // the spec as an absolute path
  CHECK_THAT(array, Contains("\n'/"));  // the binary too: the only quoted path that starts a line
  CHECK(bashSyntax(out + "/array.sbatch") == 0);
}

TEST_CASE("slurm: --tasks must be between 1 and the number of runs", "[slurm]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  for (const char* tasks : {"10", "0"}) {
    const auto r = runActsweep({"slurm", spec, "--tasks", tasks, "--out", dir / "jobs"});
    INFO(r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK(lines(r.err).size() == 1);
    CHECK_THAT(r.err, Contains("9 runs"));
    CHECK(!fs::exists(dir / "jobs"));
  }
}

TEST_CASE("slurm: spec errors exit 2 as plan does", "[slurm]") {
  TempDir dir;
  const std::string spec = dir.file("bad.yaml", std::string(kTinySweep) + "  model.alpha: [oops]\n");
  const auto r = runActsweep({"slurm", spec, "--tasks", "2", "--out", dir / "jobs"});
  CHECK(r.exitCode == kExitBadInput);
  CHECK_THAT(r.err, Contains("bad.yaml:"));
  CHECK(!fs::exists(dir / "jobs"));
}

TEST_CASE("slurm: --submit without sbatch on PATH is one line and exit 2", "[slurm]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  fs::create_directories(dir.path / "empty-bin");
  CliResult r;
  {
    const PathOverride path(dir / "empty-bin");
    r = runActsweep({"slurm", spec, "--tasks", "2", "--out", dir / "jobs", "--submit"});
  }
  INFO(r.err);
  CHECK(r.exitCode == kExitBadInput);
  CHECK(lines(r.err).size() == 1);
  CHECK_THAT(r.err, Contains("sbatch is not on PATH"));
}

TEST_CASE("slurm: shellQuote makes one bash word of anything", "[slurm]") {
  CHECK(shellQuote("plain") == "'plain'");
  CHECK(shellQuote("") == "''");
  CHECK(shellQuote("it's $HOME") == "'it'\\''s $HOME'");
}
