// Every command's text options fed long and odd text, in process: each is
// refused in one line with exit 2 (or accepted), never an internal error, a
// crash or a hang; and output that cannot reach stdout is an error.
#include <catch2/catch.hpp>
#include <streambuf>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "runner/cli.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;

namespace {

constexpr const char* kTinySweep = R"(name: tiny
data: {dataset: xor, samples: 64}
model: {hidden: [4]}
train: {epochs: 1, batch_size: 16, lr: 0.1}
seeds: 2
grid:
  model.activation: [relu, tanh]
)";

// Odd text for an option's value: long (past std::regex's stack and any
// sane message), line breaks and control characters, signs, huge and
// non-finite numbers, multi-byte text, SQL and shell.
std::vector<std::string> oddValues() {
  return {std::string(30000, 'a'),
          std::string(30000, '9'),
          "x\ny",
          "\x01\x7f\x1b[31m",
          "-1",
          "1e999",
          "nan",
          "-0",
          "0x10",
          "",
          " ",
          "caf\xc3\xa9 \xe2\x88\x9e",
          "\xff\xfe",
          "model.activation=\xff",     // not UTF-8: JSON output threw type_error 316
          "description=\xed\xa0\x80",  // a UTF-16 surrogate written as UTF-8
          "'; DROP TABLE runs; --",
          "$(touch /tmp/actsweep-odd)`id`",
          "a,b,,c,",
          "=",
          "1/0",
          "../../../etc/passwd"};
}

}  // namespace

TEST_CASE("every command's text options: odd values are refused in one line or accepted",
          "[runner][cli][fuzz]") {
  TempDir directory;
  const std::string spec = directory.file("tiny.yaml", kTinySweep);
  const std::string database = directory / "tiny.db";
  REQUIRE(runActsweep({"run", spec, "--db", database, "--quiet"}).exitCode == kExitOk);

  // {command and its fixed arguments, option}: the value follows the option
  // (an empty option: the value is a positional argument).
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"report", database}, "--where"},
      {{"report", database}, "--by"},
      {{"report", database}, "--vs"},
      {{"report", database}, "--metric"},
      {{"report", database}, "--format"},
      {{"report", database, "--plot", directory / "plots"}, "--layer-epoch"},
      {{"report", database, "--plot", directory / "plots"}, "--layer-metric"},
      {{"report", database, "--plot", directory / "plots"}, "--curve"},
      {{"export", database}, "--table"},
      {{"export", database}, "--view"},
      {{"export", database, "--table", "runs"}, "--format"},
      {{"status"}, ""},
      {{"plan", spec}, "--set"},
      {{"plan", spec}, "--max-runs"},
      {{"validate"}, ""},
      {{"run", spec, "--quiet", "--db", directory / "odd.db"}, "--shard"},
      {{"run", spec, "--quiet", "--db", directory / "odd.db"}, "--jobs"},
      {{"slurm", spec, "--tasks", "2", "--out", directory / "slurm"}, "--time"},
      {{"slurm", spec, "--tasks", "2", "--out", directory / "slurm"}, "--mem"},
      {{"train", "--dataset", "xor", "--epochs", "0"}, "--hidden"},
      {{"train", "--dataset", "xor", "--epochs", "0"}, "--activation"},
      {{"train", "--dataset", "xor", "--epochs", "0"}, "--seed"},
      {{"train", "--dataset", "xor", "--epochs", "0"}, "--lr"},
      {{}, ""},  // the command name itself
  };
  int refused = 0;
  for (const auto& [command, option] : cases)
    for (const std::string& value : oddValues()) {
      std::vector<std::string> arguments = command;
      if (!option.empty()) arguments.push_back(option);
      arguments.push_back(value);
      const CliResult result = runActsweep(arguments);
      INFO(arguments.front() << " " << option << " = " << value.substr(0, 40) << " (" << value.size()
                             << " characters): " << result.err.substr(0, 300));
      REQUIRE((result.exitCode == kExitOk || result.exitCode == kExitBadInput));
      if (result.exitCode != kExitBadInput) continue;
      ++refused;
      CHECK(lines(result.err).size() >= 1);
      for (const std::string& line : lines(result.err)) CHECK(line.size() < 1500);
      CHECK_THAT(result.err, !Contains("internal error"));
    }
  CHECK(refused > 300);
}

namespace {

// A stream buffer whose every write fails, as on a full disk.
struct FullDisk : std::streambuf {
  int overflow(int) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

}  // namespace

TEST_CASE("output that cannot be written is an error of its own", "[runner][cli]") {
  TempDir directory;
  const std::string spec = directory.file("tiny.yaml", kTinySweep);
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"plan", spec}, {"validate", spec}, {"--version"}, {"--help"}}) {
    FullDisk full;
    std::ostream out(&full);
    std::ostringstream err;
    std::vector<const char*> argv = {"actsweep"};
    for (const auto& a : arguments) argv.push_back(a.c_str());
    const int code = runCli(static_cast<int>(argv.size()), argv.data(), out, err);
    INFO(arguments.front());
    CHECK(code == kExitOutputFailed);
    CHECK_THAT(err.str(), Contains("cannot write standard output"));
  }
}
