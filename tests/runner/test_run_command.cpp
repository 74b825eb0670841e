// `actsweep run` and `actsweep status` end to end, in process (and, for
// kill -9, as a child process): a sweep file -> the database -> its rows.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "runner/cli.hpp"
#include "runner/run_command.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// 3 activations x 3 seeds = 9 runs of a few milliseconds each.
constexpr const char* kTinySweep = R"(name: tiny
data: {dataset: xor, samples: 200}
model: {hidden: [4]}
train: {epochs: 2, batch_size: 32, lr: 0.1}
seeds: 3
grid:
  model.activation: [relu, tanh, elu]
)";
constexpr int kTinyRuns = 9, kTinyEpochs = 2;

// run_key -> every epoch's test loss and the final test loss, as text (exact).
std::map<std::string, std::string> resultsByKey(const std::string& database) {
  SQLite::Database db(database, SQLite::OPEN_READONLY);
  SQLite::Statement query(
      db,
      "SELECT r.run_key, r.final_test_loss, group_concat(e.test_loss || '/' || e.train_loss, ' ') "
      "FROM runs r JOIN epochs e ON e.run_id = r.run_id GROUP BY r.run_id ORDER BY r.run_key");
  std::map<std::string, std::string> results;
  while (query.executeStep())
    results[query.getColumn(0).getString()] =
        fmt::format("{:.17g} | {}", query.getColumn(1).getDouble(), query.getColumn(2).getString());
  return results;
}

}  // namespace

TEST_CASE("run: trains every run into a new database and prints a summary", "[runner][run]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const std::string db = dir / "out/tiny.db";  // the folder is created
  const auto r = runActsweep({"run", spec, "--db", db, "--jobs", "2", "--quiet"});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, StartsWith("tiny: 9 done, 0 failed, 0 diverged, 0 interrupted of 9 runs in ") &&
                        Contains("results in " + db));
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done'") == kTinyRuns);
  CHECK(scalar(db, "SELECT count(*) FROM epochs") == kTinyRuns * (kTinyEpochs + 1));
  CHECK(scalar(db, "SELECT count(*) FROM layer_stats") == kTinyRuns * (kTinyEpochs + 1) * 1);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE final_test_loss IS NULL OR wall_seconds IS NULL") == 0);
  CHECK(scalar(db,
               "SELECT count(*) FROM sweeps WHERE name = 'tiny' AND length(spec_hash) = 16 "
               "AND git_rev <> '' AND host <> ''") == 1);

  SECTION("the same command again trains nothing (resume)") {
    const auto again = runActsweep({"run", spec, "--db", db, "--jobs", "2", "--quiet"});
    INFO(again.out << again.err);
    REQUIRE(again.exitCode == kExitOk);
    CHECK_THAT(again.out, StartsWith("tiny: 9 done, 0 failed"));
    CHECK(scalar(db, "SELECT max(attempts) FROM runs") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM epochs") == kTinyRuns * (kTinyEpochs + 1));
    CHECK(scalar(db, "SELECT count(*) FROM sweeps") == 2);  // every invocation is recorded
  }
  SECTION("a larger grid adds only the new runs") {
    const auto more = runActsweep({"run", spec, "--db", db, "--quiet", "--set", "seeds=4"});
    INFO(more.out << more.err);
    REQUIRE(more.exitCode == kExitOk);
    CHECK_THAT(more.out, StartsWith("tiny: 12 done"));
    CHECK(scalar(db, "SELECT max(attempts) FROM runs") == 1);
  }
}

TEST_CASE("run: the default database is results/<sweep name>.db", "[runner][run]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path);
  const auto r = runActsweep({"run", spec, "--quiet"});
  fs::current_path(previous);
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(fs::is_regular_file(dir.path / "results" / "tiny.db"));
}

TEST_CASE("run: results do not depend on --jobs", "[runner][run]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const auto one = runActsweep({"run", spec, "--db", dir / "one.db", "--jobs", "1", "--quiet"});
  const auto four = runActsweep({"run", spec, "--db", dir / "four.db", "--jobs", "4", "--quiet"});
  REQUIRE(one.exitCode == kExitOk);
  REQUIRE(four.exitCode == kExitOk);
  const auto a = resultsByKey(dir / "one.db");
  const auto b = resultsByKey(dir / "four.db");
  CHECK(a.size() == kTinyRuns);
  CHECK(a == b);
}

