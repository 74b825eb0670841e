#pragma once
// `actsweep train`: one run from the command line, one line per epoch.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "model/data/dataset.hpp"
#include "model/network.hpp"
#include "model/trainer.hpp"

namespace actsweep::runner {

// What the command line says, as text first (names are parsed and checked in
// resolve(), so that errors list the allowed values).
struct TrainArguments {
  std::string dataset = "fashion-mnist", dataPath, testPath, csvLabel, normalize = "standard";
  bool regression = false, rawPixels = false;
  long trainSize = 0, samples = 2000;
  double validation = 0.1, noise = 0.1;
  int classes = 3;
  std::uint64_t dataSeed = 0;

  std::string hidden = "256,256", activation = "relu", init = "he_normal", biasInit = "zero", norm = "none";
  double alpha = 0.01, rreluLower = 1.0 / 8, rreluUpper = 1.0 / 3, initScale = 0, biasValue = 0;
  double normMomentum = 0.1, dropout = 0;

  std::string optimizer = "sgd", schedule = "constant";
  int epochs = 10, batchSize = 64, probeSize = 1000, stepEpochs = 10;
  double lr = 0.05, momentum = 0.9, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, gamma = 0.1, minLr = 0,
         clip = 0;
  bool nesterov = false;
  std::uint64_t seed = 1;

  bool json = false;

  // The options given on the command line ("--alpha"), in order; filled by
  // addTrainOptions' parser. Empty for a run of a sweep file, whose settings
  // that do not apply are dropped before they get here.
  std::vector<std::string> given;
};

struct TrainJob {
  data::DataConfig data;
  model::NetworkConfig network;
  model::TrainConfig train;
};

void addTrainOptions(CLI::App& command, TrainArguments& arguments);

// Parses names and checks ranges; throws model::ConfigError or data::DataError.
// Also refuses, before any data is loaded: a network this machine cannot hold
// (model::checkMemory, with the data's shape where known without loading it),
// and a data option given on the command line that the dataset ignores
// (--raw-pixels on xor): the user meant other data.
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
