#pragma once
// Does every run of a sweep build? The one check validate, plan, run and
// slurm make after expanding a sweep file and before anything else: a run
// whose settings are each fine but whose combination is not (rrelu's lower
// bound above its upper one) is named here, by its key and swept values.
// Data that cannot be loaded (a missing CSV file) is not checked: for `run`
// that run fails and the others train.

#include <iosfwd>
#include <string>
#include <vector>

#include "runner/expand.hpp"

namespace actsweep::runner {

struct BrokenRun {
  std::string runKey;
  // One line: "run KEY (model.rrelu_lower=0.5, model.rrelu_upper=0.3, seed=0): what is wrong".
  std::string message;
};

// The runs whose toTrainJob throws model::ConfigError or data::DataError, in
// the expansion's order.
std::vector<BrokenRun> brokenRuns(const Expansion& expansion);

// "SPEC: <message>" on err for each broken run (at most 20, then "SPEC: ...
// and N more runs whose configuration does not build"); returns how many
// there are. The commands exit 2 when it is not 0.
long reportBrokenRuns(const std::string& spec, const Expansion& expansion, std::ostream& err);

}  // namespace actsweep::runner
