#pragma once
// What a source loader hands to loadDataset(): the samples as read or
// generated, before shuffling, the train subset, the validation split and
// normalization.

#include <cstdint>
#include <optional>
#include <string>

#include "model/data/data_config.hpp"

namespace actsweep::data {

// The independent random streams of one data seed (Rng::forStream): changing
// how one is used leaves the others' numbers alone.
enum DataStream : std::uint64_t {
  kGenerateStream = 1,  // synthetic points
  kTestCutStream = 2,   // the order from which the test split is cut (sources without a test set)
  kShuffleStream = 3,   // the training order: which samples the subset keeps and validation takes
};

struct RawData {
  std::string name;  // Dataset::name
  Task task = Task::Classification;
  int classes = 0;            // 0 for regression
  Split train;                // every training sample (for sources without a test set: every sample)
  std::optional<Split> test;  // the source's own test set; empty = cut DataConfig::testFraction off train
};

}  // namespace actsweep::data
