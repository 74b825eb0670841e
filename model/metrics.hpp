#pragma once
// What a run reports: plain structs, shared by the trainer (model/) and the
// store (results/). NaN means "not measured" (e.g. accuracy of a regression,
// validation metrics without a validation split); the store writes NULL.

#include <limits>

namespace actsweep::model {

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

struct EpochMetrics {
  int epoch = 0;  // 0: the initial network, before any step; then 1, 2, ...
  // Epoch 0: the initial network on the training split (eval mode).
  // Epoch >= 1: the mean over the epoch's batches while training (train mode),
  // as frameworks usually log it.
  double trainLoss = kNotMeasured, trainAccuracy = kNotMeasured;
  double validationLoss = kNotMeasured, validationAccuracy = kNotMeasured;
  double testLoss = kNotMeasured, testAccuracy = kNotMeasured;
  double learningRate = kNotMeasured;  // the rate used during this epoch
  double seconds = 0;                  // wall time: training and evaluation
};

// One hidden layer (1-based), measured on the probe set in eval mode.
struct LayerStats {
  int epoch = 0;
  int layer = 0;
  double deadFraction = 0;    // units whose pre-activation is <= 0 on every probe sample
  double zeroFraction = 0;    // activation outputs exactly 0, over units x samples (sparsity)
  double activationMean = 0;  // over units x samples
  double activationStd = 0;
  double gradientNorm = 0;  // |dL/dW| (Frobenius) of the layer's dense weights: mean over the epoch's
                            // batches; at epoch 0, on the probe set
  double weightNorm = 0;    // |W| (Frobenius) at the end of the epoch
  double preluSlope = kNotMeasured;  // mean learned slope, prelu only
};

enum class Outcome { Completed, Diverged, Interrupted };

struct RunResult {
  Outcome outcome = Outcome::Completed;
  int divergedEpoch = 0;  // the epoch whose training loss became NaN or Inf; 0 if none
  int epochsCompleted = 0;
  bool bornDead = false;  // at initialization the last hidden layer is constant on every probe input
  EpochMetrics final;     // the last completed epoch (epoch 0 if none)
  double bestValidationAccuracy = kNotMeasured;
  double finalDeadFraction = kNotMeasured;  // dead units / all hidden units, at the last completed epoch
};

}  // namespace actsweep::model
