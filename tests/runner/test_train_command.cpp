// `actsweep train` end to end, in process: arguments -> data -> training -> output and exit code.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_harness.hpp"
#include "model/errors.hpp"
#include "runner/cli.hpp"
#include "runner/settings.hpp"
#include "runner/train_command.hpp"

using namespace actsweep::runner;
using namespace actsweep::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("train: a synthetic run prints a header, one line per epoch and a summary", "[runner][cli]") {
  const auto r = runActsweep(
      {"train", "--dataset", "xor", "--hidden", "8,8", "--epochs", "3", "--samples", "400", "--lr", "0.1"});
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
  const auto r = runActsweep({"train", "--dataset", "abs", "--hidden", "5,5", "--epochs", "2", "--samples",
                              "200", "--optimizer", "adam", "--lr", "0.01", "--json"});
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
  const auto r = runActsweep(
      {"train", "--dataset", dataset, "--hidden", "16", "--epochs", "1", "--samples", "300", "--json"});
  INFO(dataset << ": " << r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("\"outcome\":\"completed\""));
}

TEST_CASE("train: a CSV file trains, with the label named by its header", "[runner][cli]") {
  const auto path = std::filesystem::temp_directory_path() / "actsweep-test-train.csv";
  {
    std::ofstream csv(path);
    csv << "x1,x2,label\n";
    for (int i = 0; i < 200; ++i)
      csv << (i % 2 ? 1.0 : -1.0) + 0.01 * i << ',' << 0.5 << ',' << i % 2 << '\n';
  }
  const auto r = runActsweep({"train", "--dataset", "csv", "--data-path", path.string(), "--csv-label",
                              "label", "--hidden", "4", "--epochs", "2", "--json"});
  std::filesystem::remove(path);
  INFO(r.err);
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("\"outcome\":\"completed\""));
}

TEST_CASE("train: a diverging run is a result, not an error", "[runner][cli]") {
  const auto r = runActsweep(
      {"train", "--dataset", "abs", "--hidden", "8,8", "--epochs", "3", "--lr", "1e12", "--samples", "200"});
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
      {{"train", "--alpha", "nan", "--activation", "leaky_relu"}, "--alpha: 'nan' is not a finite number"},
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

namespace {

// `actsweep train` on a tiny synthetic problem that measures the initial network only.
CliResult quickTrain(std::vector<std::string> extra) {
  std::vector<std::string> arguments = {"train",    "--dataset", "xor",      "--samples", "100",
                                        "--hidden", "2",         "--epochs", "0"};
  // A later option replaces an earlier one of the same name (CLI11 refuses repeats).
  for (std::size_t i = 0; i + 1 < extra.size(); i += 2) {
    const auto found = std::find(arguments.begin(), arguments.end(), extra[i]);
    if (found != arguments.end()) arguments.erase(found, found + 2);
  }
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  return runActsweep(arguments);
}

}  // namespace

TEST_CASE("train: odd and long text in every option is a short one-line refusal or a valid run",
          "[runner][cli][fuzz]") {
  const std::vector<std::string> options = {
      "--dataset",    "--data-path",  "--test-path",   "--csv-label",     "--normalize",    "--train-size",
      "--validation", "--samples",    "--noise",       "--classes",       "--data-seed",    "--hidden",
      "--activation", "--alpha",      "--rrelu-lower", "--rrelu-upper",   "--init",         "--init-scale",
      "--bias-init",  "--bias-value", "--norm",        "--norm-momentum", "--dropout",      "--epochs",
      "--batch-size", "--optimizer",  "--lr",          "--momentum",      "--weight-decay", "--beta1",
      "--beta2",      "--schedule",   "--step-epochs", "--gamma",         "--min-lr",       "--clip",
      "--probe-size", "--seed"};
  const std::vector<std::string> inputs = {"1,,2",
                                           "-0",
                                           "0x10",
                                           "1e3",
                                           "NaN",
                                           "inf",
                                           "-inf",
                                           "",
                                           "1e400",
                                           " 5",
                                           "256,",
                                           "\xff\xfe",
                                           std::string(30000, '1'),
                                           std::string(30000, 'x')};
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& option : options) {
    for (const std::string& input : inputs) {
      const auto r = quickTrain({option, input});
      INFO(option << " '" << input.substr(0, 20) << "' -> " << r.exitCode << ": " << r.err.substr(0, 400));
      REQUIRE((r.exitCode == kExitOk || r.exitCode == kExitBadInput));
      if (r.exitCode == kExitOk) continue;
      CHECK(lines(r.err).size() == 1);
      CHECK(r.err.size() < 400);  // the input is quoted in part, never whole
    }
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));  // takes ~1 s
}

