#include "runner/expand.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <ostream>
#include <set>
#include <unordered_map>

#include "model/memory.hpp"
#include "model/random.hpp"

namespace actsweep::runner {
namespace {

constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = kFnvOffsetBasis;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

// An integral double (3.0) as a JSON integer; anything else unchanged.
Value asInteger(const Value& value) {
  if (!value.is_number_float()) return value;
  const double number = value.get<double>();
  constexpr double kLimit = 9007199254740992.0;  // 2^53: beyond it a double no longer names one integer
  if (!std::isfinite(number) || number != std::trunc(number) || std::abs(number) > kLimit) return value;
  return Value(static_cast<std::int64_t>(number));
}

// Sampled numbers keep 6 significant digits: the key then does not depend on
// the last bits of the platform's exp() and log() (log_uniform), and the
// values read well in tables. Decimal conversion both ways is correctly
// rounded (std::to_chars / from_chars), so this is the same everywhere.
double roundToSignificant(double value, int digits) {
  char buffer[64];
  const auto written =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific, digits - 1);
  double rounded = value;
  std::from_chars(buffer, written.ptr, rounded);
  return rounded;
}

constexpr int kSampleDigits = 6;

// One draw of a random axis. Streams are keyed by the setting's name, not its
// position, so adding, removing or reordering other random axes leaves this
// axis's draws unchanged.
std::vector<Value> drawSamples(const RandomSpec& random, const RandomAxis& axis) {
  model::Rng rng = model::Rng::forStream(random.seed, fnv1a64(axis.key));
  const Setting* setting = findSetting(axis.key);
  const bool integer = setting && setting->type == SettingType::Integer;
  std::vector<Value> draws;
  draws.reserve(static_cast<std::size_t>(std::max(0, random.samples)));
  for (int sample = 0; sample < random.samples; ++sample) {
    if (axis.kind == RandomAxis::Kind::Choice) {
      draws.push_back(normalizedValue(axis.key, axis.choices.at(rng.below(axis.choices.size()))));
      continue;
    }
    // uniform: U[low, high);  log_uniform: exp(U[log low, log high)), density proportional to 1/x.
    const double draw = axis.kind == RandomAxis::Kind::Uniform
                            ? rng.uniform(axis.low, axis.high)
                            : std::exp(rng.uniform(std::log(axis.low), std::log(axis.high)));
    // An integer setting takes floor(draw): each integer in [low, high) with the mass of its unit interval.
    draws.push_back(integer ? Value(static_cast<std::int64_t>(std::floor(draw)))
                            : Value(roundToSignificant(draw, kSampleDigits)));
  }
  return draws;
}

// One setting's value against one value of an exclude. A list in an exclude
// means "any of these"; for a list-valued setting (model.hidden) a list of
// integers is the value itself and a list of lists is "any of these".
bool matches(const std::string& key, const Value& actual, const Value& wanted) {
  const Setting* setting = findSetting(key);
  const bool listSetting = setting && setting->type == SettingType::IntegerList;
  const bool anyOf = wanted.is_array() && (!listSetting || (!wanted.empty() && wanted.front().is_array()));
  if (!anyOf) return actual == normalizedValue(key, wanted);
  for (const Value& option : wanted)
    if (actual == normalizedValue(key, option)) return true;
  return false;
}

bool matchesAll(const Settings& settings, const Settings& exclude) {
  if (exclude.empty()) return false;  // names nothing, so removes nothing
  for (const auto& [key, wanted] : exclude) {
    const auto it = settings.find(key);
    if (it == settings.end() || !matches(key, it->second, wanted)) return false;
  }
  return true;
}

// Whether an exclude removes the point; `used[e]` is set for each exclude
// that matches it (all of them, for the warning about those matching none).
bool excluded(const Settings& settings, const std::vector<Settings>& excludes, std::vector<bool>& used) {
  bool removed = false;
  for (std::size_t e = 0; e < excludes.size(); ++e) {
    if (removed && used[e]) continue;  // known to match something: no need to look
    if (matchesAll(settings, excludes[e])) removed = true, used[e] = true;
  }
  return removed;
}

// What one position along one dimension of the sweep sets.
using Assignment = std::vector<std::pair<std::string, Value>>;
// One dimension: a grid axis, a zip group, the random samples or the seeds.
using Dimension = std::vector<Assignment>;

std::vector<Dimension> dimensionsOf(const SweepSpec& spec) {
  std::vector<Dimension> dimensions;
  for (const Axis& axis : spec.grid) {
    Dimension& dimension = dimensions.emplace_back();
    for (const Value& value : axis.values)
      dimension.push_back({{axis.key, normalizedValue(axis.key, value)}});
  }
  for (const auto& group : spec.zips) {
    if (group.empty()) continue;
    const std::size_t length = group.front().values.size();
    for (const Axis& axis : group)
      if (axis.values.size() != length)
        throw std::invalid_argument(fmt::format("zip group of {}: {} has {} values, {} has {}",
                                                group.front().key, group.front().key, length, axis.key,
                                                axis.values.size()));
    Dimension& dimension = dimensions.emplace_back(length);
    for (const Axis& axis : group)
      for (std::size_t i = 0; i < length; ++i)
        dimension[i].emplace_back(axis.key, normalizedValue(axis.key, axis.values[i]));
  }
  if (spec.random) {
    Dimension& dimension =
        dimensions.emplace_back(static_cast<std::size_t>(std::max(0, spec.random->samples)));
    for (const RandomAxis& axis : spec.random->axes) {
      const std::vector<Value> draws = drawSamples(*spec.random, axis);
      for (std::size_t i = 0; i < draws.size(); ++i)
        dimension[i].emplace_back(axis.key, normalizedValue(axis.key, draws[i]));
    }
  }
  Dimension& seeds = dimensions.emplace_back();
  for (const std::uint64_t seed : spec.seeds) seeds.push_back({{"seed", Value(seed)}});
  return dimensions;
}

// The length of each dimension, named, in the order dimensionsOf builds
// them: known from the spec alone, before anything is built.
std::vector<std::pair<std::string, std::size_t>> dimensionSizes(const SweepSpec& spec) {
  std::vector<std::pair<std::string, std::size_t>> sizes;
  for (const Axis& axis : spec.grid) sizes.emplace_back(axis.key, axis.values.size());
  for (const auto& group : spec.zips)
    if (!group.empty()) sizes.emplace_back("zip " + group.front().key, group.front().values.size());
  if (spec.random)
    sizes.emplace_back("random samples", static_cast<std::size_t>(std::max(0, spec.random->samples)));
  sizes.emplace_back("seeds", spec.seeds.size());
  return sizes;
}

void refuseIfTooLarge(const SweepSpec& spec, long maxRuns) {
  const auto sizes = dimensionSizes(spec);
  // Multiplied in long double so that a product past 2^63 is still reported, not wrapped.
  long double points = 1;
  for (const auto& [name, size] : sizes) points *= static_cast<long double>(size);
  const std::string count = points < 1e18L ? fmt::format("{}", static_cast<long long>(points))
                                           : fmt::format("{:.3g}", static_cast<double>(points));
  std::string product;
  for (const auto& [name, size] : sizes)
    product += fmt::format("{}{} {}", product.empty() ? "" : " x ", name, size);
  if (points > static_cast<long double>(maxRuns))
    throw SweepTooLarge(
        fmt::format("{}: the sweep has {} points ({}), more than the limit of {} runs; shrink the sweep or "
                    "raise the limit "
                    "with --max-runs {}",
                    spec.file, count, product, maxRuns, count));
  // Under a raised --max-runs, still no more than the machine can expand.
  const long double bytes = points * kExpandBytesPerRun;
  const std::uint64_t memory = model::physicalMemoryBytes();
  if (memory > 0 && bytes > static_cast<long double>(memory))
    throw SweepTooLarge(fmt::format(
        "{}: the sweep has {} points ({}); expanding them takes about {} x {} bytes = "
        "{}, more than this machine's {}; shrink the sweep or split it",
        spec.file, count, product, count, kExpandBytesPerRun, model::formatBytes(static_cast<double>(bytes)),
        model::formatBytes(static_cast<double>(memory))));
}

void countValues(const SweepSpec& spec, Expansion& expansion) {
  const auto keep = [&](const std::string& key) {
    if (std::find(expansion.sweptKeys.begin(), expansion.sweptKeys.end(), key) == expansion.sweptKeys.end())
      expansion.sweptKeys.push_back(key);
  };
  std::vector<std::pair<std::string, std::vector<Value>>> listed;
  const auto list = [&](const std::string& key, const std::vector<Value>& values) {
    keep(key);
    auto it =
        std::find_if(listed.begin(), listed.end(), [&](const auto& entry) { return entry.first == key; });
    if (it == listed.end()) it = listed.insert(listed.end(), {key, {}});
    for (const Value& value : values) {
      const Value normal = normalizedValue(key, value);
      if (std::find(it->second.begin(), it->second.end(), normal) == it->second.end())
        it->second.push_back(normal);
    }
  };
  for (const Axis& axis : spec.grid) list(axis.key, axis.values);
  for (const auto& group : spec.zips)
    for (const Axis& axis : group) list(axis.key, axis.values);
  if (spec.random)
    for (const RandomAxis& axis : spec.random->axes) {
      if (axis.kind == RandomAxis::Kind::Choice) {
        list(axis.key, axis.choices);
      } else {
        keep(axis.key);
      }
    }

  for (const auto& [key, values] : listed) {
    AxisCount& count = expansion.counts.emplace_back();
    count.key = key;
    for (const Value& value : values) count.values.emplace_back(value, 0);
    for (const RunConfig& run : expansion.runs) {
      const auto it = run.settings.find(key);
      if (it == run.settings.end()) {
        ++count.notApplicable;
        continue;
      }
      for (auto& [value, runs] : count.values)
        if (value == it->second) ++runs;
    }
  }
}

}  // namespace

