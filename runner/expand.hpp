#pragma once
// Expansion: a SweepSpec -> the list of runs it names, each with its canonical
// JSON and run key. docs/run-identity.md defines the key; docs/sweep-file.md
// the grid, zip, random, seeds and exclude semantics.

#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "runner/settings.hpp"
#include "runner/spec.hpp"

namespace actsweep::runner {

// One run: a configuration that trains one network.
struct RunConfig {
  Settings settings;  // the settings that apply to this run (applicableOnly) plus "seed"
  std::uint64_t seed = 0;
  std::string canonicalJson;  // settings as one JSON object: sorted keys, no spaces, values normalized
  std::string runKey;         // runKeyOf(canonicalJson)
};

// How many runs have each value of one swept setting (grid, zip, random choice).
struct AxisCount {
  std::string key;
  std::vector<std::pair<Value, long>> values;  // every value swept, in the order written (first occurrence)
  long notApplicable = 0;  // runs where the setting does not apply (dropped from the config)
};

struct Expansion {
  std::vector<RunConfig> runs;  // in expansion order: first grid axis slowest, seeds fastest
  // points = grid x zip x random samples x seeds;  runs.size() = points - excluded - collapsed.
  long points = 0;
  long excluded = 0;   // points removed by an exclude
  long collapsed = 0;  // points identical to an earlier run once settings that do not apply are dropped
  std::vector<std::string> sweptKeys;  // grid, zip and random keys, in the order written, without "seed"
  std::vector<AxisCount> counts;  // for the swept keys with listed values (not uniform/log_uniform draws)
  // Legal but surely a mistake (an exclude that matches no point): one line
  // each, format() reads "file:line:col: warning: ...". For stderr; they do
  // not change the exit code.
  std::vector<SpecError> warnings;
};

// Prints expansion.warnings to `err`, one line each.
void printWarnings(const Expansion& expansion, std::ostream& err);

// The sweep is larger than the caller's limit; refused before any run is built.
class SweepTooLarge : public UserError {
 public:
  using UserError::UserError;
};

// The default --max-runs. Each run costs about 22 us and 4 KB to expand (its
// settings map) plus 7 us for validate's build check, measured on the 2-core
// build machine: 20,000 runs validate in about 0.6 s and 80 MB. Larger sweeps
// (10^6 points: 30 s, 4 GB) take --max-runs.
inline constexpr long kDefaultMaxRuns = 20'000;
// What one run takes in memory while a sweep is expanded (the 4 KB above):
// a sweep that would need more than the machine's memory is refused whatever
// --max-runs says.
inline constexpr long kExpandBytesPerRun = 4096;

// Grid x zip x random x seeds, minus excludes, with settings that do not apply
// dropped and duplicates collapsed (the first occurrence keeps its place).
// Throws SweepTooLarge when the number of points (before excludes and
// collapsing) exceeds maxRuns, from the sizes alone, before building
// anything; SpecErrors when the excludes remove every point.
Expansion expand(const SweepSpec& spec, long maxRuns = kDefaultMaxRuns);

// `value` in the one form its setting's type has: Number settings as doubles
// (1 and 1.0 alike, -0.0 as 0.0), Integer settings and IntegerList entries as
// integers. Keys that are not settings ("seed") are returned unchanged.
Value normalizedValue(const std::string& key, const Value& value);

// The canonical JSON of a set of settings: normalizedValue() of each, sorted
// keys, no whitespace (nlohmann::json::dump()).
std::string canonicalJsonOf(const Settings& settings);

// 16 lowercase hex digits of the 64-bit FNV-1a hash of the bytes of canonicalJson.
std::string runKeyOf(const std::string& canonicalJson);

}  // namespace actsweep::runner
