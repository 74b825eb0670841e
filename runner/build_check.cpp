#include "runner/build_check.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>

#include "model/data/data_config.hpp"
#include "model/errors.hpp"
#include "runner/cells.hpp"
#include "runner/settings.hpp"

namespace actsweep::runner {
namespace {

// Lines printed for runs whose configuration does not build, before "... and N more".
constexpr long kBrokenRunLines = 20;

// The swept values of a run, for messages: "model.activation=rrelu, seed=0".
std::string describeRun(const Expansion& expansion, const RunConfig& run) {
  std::string text;
  for (const std::string& key : expansion.sweptKeys)
    text += fmt::format("{}={}, ", key, cellOf(run.settings, key));
  return text + fmt::format("seed={}", run.seed);
}

}  // namespace

std::vector<BrokenRun> brokenRuns(const Expansion& expansion) {
  std::vector<BrokenRun> broken;
  for (const RunConfig& run : expansion.runs) {
    std::string problem;
    try {
      toTrainJob(run.settings, run.seed);
    } catch (const model::ConfigError& e) {
      problem = e.what();
    } catch (const data::DataError& e) {
      problem = e.what();
    }
    if (problem.empty()) continue;
    broken.push_back(
        {run.runKey, fmt::format("run {} ({}): {}", run.runKey, describeRun(expansion, run), problem)});
  }
  return broken;
}

long reportBrokenRuns(const std::string& spec, const Expansion& expansion, std::ostream& err) {
  const std::vector<BrokenRun> broken = brokenRuns(expansion);
  const long count = static_cast<long>(broken.size());
  for (long i = 0; i < std::min(count, kBrokenRunLines); ++i)
    fmt::print(err, "{}: {}\n", spec, broken[static_cast<std::size_t>(i)].message);
  if (count > kBrokenRunLines)
    fmt::print(err, "{}: ... and {} more runs whose configuration does not build\n", spec,
               count - kBrokenRunLines);
  return count;
}

}  // namespace actsweep::runner
