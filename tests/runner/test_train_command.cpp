// `actsweep train` end to end, in process: arguments -> data -> training -> output and exit code.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.hpp"
#include "runner/cli.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("train: a synthetic run prints a header, one line per epoch and a summary", "[runner][cli]") {
  const auto r = runActsweep({"train", "--dataset", "xor", "--hidden", "8,8", "--epochs", "3", "--samples", "400",
                              "--lr", "0.1"});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  CHECK(r.err.empty());
  const auto output = lines(r.out);
  REQUIRE(output.size() == 4 + 4 + 1);  // network, data, optimizer, columns; epochs 0..3; summary
  CHECK_THAT(output[0], StartsWith("network:") && Contains("2 -> 8 -> 8 -> 2"));
  CHECK_THAT(output[3], Contains("epoch") && Contains("dead fraction per layer"));
  CHECK_THAT(output.back(), StartsWith("summary:   completed after 3 of 3 epochs"));
}

TEST_CASE("train: --json prints one JSON object per epoch and a summary", "[runner][cli]") {
  const auto r = runActsweep({"train", "--dataset", "abs", "--hidden", "5,5", "--epochs", "2", "--samples", "200",
                              "--optimizer", "adam", "--lr", "0.01", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exitCode == kExitOk);
  const auto output = lines(r.out);
  REQUIRE(output.size() == 4);
  for (int e = 0; e < 3; ++e) {
    const auto epoch = nlohmann::json::parse(output[e]);
    CHECK(epoch["event"] == "epoch");
    CHECK(epoch["epoch"] == e);
    CHECK(epoch["test_acc"].is_null());  // regression
    CHECK(epoch["layers"].size() == 2);
    CHECK(epoch["layers"][0].contains("dead_fraction"));
  }
  const auto summary = nlohmann::json::parse(output[3]);
  CHECK(summary["event"] == "summary");
  CHECK(summary["outcome"] == "completed");
  CHECK(summary["born_dead"].is_boolean());
}

TEST_CASE("train: every synthetic dataset trains", "[runner][cli]") {
  const std::string dataset = GENERATE("spirals", "blobs", "xor", "circles", "checkerboard", "abs");
  const auto r = runActsweep({"train", "--dataset", dataset, "--hidden", "16", "--epochs", "1", "--samples", "300",
                              "--json"});
  INFO(dataset << ": " << r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("\"outcome\":\"completed\""));
}

TEST_CASE("train: a CSV file trains, with the label named by its header", "[runner][cli]") {
  const auto path = std::filesystem::temp_directory_path() / "actsweep-test-train.csv";
  {
    std::ofstream csv(path);
    csv << "x1,x2,label\n";
    for (int i = 0; i < 200; ++i) csv << (i % 2 ? 1.0 : -1.0) + 0.01 * i << ',' << 0.5 << ',' << i % 2 << '\n';
  }
  const auto r = runActsweep({"train", "--dataset", "csv", "--data-path", path.string(), "--csv-label", "label",
                              "--hidden", "4", "--epochs", "2", "--json"});
  std::filesystem::remove(path);
  INFO(r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("\"outcome\":\"completed\""));
}

TEST_CASE("train: a diverging run is a result, not an error", "[runner][cli]") {
  const auto r = runActsweep({"train", "--dataset", "abs", "--hidden", "8,8", "--epochs", "3", "--lr", "1e12",
                              "--samples", "200"});
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("diverged at epoch"));
}

TEST_CASE("train: bad input is one line on stderr and exit code 2", "[runner][cli]") {
  struct Case {
    std::vector<std::string> arguments;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"train", "--activation", "lrelu"}, "activation: unknown value 'lrelu' (allowed: relu, leaky_relu"},
      {{"train", "--hidden", "256,x"}, "--hidden: 'x' is not a positive width"},
      {{"train", "--alpha", "nan", "--activation", "leaky_relu"}, "alpha must be a finite number"},
      {{"train", "--epochs", "ten"}, "--epochs"},
      {{"train", "--no-such-option"}, "--no-such-option"},
      {{"train", "--dataset", "mnist"}, "mnist"},
      {{"train", "--dataset", "csv", "--data-path", "/nonexistent/file.csv"}, "/nonexistent/file.csv"},
      {{"train", "--batch-size", "0", "--dataset", "xor"}, "batch size must be >= 1"},
      {{"nonsense"}, "unknown command 'nonsense' (commands: train"},
  };
  for (const Case& c : cases) {
    const auto r = runActsweep(c.arguments);
    INFO(c.arguments.back() << " -> " << r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK_THAT(r.err, Contains(c.expected));
    CHECK(lines(r.err).size() == 1);
  }
}

TEST_CASE("train: --help prints the options and exits 0", "[runner][cli]") {
  const auto r = runActsweep({"train", "--help"});
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("--activation") && Contains("--init") && Contains("--norm"));
}
