#pragma once
// `actsweep train`: one run from the command line, one line per epoch.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

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
  double lr = 0.05, momentum = 0.9, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, gamma = 0.1, minLr = 0, clip = 0;
  bool nesterov = false;
  std::uint64_t seed = 1;

  bool json = false;
};

struct TrainJob {
  data::DataConfig data;
  model::NetworkConfig network;
  model::TrainConfig train;
};

void addTrainOptions(CLI::App& command, TrainArguments& arguments);

// Parses names and checks ranges; throws model::ConfigError or data::DataError.
TrainJob resolve(const TrainArguments& arguments);

// Loads the data, trains, prints. Returns the exit code (0, or 130 when stopped).
int runTrain(const TrainArguments& arguments, std::ostream& out);

}  // namespace actsweep::runner