TEST_CASE("run: a run that fails is stored with its message; the others finish; exit 1", "[runner][run]") {
  TempDir dir;
  const std::string spec = dir.file("mixed.yaml", std::string(kTinySweep) + R"(  data.dataset: [xor, csv]
)");
  // The csv runs name a file that does not exist: they build, but fail when they load their data.
  const std::string missing = dir / "missing.csv";
  const auto r =
      runActsweep({"run", spec, "--db", dir / "mixed.db", "--quiet", "--set", "data.path=" + missing});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitRunsFailed);
  CHECK_THAT(r.out, StartsWith("tiny: 9 done, 9 failed, 0 diverged, 0 interrupted of 18 runs"));
  CHECK_THAT(r.err, Contains("failed") && Contains("missing.csv"));
  const std::string db = dir / "mixed.db";
  CHECK(scalar(db,
               "SELECT count(*) FROM runs WHERE status = 'failed' AND dataset = 'csv' "
               "AND error LIKE '%missing.csv%'") == 9);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done' AND dataset = 'xor'") == 9);

  SECTION("again: the failed runs are not retried, and still give 1") {
    const auto again = runActsweep({"run", spec, "--db", db, "--quiet", "--set", "data.path=" + missing});
    CHECK(again.exitCode == kExitRunsFailed);
    CHECK(scalar(db, "SELECT max(attempts) FROM runs") == 1);
  }
  SECTION("--retry-failed tries each failed run once more") {
    const auto again =
        runActsweep({"run", spec, "--db", db, "--quiet", "--retry-failed", "--set", "data.path=" + missing});
    CHECK(again.exitCode == kExitRunsFailed);
    CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'failed' AND attempts = 2") == 9);
  }
  SECTION("--fail-fast stops at the first failure") {
    const std::string fresh = dir / "fast.db";
    const auto fast = runActsweep({"run", spec, "--db", fresh, "--quiet", "--jobs", "1", "--fail-fast",
                                   "--set", "data.path=" + missing});
    INFO(fast.out << fast.err);
    CHECK(fast.exitCode == kExitRunsFailed);
    CHECK(scalar(fresh, "SELECT count(*) FROM runs WHERE status = 'failed'") == 1);
    CHECK(scalar(fresh, "SELECT count(*) FROM runs WHERE status = 'running'") == 0);
  }
}

TEST_CASE("run: a spec error or a run that does not build exits 2 before any database", "[runner][run]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const auto bad = runActsweep({"run", spec, "--db", dir / "x.db", "--set", "model.activation=relux"});
  CHECK(bad.exitCode == kExitBadInput);
  const auto broken = runActsweep({"run", spec, "--db", dir / "x.db", "--set", "train.batch_size=0"});
  CHECK(broken.exitCode == kExitBadInput);
  CHECK(!fs::exists(dir / "x.db"));
}

TEST_CASE("run: a stop request stores running runs as interrupted; the same command resumes",
          "[runner][run]") {
  TempDir dir;
  // Runs of a few hundred milliseconds each, so the stop lands mid-sweep.
  const std::string spec = dir.file("slow.yaml", R"(name: slow
data: {dataset: xor, samples: 2000}
model: {hidden: [64, 64]}
train: {epochs: 500, batch_size: 8, lr: 0.01}
seeds: 4
)");
  const std::string db = dir / "slow.db";
  RunArguments arguments;
  arguments.sweep.spec = spec;
  arguments.database = db;
  arguments.jobs = 2;
  arguments.quiet = true;
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    stop = true;
  });
  std::ostringstream out, err;
  const int code = runSweep(arguments, out, err, stop);
  stopper.join();
  INFO(out.str() << err.str());
  REQUIRE(code == kExitInterrupted);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'running'") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'interrupted'") >= 1);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done'") < 4);

  const auto again = runActsweep({"run", spec, "--db", db, "--jobs", "2", "--quiet"});
  INFO(again.out << again.err);
  REQUIRE(again.exitCode == kExitOk);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done'") == 4);
  CHECK(scalar(db, "SELECT count(*) FROM epochs") == 4 * 501);
}

