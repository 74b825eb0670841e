#pragma once
// `actsweep train`: one run from the command line, one line per epoch.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "runner/settings.hpp"

namespace actsweep::runner {

// What the command line says: the settings given as options, by key, as
// their checked text ("--alpha 0.1" -> {"model.alpha", "0.1"}; a flag ->
// "true"). Every option is a setting of the registry (runner/settings.hpp),
// except the run seed and --json. Values are parsed in resolve().
struct TrainArguments {
  std::map<std::string, std::string> given;
  std::uint64_t seed = 1;  // --seed: initialization, shuffling, dropout
  bool json = false;
};

void addTrainOptions(CLI::App& command, TrainArguments& arguments);

// The given options over the defaults, as the job a sweep run with these
// settings would train (toTrainJob's checks); throws model::ConfigError or
// data::DataError. Also refuses, before any data is loaded, a data option
// that the dataset ignores (--raw-pixels on xor): the user meant other data.
TrainJob resolve(const TrainArguments& arguments);

// One warning per option given on the command line that the other settings
// ignore (--alpha with --activation relu, --momentum with adam): legal, since
// a sweep file may set them for some runs, but surely a mistake here.
std::vector<std::string> ignoredOptionWarnings(const TrainArguments& arguments);

// Loads the data, trains, prints; warnings go to err. Returns the exit code
// (0, or 130 when stopped). The two-stream form warns on std::cerr.
int runTrain(const TrainArguments& arguments, std::ostream& out, std::ostream& err);
int runTrain(const TrainArguments& arguments, std::ostream& out);

}  // namespace actsweep::runner
