#pragma once
// The sweep-file parser behind parseSpecText (runner/spec.hpp), private to
// the runner/spec*.cpp files. One SpecParser reads one file, with its --set
// overrides, in four passes; its member functions are defined by concern:
//   runner/spec_parser.cpp     parse(), where errors point and how they are listed
//   runner/spec_load.cpp       text -> one YAML mapping (size, node budget, duplicate keys)
//   runner/spec_structure.cpp  the file's sections, grid, zip, exclude and random; unknown keys
//   runner/spec_overrides.cpp  --set key=value
//   runner/spec_values.cpp     typed values, axes, counts, seeds, name and description
//   runner/spec_random.cpp     random: axes (distributions and their bounds)
//   runner/spec_culprit.cpp    the library's range checks, blamed on one value
//   runner/spec_build.cpp      build(): the SweepSpec from what was collected

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runner/settings.hpp"
#include "runner/spec.hpp"
#include "runner/spec_yaml.hpp"

namespace actsweep::runner::specparse {

inline const std::vector<std::string> kSections = {"data", "model", "train", "diagnostics"};

// Every setting key, "model.alpha".
std::vector<std::string> settingKeys();
// The keys of one section as written inside it ("alpha" for model.alpha).
std::vector<std::string> sectionKeys(const std::string& section);
// The setting a bare name ("lr") stands for in some section, if one does.
const Setting* settingNamed(const std::string& name);

inline std::string sectionOf(const std::string& key) { return key.substr(0, key.find('.')); }

inline std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// ---- where things come from -------------------------------------------------

// The sweep file, whose nodes carry positions, or one --set, whose nodes do not.
struct Source {
  std::string file;
  bool hasPositions = true;
  int order = 0;  // 0 for the file, i + 1 for the i-th --set: errors are listed in this order
};

// One `key: value` of the file or of a --set.
struct Entry {
  std::string key;  // the key path: "model.alpha" in every section, grid, zip, exclude and random
  YAML::Node keyNode, value;
  const Source* source = nullptr;

  // A missing value (`lr:`) carries the position of whatever follows it: point at the key instead.
  const YAML::Node& at() const { return value.IsNull() && keyNode.IsDefined() ? keyNode : value; }
};

// One value bound for the library's range checks, with where to blame it.
struct Assignment {
  std::string key;
  Value value;
  const Source* source = nullptr;
  YAML::Node at;
  std::string keyPath;
  YAML::Node use;  // the key it was met under (report's `use`)
};

// ---- the parser -------------------------------------------------------------

class SpecParser {
 public:
  SpecParser(std::string text, std::string file, std::vector<std::string> overrides);

  // Throws SpecErrors listing every problem.
  SweepSpec parse();

 private:
  struct ZipGroup {
    std::string path;  // "zip[0]"
    std::vector<Entry> axes;
  };
  struct Exclude {
    std::string path;  // "exclude[0]"
    std::vector<Entry> keys;
    YAML::Node node;  // the mapping
  };
  struct Random {
    Entry entry;
    std::optional<Entry> samples, seed, axes;
    std::vector<Entry> axisEntries;
  };
  // Where an axis key is already swept, for "swept twice".
  struct Owner {
    std::string where;
    YAML::Node keyNode;
    const Source* source;
  };
  // Each zip group's values: group -> axis -> values.
  using ZipValues = std::vector<std::vector<std::vector<Assignment>>>;

  // ---- errors (spec_parser.cpp) ----

  // `at` is the node to blame; `use`, when given, the key under which it was
  // met. A node reached through an alias carries its anchor's position: the
  // error is put at the alias, and the hint says where the value is.
  void report(const Source& source, const YAML::Node& at, std::string keyPath, std::string message,
              std::string hint = {}, const YAML::Node& use = YAML::Node(YAML::NodeType::Undefined));
  void report(const Entry& entry, std::string keyPath, std::string message, std::string hint = {});
  // Where `at` is: file, line, column (in characters) and key path, with a
  // hint when it came through an alias.
  SpecError placeOf(const Source& source, const YAML::Node& at, std::string keyPath,
                    const YAML::Node& use) const;
  // The offset nothing met under `keyPath` can precede unless it came through
  // an alias: its key (`use`) or else its top-level key (anchors come before
  // their aliases, and a value after its key).
  std::size_t floorOf(const std::string& keyPath, const YAML::Node& use) const;
  // Throws what was found: the file first, in line order, then the --set values in order.
  [[noreturn]] void stop();

  // ---- text -> one YAML mapping (spec_load.cpp) ----

  std::optional<YAML::Node> load();
  void reportYamlError(const YAML::Exception& e);
  // Every later walk of the tree (duplicate keys, values) pays the expanded
  // size of its aliases: refuse a document that expands past the budget,
  // naming the top-level key where it does.
  bool withinNodeBudget(const YAML::Node& root);
  // Duplicate keys (which yaml-cpp keeps without a word) and keys that are not
  // plain names, anywhere in the file.
  void checkMappings(const YAML::Node& node, const std::string& path);
  // The pairs of a mapping, each key once (checkMappings reported the rest).
  std::vector<Entry> entries(const YAML::Node& map, const std::string& prefix, const Source& source) const;

  // ---- the file's structure (spec_structure.cpp) ----

