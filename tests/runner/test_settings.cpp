// The settings registry (runner/settings.hpp) and what is derived from it:
// the docs' tables, `actsweep train`'s options, the typed columns of runs.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "../temp_dir.hpp"
#include "cli_harness.hpp"
#include "results/run_columns.hpp"
#include "runner/exit_codes.hpp"
#include "runner/settings.hpp"
#include "runner/settings_docs.hpp"
#include "runner/train_command.hpp"

using namespace actsweep::runner;
using actsweep::testing::readText;
using Catch::Matchers::Contains;

namespace {
const std::filesystem::path kSourceDir = ACTSWEEP_SOURCE_DIR;
}

TEST_CASE("settings: docs/sweep-file.md holds the tables `actsweep settings` prints", "[settings]") {
  const std::string doc = readText(kSourceDir / "docs" / "sweep-file.md");
  const auto begin = doc.find(kSettingsBegin);
  const auto end = doc.find(kSettingsEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const auto start = begin + kSettingsBegin.size() + 1;  // after the marker's line
  REQUIRE(start <= end);
  const std::string documented = doc.substr(start, end - start);
  INFO("docs/sweep-file.md is out of date: run scripts/update-docs");
  CHECK(documented == settingsMarkdown());

  const auto r = actsweep::testing::runActsweep({"settings"});
  CHECK(r.exitCode == kExitOk);
  CHECK(r.out == settingsMarkdown());
}

TEST_CASE("settings: every setting is one option of `actsweep train`, with its names in --help",
          "[settings]") {
  const auto help = actsweep::testing::runActsweep({"train", "--help"});
  REQUIRE(help.exitCode == kExitOk);
  std::set<std::string> options;
  for (const Setting& setting : allSettings()) {
    INFO(setting.key);
    CHECK(options.insert(setting.option).second);
    CHECK(trainOption(setting.key) == setting.option);
    CHECK_THAT(help.out, Contains(setting.option + " "));
    for (const std::string& name : setting.choices) CHECK_THAT(help.out, Contains(name));
  }
}

TEST_CASE("settings: the typed columns of runs are the registry's, taken from its keys", "[settings]") {
  // results/ owns the stored schema and fills each typed column from a config
  // key; the registry says which setting fills which column. Both must agree.
  std::map<std::string, std::string> declared = {{"seed", "seed"}};  // the run seed is not a setting
  for (const Setting& setting : allSettings())
    for (const std::string& column : setting.columns) CHECK(declared.emplace(column, setting.key).second);
  std::map<std::string, std::string> stored;
  for (const auto& column : actsweep::results::runColumns()) stored[column.name] = column.configKey;
  CHECK(declared == stored);
}

TEST_CASE("settings: a train flag keeps the value written after it", "[settings]") {
  // --nesterov alone is true; --nesterov=false is false, as a sweep file's `nesterov: false`.
  for (const std::string flag : {"--nesterov", "--nesterov=false", "--nesterov=true"}) {
    CLI::App app;
    TrainArguments arguments;
    addTrainOptions(app, arguments);
    const char* argv[] = {"train", flag.c_str()};
    app.parse(2, argv);
    INFO(flag);
    REQUIRE(arguments.given.count("train.nesterov") == 1);
    CHECK(arguments.given.at("train.nesterov") == (flag == "--nesterov=false" ? "false" : "true"));
  }
}