Value normalizedValue(const std::string& key, const Value& value) {
  const Setting* setting = findSetting(key);
  if (!setting) return value;
  switch (setting->type) {
    case SettingType::Number:
      // + 0.0 turns -0.0 into 0.0, which JSON would otherwise print as "-0.0".
      return value.is_number() ? Value(value.get<double>() + 0.0) : value;
    case SettingType::Integer:
      return asInteger(value);
    case SettingType::IntegerList: {
      if (!value.is_array()) return value;
      Value list = Value::array();
      for (const Value& entry : value) list.push_back(asInteger(entry));
      return list;
    }
    case SettingType::Boolean:
    case SettingType::Text:
    case SettingType::Choice:
      return value;
  }
  return value;
}

std::string canonicalJsonOf(const Settings& settings) {
  // nlohmann::json objects are std::maps: dump() writes the keys sorted by
  // their bytes, with no whitespace, and each double in the shortest form that
  // reads back as the same double.
  Value object = Value::object();
  for (const auto& [key, value] : settings) object[key] = normalizedValue(key, value);
  return object.dump();
}

std::string runKeyOf(const std::string& canonicalJson) {
  return fmt::format("{:016x}", fnv1a64(canonicalJson));
}

namespace {

// What expand needs of each key of a point's settings, looked up once per
// sweep rather than per run (findSetting is a linear search).
struct KeyInfo {
  const Setting* setting = nullptr;  // null for "seed"
  std::string name;                  // the key as a JSON string, quoted
};

// The run of one point: the settings that apply, and their canonical JSON
// written directly. The values are normalized already, so this is
// canonicalJsonOf(run.settings), byte for byte, without its copies.
RunConfig runOf(const Settings& settings, std::unordered_map<std::string, KeyInfo>& keys, std::string& json) {
  RunConfig run;
  run.seed = settings.at("seed").get<std::uint64_t>();
  json = "{";  // a buffer kept across runs: it does not grow again
  for (const auto& [key, value] : settings) {
    auto info = keys.find(key);
    if (info == keys.end()) info = keys.emplace(key, KeyInfo{findSetting(key), Value(key).dump()}).first;
    const Setting* setting = info->second.setting;
    if (setting && !setting->applies(settings)) continue;  // as applicableOnly
    run.settings.emplace_hint(run.settings.end(), key, value);
    if (json.size() > 1) json += ',';
    json += info->second.name;
    json += ':';
    json += value.dump();
  }
  json += '}';
  run.canonicalJson = json;  // one allocation of the exact size
  return run;
}

// Warnings for excludes that matched no point; an error when the excludes
// leave nothing to run.
void checkExcludes(const SweepSpec& spec, const std::vector<bool>& used, Expansion& expansion) {
  const auto placeOf = [&](std::size_t e) {
    return e < spec.excludePlaces.size() ? spec.excludePlaces[e]
                                         : SpecError{spec.file, 0, 0, fmt::format("exclude[{}]", e), "", ""};
  };
  if (expansion.points > 0 && expansion.excluded == expansion.points) {
    SpecError error = placeOf(0);
    error.keyPath = "exclude";
    error.message =
        fmt::format("the excludes remove all {} points of the sweep: nothing would run", expansion.points);
    error.hint = "narrow the excludes, or remove them";
    throw SpecErrors({error});
  }
  for (std::size_t e = 0; e < used.size(); ++e) {
    if (used[e]) continue;
    SpecError warning = placeOf(e);
    warning.message = "warning: " + warning.keyPath + " matches no point of the sweep, so it removes nothing";
    warning.keyPath.clear();
    warning.hint = "compare its values with those of grid, zip and random, or remove it";
    expansion.warnings.push_back(std::move(warning));
  }
}

}  // namespace

