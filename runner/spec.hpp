#pragma once
// A sweep file, parsed and checked: what to run, before expansion into runs.
// docs/sweep-file.md documents the format; runner/settings.hpp lists the keys.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "runner/settings.hpp"

namespace actsweep::runner {

// One problem in a sweep file, printed as one line:
//   file:line:col: key.path: message (hint)
// line and column are 1-based; 0 when the problem has no position (a missing
// key is reported at the mapping that lacks it). For a value that came from
// --set, file is "--set key=value" and line/column are 0.
struct SpecError {
  std::string file;
  int line = 0, column = 0;
  std::string keyPath;  // "model.activation", "grid.model.alpha[2]"; empty for the whole file
  std::string message;  // what is wrong
  std::string hint;     // what to do ("did you mean 'leaky_relu'?"); may be empty
  std::string format() const;
};

// Thrown by parseSpec with every problem found, not only the first; printed
// a line per problem, each "file:line:col: ...", without the command's name.
class SpecErrors : public UserError {
 public:
  explicit SpecErrors(std::vector<SpecError> errors);
  const std::vector<SpecError>& errors() const { return errors_; }
  std::vector<std::string> lines(const std::string& command) const override;

 private:
  std::vector<SpecError> errors_;
};

// A list of values swept for one setting.
struct Axis {
  std::string key;  // a setting key path, "model.alpha"
  std::vector<Value> values;
};

// Sampled axes: `samples` points, each setting drawn independently, seeded.
struct RandomAxis {
  enum class Kind { Uniform, LogUniform, Choice };
  std::string key;
  Kind kind = Kind::Uniform;
  double low = 0, high = 1;    // uniform, log_uniform (low > 0)
  std::vector<Value> choices;  // choice
};

struct RandomSpec {
  int samples = 0;
  std::uint64_t seed = 0;
  std::vector<RandomAxis> axes;
};

struct SweepSpec {
  std::string file;                    // as given on the command line
  std::string text;                    // the file's text, as read
  std::vector<std::string> overrides;  // --set key=value, in order
  std::string name, description;
  Settings base;  // every setting: the file's data/model/train/diagnostics over the defaults
  std::vector<std::uint64_t> seeds;     // run seeds (seeds: 3 means 0, 1, 2)
  std::vector<Axis> grid;               // crossed with each other
  std::vector<std::vector<Axis>> zips;  // each group advanced together (equal lengths), crossed with the rest
  // A run matching every key of one of these is removed. Each value is the
  // JSON array of the values it matches ("any of"): `selu` is ["selu"],
  // `model.hidden: [64, 64]` is [[64, 64]].
  std::vector<Settings> excludes;
  // Where each exclude is written, for expansion's messages: file, line,
  // column and key path ("exclude[1]"), message empty. Parallel to excludes;
  // empty in a spec built by hand.
  std::vector<SpecError> excludePlaces;
  std::optional<RandomSpec> random;  // crossed with the grid
};

// Reads and checks a sweep file, with --set overrides ("model.alpha=0.2",
// "grid.model.alpha=[0.01,0.2]", "seeds=5") applied before the checks.
// Throws SpecErrors listing every problem.
SweepSpec parseSpec(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text; `file` names it in messages.
SweepSpec parseSpecText(const std::string& text, const std::string& file,
                        const std::vector<std::string>& overrides = {});

}  // namespace actsweep::runner