TEST_CASE("train: numbers are read strictly, in decimal", "[runner][cli]") {
  struct Case {
    std::vector<std::string> arguments;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"--hidden", "1,,2"}, "--hidden: '' is not a positive width"},
      {{"--hidden", "256,"}, "--hidden: '' is not a positive width"},
      {{"--hidden", "0x10"}, "--hidden: '0x10' is not a positive width"},
      {{"--hidden", "-0"}, "--hidden: '-0' is not a positive width"},
      {{"--hidden", "1e3"}, "--hidden: '1e3' is not a positive width"},
      {{"--hidden", " 5"}, "--hidden: ' 5' is not a positive width"},
      {{"--hidden", "99999999999"}, "--hidden: width 99999999999 is too large (at most 2147483647 units)"},
      {{"--hidden", std::string(30000, '1')}, "is too long (at most 4096 characters)"},
      {{"--epochs", "1e3"}, "--epochs: '1e3' is not an integer (allowed: an integer from -2147483648 to"},
      {{"--epochs", "0x10"}, "--epochs: '0x10' is not an integer"},
      {{"--epochs", ""}, "--epochs: '' is not an integer"},
      {{"--samples", "99999999999999999999"}, "--samples: 99999999999999999999 is out of range"},
      {{"--lr", "inf"}, "--lr: 'inf' is not a finite number"},
      {{"--lr", "1e400"}, "--lr: '1e400' is not a finite number"},
      {{"--noise", "0x10"}, "--noise: '0x10' is not a finite number"},
      {{"--dataset", std::string(30000, 'x')}, "--dataset: 'xxxxxxxxxx"},
  };
  for (const Case& c : cases) {
    const auto r = quickTrain(c.arguments);
    INFO(c.arguments[0] << " " << c.arguments[1].substr(0, 20) << " -> " << r.err.substr(0, 300));
    CHECK(r.exitCode == kExitBadInput);
    CHECK_THAT(r.err, Contains(c.expected));
    CHECK(lines(r.err).size() == 1);
  }
  // CLI11 alone reads "010" as octal 8: the text is made plain decimal first.
  const auto r = quickTrain({"--epochs", "010", "--json"});
  REQUIRE(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("\"epochs_completed\":10"));
}

TEST_CASE("train: a seed outside 0..2^64-1 is refused with the range, not wrapped", "[runner][cli]") {
  const std::string longSeed(30000, '1');
  for (const std::string seed : {"-1", "1e23", "18446744073709551616", longSeed.c_str(), "", "-0"}) {
    for (const std::string option : {"--seed", "--data-seed"}) {
      const auto r = quickTrain({option, seed});
      INFO(option << " " << seed.substr(0, 30) << " -> " << r.err.substr(0, 300));
      CHECK(r.exitCode == kExitBadInput);
      CHECK_THAT(r.err, Contains(option + ":") && Contains("18446744073709551615"));
      CHECK(lines(r.err).size() == 1);
    }
  }
  // The largest seed a sweep file takes is taken here too.
  const auto r = quickTrain({"--seed", "18446744073709551615"});
  CHECK(r.exitCode == kExitOk);
  CHECK_THAT(r.out, Contains("seed 18446744073709551615"));
}

