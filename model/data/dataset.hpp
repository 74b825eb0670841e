#pragma once
// Datasets: loading (IDX, CSV, synthetic), normalization, validation split.
// Part of model/ but its own library (libactsweep_data) because it needs zlib.
//
// Layout follows model/tensor.hpp: samples are columns.
//   features: (inputs x N)
//   targets:  (1 x N) class indices for classification, (outputs x N) values for regression
//
// A Dataset is immutable once built and shared read-only between runs
// (std::shared_ptr<const Dataset>); loadDataset() caches by configuration so
// that a process loads Fashion-MNIST once however many runs use it.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "model/data/data_config.hpp"

namespace actsweep::data {

// The shape of a config's data as far as it is known without loading it, for
// the checks that must come first (does the network fit in memory?):
// fashion-mnist and mnist 784 inputs, 10 outputs, 60000 training samples at
// most; synthetic 2 inputs (abs 1), their classes (abs: 1 value), `samples`;
// csv 1, 1 and 0 (unknown: only the file can tell), so lower bounds there.
struct ShapeHint {
  int inputs = 1, outputs = 1;
  long samples = 0;  // the most samples a split can have; 0 = unknown
};
ShapeHint shapeHint(const DataConfig& config);

// Canonical text of a configuration, the key of the dataset cache.
std::string cacheKey(const DataConfig& config);

// Builds (or returns from the process-wide cache) the dataset a config names:
// load -> shuffle with the data seed -> train subset -> validation split ->
// normalization with training statistics applied to all three splits.
// Thread-safe; concurrent calls for the same key load once.
std::shared_ptr<const Dataset> loadDataset(const DataConfig& config);

// How many times a dataset was actually built (not served from the cache);
// for tests of "loaded once".
long datasetBuildCount();

// Forgets every cached dataset (those still held by callers stay alive); the
// next loadDataset() of any config builds again. For tests and long-lived
// processes that move on to other data.
void clearDatasetCache();

}  // namespace actsweep::data