TEST_CASE("status: counts, rate and in-flight runs, as text and JSON", "[runner][status]") {
  TempDir dir;
  const std::string spec = dir.file("tiny.yaml", kTinySweep);
  const std::string db = dir / "tiny.db";
  REQUIRE(runActsweep({"run", spec, "--db", db, "--quiet"}).exitCode == kExitOk);

  const auto text = runActsweep({"status", db});
  INFO(text.out << text.err);
  REQUIRE(text.exitCode == kExitOk);
  CHECK_THAT(text.out, Contains("'tiny'") && Contains("9 runs: 9 done, 0 running, 0 pending, 0 failed") &&
                           Contains("9 finished"));

  const auto json = runActsweep({"status", db, "--json"});
  REQUIRE(json.exitCode == kExitOk);
  const auto status = nlohmann::json::parse(json.out);
  REQUIRE(status["sweeps"].size() == 1);
  const auto& sweep = status["sweeps"][0];
  CHECK(sweep["name"] == "tiny");
  CHECK(sweep["runs"] == 9);
  CHECK(sweep["done"] == 9);
  CHECK(sweep["in_flight"].empty());
  CHECK(sweep["finished_last_10_min"] == 9);
  CHECK(sweep["runs_per_minute"].get<double>() > 0);
  CHECK(sweep["eta_seconds"].is_null());  // nothing left

  const auto missing = runActsweep({"status", dir / "nope.db"});
  CHECK(missing.exitCode == kExitBadInput);
  CHECK_THAT(missing.err, Contains("no such database"));
  CHECK(!fs::exists(dir / "nope.db"));
  const auto notOurs = runActsweep({"status", spec});
  CHECK(notOurs.exitCode == kExitBadInput);
}

#ifdef ACTSWEEP_BINARY
namespace {

// 200 runs of a few milliseconds (about a second in all on 2 jobs).
constexpr const char* kManySweep = R"(name: many
data: {dataset: xor, samples: 2000}
model: {hidden: [32]}
train: {epochs: 10, batch_size: 16, lr: 0.1}
seeds: 50
grid:
  model.activation: [relu, tanh, elu, leaky_relu]
)";

// `actsweep run SPEC --db DB --jobs JOBS --quiet` as a child process, output discarded.
pid_t startActsweep(const std::string& spec, const std::string& db, const char* jobs) {
  const pid_t child = fork();
  if (child == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    execl(ACTSWEEP_BINARY, ACTSWEEP_BINARY, "run", spec.c_str(), "--db", db.c_str(), "--jobs", jobs,
          "--quiet", static_cast<char*>(nullptr));
    _exit(127);
  }
  return child;
}

}  // namespace

TEST_CASE("run: two processes on one new database train every run exactly once", "[runner][run][cluster]") {
  TempDir dir;
  const std::string spec = dir.file("many.yaml", kManySweep);
  const std::string db = dir / "many.db";
  const pid_t first = startActsweep(spec, db, "1");
  const pid_t second = startActsweep(spec, db, "1");
  REQUIRE(first > 0);
  REQUIRE(second > 0);
  for (const pid_t child : {first, second}) {
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == kExitOk);
  }
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done'") == 200);
  CHECK(scalar(db, "SELECT max(attempts) FROM runs") == 1);  // nobody trained a run twice
  CHECK(scalar(db, "SELECT count(*) FROM epochs") == 200 * 11);
  SQLite::Database handle(db, SQLite::OPEN_READONLY);
  CHECK(handle.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("run: kill -9 mid-sweep loses only the runs in flight; the next run redoes them",
          "[runner][run][kill]") {
  TempDir dir;
  // The kill lands among many commits.
  const std::string spec = dir.file("many.yaml", kManySweep);
  const std::string db = dir / "many.db";
  const auto start = [&] { return startActsweep(spec, db, "2"); };
  const pid_t child = start();
  REQUIRE(child > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  INFO("killed before the end: " << killed);

  const pid_t again = start();
  REQUIRE(again > 0);
  waitpid(again, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == kExitOk);
  CHECK(scalar(db, "SELECT count(*) FROM runs") == 200);
  CHECK(scalar(db, "SELECT count(*) FROM runs WHERE status = 'done'") == 200);
  CHECK(scalar(db, "SELECT count(*) FROM epochs") == 200 * 11);
  CHECK(scalar(db, "SELECT count(*) FROM epochs e JOIN runs r USING (run_id) WHERE r.status <> 'done'") == 0);
  // Each run trained to the end once: at most one earlier attempt (killed in flight).
  CHECK(scalar(db, "SELECT max(attempts) FROM runs") <= 2);
  SQLite::Database handle(db, SQLite::OPEN_READONLY);
  CHECK(handle.execAndGet("PRAGMA integrity_check").getString() == "ok");
}
#endif