  void collect();
  // `model: null`, `grid: ~`: a key written with the YAML null says nothing,
  // and looks like a switch ("no model") it is not. A key left empty
  // (`model:` and nothing) is a mapping not filled in yet, and allowed.
  bool writtenNull(const Entry& entry);
  // `grid: {}`, `zip: []`, `exclude: []`: written out, and empty.
  bool emptyCollection(const Entry& entry, const std::string& message, const std::string& hint);
  // A section may be left empty (`model:`); anything but a mapping is wrong.
  bool mappingOrNothing(const Entry& entry, const std::string& expected);
  void unknownTopKey(const Entry& entry);
  void collectSection(const Entry& section);
  void collectZips(const Entry& zip);
  void collectExcludes(const Entry& exclude);
  void collectRandom(const Entry& random);

  // ---- --set (spec_overrides.cpp) ----

  // key=value, the value read as YAML. A fixed setting pins it: it leaves
  // grid, zip and random, so `--set model.alpha=0.2` means one alpha.
  void applyOverrides();
  void unsweep(const std::string& key, bool fromGrid);

  // ---- values (spec_values.cpp) ----

  // One value of a setting, type-checked; nothing (and an error) when wrong.
  // `fixed`: a value under its section, where a list means "put it in grid".
  std::optional<Value> convert(const Setting& setting, const YAML::Node& node, const Source& source,
                               const YAML::Node& at, const std::string& keyPath, const YAML::Node& use,
                               bool fixed = false);
  // convert for a list of layer widths (SettingType::IntegerList).
  std::optional<Value> convertWidths(const Setting& setting, const YAML::Node& node, const Source& source,
                                     const YAML::Node& at, const std::string& keyPath, const YAML::Node& use);
  // convert for a scalar of any other type.
  std::optional<Value> convertScalar(const Setting& setting, const YAML::Node& node, const Source& source,
                                     const YAML::Node& at, const std::string& keyPath, const YAML::Node& use);
  // A non-empty list of values of one setting: each value with its node, for
  // the range checks.
  std::vector<Assignment> convertList(const Setting& setting, const Entry& entry, const std::string& keyPath);
  // The setting an axis (grid, zip, exclude, random) names, or an error.
  const Setting* axisSetting(const Entry& entry, const std::string& where);
  // An axis key may be swept by one of grid, zip and random only.
  bool claimAxis(const Entry& entry, const std::string& where);
  std::optional<std::int64_t> count(const Entry& entry, const std::string& keyPath, const std::string& what);
  std::optional<std::uint64_t> seed(const YAML::Node& node, const Source& source, const YAML::Node& at,
                                    const std::string& keyPath);
  std::vector<std::uint64_t> seeds();
  void nameAndDescription(SweepSpec& spec);

  // ---- random axes (spec_random.cpp) ----

  // `bounds` gets the extremes of each uniform and log_uniform axis, `choices`
  // each value of a choice axis, for the range checks.
  std::optional<RandomSpec> random(std::vector<Assignment>& bounds, std::vector<Assignment>& choices);
  void randomAxis(const Entry& axis, RandomSpec& spec, std::vector<Assignment>& bounds,
                  std::vector<Assignment>& choices);
  // An axis drawn from [low, high): uniform or log_uniform.
  void rangeAxis(const Entry& axis, const Setting& setting, const Entry& distribution, RandomSpec& spec,
                 std::vector<Assignment>& bounds);

  // ---- the library's range checks (spec_culprit.cpp) ----

  // A swept value that switches fixed values on (activation: [relu, rrelu]
  // with rrelu_lower > rrelu_upper fixed) makes their error appear: blame the
  // fixed value it enabled whose default clears the error, not the switch.
  bool blameEnabled(const Settings& base, const std::vector<Assignment>& fixed,
                    const std::vector<Assignment>& items);
  // The library's range checks of values that go into one run together (the
  // fixed settings; one swept value; one zip row), over `context`. Each error
  // is blamed on the value whose removal (back to the context) clears it.
  // A blamed value still stands when one value of another axis makes it valid
  // (rrelu_lower: 0.4 fixed, rrelu_upper: [0.5, 0.6] swept): such runs exist.
  // Returns the context with the values that stand.
  Settings checkTogether(const Settings& context, const std::vector<Assignment>& items,
                         const std::vector<Assignment>& alternatives);
  // The range checks, once every value has its type: the fixed settings
  // first (they make spec.base), then each swept value over them.
  void rangeChecks(SweepSpec& spec, const std::vector<Assignment>& fixed,
                   const std::vector<Assignment>& swept, const std::vector<Assignment>& choices,
                   const std::vector<Assignment>& bounds, const ZipValues& zipValues);

  // ---- the SweepSpec (spec_build.cpp) ----

  SweepSpec build();
  std::vector<Assignment> fixedValues();
  // Each grid axis into spec.grid; its values into `swept`.
  void buildGrid(SweepSpec& spec, std::vector<Assignment>& swept);
  ZipValues buildZips(SweepSpec& spec);
  void buildExcludes(SweepSpec& spec);

  std::string text_;
  specyaml::SpecText where_{text_};  // positions in text_
  std::vector<std::string> overrides_;
  Source file_;
  std::deque<Source> overrideSources_;             // a deque: entries point at their source
  std::vector<std::pair<int, SpecError>> errors_;  // with the source's order

  YAML::Node root_;
  std::optional<Entry> name_, description_, seeds_;
  std::vector<Entry> fixed_, grid_;
  std::vector<ZipGroup> zips_;
  std::vector<Exclude> excludes_;
  std::optional<Random> random_;
  std::map<std::string, Owner> owners_;
  std::map<std::string, YAML::Node> topKeys_;  // each top-level key of the file, for floorOf
};

}  // namespace actsweep::runner::specparse
