#pragma once
// Runs and sweeps made up for the store tests (test_store.cpp, test_open.cpp).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "results/store.hpp"

namespace actsweep::testing {

inline results::SweepRecord sweepNamed(const std::string& name) {
  results::SweepRecord sweep;
  sweep.name = name;
  sweep.specText = "name: " + name + "\n";
  sweep.specHash = "0123456789abcdef";
  sweep.overridesJson = "[]";
  sweep.host = "test-host";
  sweep.version = "0.1.0";
  return sweep;
}

inline results::RunToAdd runNumbered(int i, double cost) {
  results::RunToAdd run;
  run.runKey = "key" + std::to_string(i);
  run.config = {{"model.activation", "leaky_relu"},
                {"model.alpha", 0.01 * i},
                {"model.hidden", {64, 32}},
                {"model.init", "he"},
                {"model.norm", "none"},
                {"data.dataset", "spirals"},
                {"train.optimizer", "sgd"},
                {"train.lr", 0.1},
                {"train.batch_size", 32},
                {"train.epochs", 3},
                {"seed", i}};
  run.estimatedCost = cost;
  return run;
}

// n runs key0..key{n-1} with cost i (key{n-1} most expensive), added to a new sweep.
inline std::vector<results::RunToAdd> addNumberedRuns(results::Store& store, int n,
                                                      const std::string& sweepName = "s") {
  const auto sweepId = store.recordSweep(sweepNamed(sweepName));
  std::vector<results::RunToAdd> runs;
  for (int i = 0; i < n; ++i) runs.push_back(runNumbered(i, i));
  REQUIRE(store.addRuns(sweepId, runs) == n);
  return runs;
}

}  // namespace actsweep::testing
