#pragma once
// The data a run trains on, as plain matrices. Loading, normalizing and
// splitting live in model/data/ (libactsweep_data); the trainer needs only this.
//
// Samples are columns (model/tensor.hpp):
//   features: (inputs x N)
//   targets:  (1 x N) class indices for classification, (outputs x N) values for regression

#include <string>

#include "model/tensor.hpp"

namespace actsweep::model {

enum class Task { Classification, Regression };

struct Split {
  Matrix features;  // (inputs x N)
  Matrix targets;   // (1 x N) class indices, or (outputs x N) values
  Eigen::Index size() const { return features.cols(); }
};

// Immutable once built; shared read-only between runs.
struct Dataset {
  std::string name;  // "fashion-mnist", "spirals", "csv:path/to/file.csv"
  Task task = Task::Classification;
  int classes = 0;  // number of classes; 0 for regression
  Split train, validation, test;

  int inputs() const { return static_cast<int>(train.features.rows()); }
  // The network's output width: classes, or target rows for regression.
  int outputs() const {
    return task == Task::Classification ? classes : static_cast<int>(train.targets.rows());
  }
};

}  // namespace actsweep::model
