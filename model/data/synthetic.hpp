#pragma once
// Generated datasets for quick, controlled studies: 2-D classification
// problems of known shape and a 1-D regression. The shapes are documented in
// dataset.hpp next to Source.

#include "model/data/data_config.hpp"
#include "model/data/raw_data.hpp"

namespace actsweep::data {

// config.samples points from Rng::forStream(config.seed, kGenerateStream):
// the same config gives bit-identical data. Classification sources interleave
// the classes (sample i has class i % classes), so the counts differ by at
// most one. features (2 x N) with targets (1 x N) class indices, or for abs
// features (1 x N) = x with targets (1 x N) = |x|. No test split: loadDataset
// cuts it off.
RawData generateSynthetic(const DataConfig& config);

}  // namespace actsweep::data