TEST_CASE("train: a data option the dataset ignores is refused, naming the datasets it applies to",
          "[runner][cli]") {
  struct Case {
    std::vector<std::string> arguments;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"--raw-pixels"},
       "--raw-pixels is ignored: it applies only when --dataset is fashion-mnist or mnist (here: xor)"},
      {{"--regression"}, "--regression is ignored: it applies only when --dataset is csv (here: xor)"},
      {{"--csv-label", "y"}, "--csv-label is ignored: it applies only when --dataset is csv"},
      {{"--test-path", "t.csv"}, "--test-path is ignored"},
      {{"--data-path", "/tmp"},
       "--data-path is ignored: it applies only when --dataset is fashion-mnist, mnist or csv"},
      {{"--noise", "0.5", "--dataset", "abs"},
       "--noise is ignored: it applies only when --dataset is spirals"},
      {{"--classes", "4"},
       "--classes is ignored: it applies only when --dataset is blobs or spirals (here: xor)"},
      {{"--samples", "200", "--dataset", "mnist", "--data-path", "/nonexistent"}, "--samples is ignored"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> arguments = {"train", "--dataset", "xor", "--hidden", "2", "--epochs", "0"};
    for (std::size_t i = 0; i < c.arguments.size(); ++i) {
      if (c.arguments[i] == "--dataset") {
        arguments[2] = c.arguments[++i];
      } else {
        arguments.push_back(c.arguments[i]);
      }
    }
    const auto r = runActsweep(arguments);
    INFO(c.arguments[0] << " -> " << r.err);
    CHECK(r.exitCode == kExitBadInput);
    CHECK_THAT(r.err, Contains(c.expected) && Contains("drop it"));
    CHECK(lines(r.err).size() == 1);
  }
}

TEST_CASE("train: options the other settings ignore are warned about, only when given", "[runner][cli]") {
  const auto parse = [](std::vector<std::string> arguments) {
    CLI::App app;
    TrainArguments parsed;
    addTrainOptions(app, parsed);
    arguments.insert(arguments.begin(), "train");
    std::vector<const char*> argv;
    for (const auto& a : arguments) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return parsed;
  };
  const auto warnings = ignoredOptionWarnings(parse(
      {"--alpha", "0.1", "--optimizer", "adam", "--momentum", "0.5", "--gamma", "0.5", "--bias-value", "1"}));
  REQUIRE(warnings.size() == 4);
  CHECK_THAT(warnings[0], Contains("--alpha is ignored: it applies only when --activation is leaky_relu, "
                                   "prelu or elu (here: relu)"));
  CHECK_THAT(warnings[1],
             Contains("--bias-value is ignored: not with --init he_normal and --bias-init zero"));
  CHECK_THAT(warnings[2],
             Contains("--momentum is ignored: it applies only when --optimizer is sgd (here: adam)"));
  CHECK_THAT(warnings[3],
             Contains("--gamma is ignored: it applies only when --schedule is step (here: constant)"));
  CHECK(ignoredOptionWarnings(parse({})).empty());  // defaults that do not apply are not the user's doing
  CHECK(ignoredOptionWarnings(parse({"--alpha", "0.1", "--activation", "leaky_relu", "--momentum", "0.5"}))
            .empty());
}

TEST_CASE("train: a network the machine cannot hold is refused before allocating, with the arithmetic",
          "[runner][cli][memory]") {
  const auto r = quickTrain({"--hidden", "1000000000"});
  INFO(r.err);
  CHECK(r.exitCode == kExitBadInput);
  CHECK_THAT(r.err, StartsWith("actsweep train: network 2 -> 1000000000 -> 2 needs about") &&
                        Contains("over this machine's") &&
                        Contains("parameters x 3 (value, gradient, velocity)"));
  CHECK(lines(r.err).size() == 1);
  // Every sweep run (validate, plan, run, slurm) goes through toTrainJob: refused there too, with the
  // shape known without loading the data (fashion-mnist: 784 inputs, 10 classes).
  Settings settings = {{"model.hidden", Value(std::vector<long>{1'000'000'000})}};
  CHECK_THROWS_WITH(toTrainJob(settings, 0), StartsWith("network 784 -> 1000000000 -> 10 needs about"));
  // csv: the shape is unknown until the file is read, so the weights between hidden layers alone
  // (10^18 here) decide; a probe of 10^8 samples is no reason to refuse a file that may hold 200.
  settings["data.dataset"] = "csv";
  settings["data.path"] = "unread.csv";
  settings["model.hidden"] = Value(std::vector<long>{1'000'000'000, 1'000'000'000});
  CHECK_THROWS_AS(toTrainJob(settings, 0), actsweep::model::ConfigError);
  settings["diagnostics.probe_size"] = 100'000'000;
  settings["model.hidden"] = Value(std::vector<long>{256, 256});
  CHECK_NOTHROW(toTrainJob(settings, 0));
}