Expansion expand(const SweepSpec& spec, long maxRuns) {
  refuseIfTooLarge(spec, maxRuns);  // from the sizes alone, before anything is built
  const std::vector<Dimension> dimensions = dimensionsOf(spec);

  Settings base;
  for (const auto& [key, value] : spec.base) base[key] = normalizedValue(key, value);

  Expansion expansion;
  expansion.points = 1;
  for (const Dimension& dimension : dimensions) expansion.points *= static_cast<long>(dimension.size());
  expansion.runs.reserve(static_cast<std::size_t>(expansion.points));

  // index[d]: the position along dimension d; the last dimension (seeds) moves fastest.
  std::vector<std::size_t> index(dimensions.size(), 0);
  std::unordered_map<std::uint64_t, std::size_t>
      runOfHash;  // run key -> index in runs, to collapse duplicates
  std::unordered_map<std::string, KeyInfo> keys;
  std::vector<bool> used(spec.excludes.size(), false);
  std::string buffer;
  // One point's settings, updated in place: a dimension's values are set
  // again only when its index moves (the seeds at every point, the first
  // grid axis rarely), and their map nodes are found once.
  Settings settings = base;
  std::vector<std::vector<std::vector<Value*>>> slots(
      dimensions.size());  // [d][i][k] -> the value in settings
  for (std::size_t d = 0; d < dimensions.size(); ++d)
    for (const Assignment& assignment : dimensions[d]) {
      std::vector<Value*>& slot = slots[d].emplace_back();
      for (const auto& [key, value] : assignment) slot.push_back(&settings[key]);
    }
  std::vector<bool> moved(dimensions.size(), true);
  // A key set by two dimensions (a spec built by hand) takes the later one's
  // value: then every dimension is set again at every point, in order.
  std::set<std::string> seen;
  bool shared = false;
  for (const Dimension& dimension : dimensions)
    if (!dimension.empty())
      for (const auto& [key, value] : dimension.front()) shared = !seen.insert(key).second || shared;
  for (long point = 0; point < expansion.points; ++point) {
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      if (!moved[d] && !shared) continue;
      const Assignment& assignment = dimensions[d][index[d]];
      for (std::size_t k = 0; k < assignment.size(); ++k) *slots[d][index[d]][k] = assignment[k].second;
      moved[d] = false;
    }
    for (std::size_t d = dimensions.size(); d-- > 0;) {
      moved[d] = true;
      if (++index[d] < dimensions[d].size()) break;
      index[d] = 0;
    }

    // Excludes see every setting, including those about to be dropped.
    if (excluded(settings, spec.excludes, used)) {
      ++expansion.excluded;
      continue;
    }
    RunConfig run = runOf(settings, keys, buffer);
    const std::uint64_t hash = fnv1a64(run.canonicalJson);
    run.runKey = fmt::format("{:016x}", hash);
    const auto [known, inserted] = runOfHash.try_emplace(hash, expansion.runs.size());
    if (!inserted) {
      // Two different configurations with one 64-bit key: about 3 in 10^10 for a
      // sweep of 10^5 runs, but it would merge two runs' results, so refuse.
      const std::string& earlier = expansion.runs[known->second].canonicalJson;
      if (earlier != run.canonicalJson)
        throw std::runtime_error(fmt::format("run key collision: {} names both {} and {}", run.runKey,
                                             earlier, run.canonicalJson));
      ++expansion.collapsed;
      continue;
    }
    expansion.runs.push_back(std::move(run));
  }
  checkExcludes(spec, used, expansion);
  countValues(spec, expansion);
  return expansion;
}

void printWarnings(const Expansion& expansion, std::ostream& err) {
  for (const SpecError& warning : expansion.warnings) err << warning.format() << '\n';
}

}  // namespace actsweep::runner
