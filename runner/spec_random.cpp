// SpecParser, random: samples, seed and axes, each axis one distribution:
// choice (a list of values), uniform or log_uniform (a range [low, high)).

#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <limits>

#include "model/format.hpp"
#include "runner/spec_parser.hpp"
#include "runner/spec_yaml.hpp"
#include "runner/suggest.hpp"

namespace actsweep::runner::specparse {

namespace {

const std::vector<std::string> kDistributions = {"uniform", "log_uniform", "choice"};

}  // namespace

using model::joined;
using specyaml::describe;
using specyaml::isPlain;
using specyaml::parseNumber;
using specyaml::shortened;

std::optional<RandomSpec> SpecParser::random(std::vector<Assignment>& bounds,
                                             std::vector<Assignment>& choices) {
  if (!random_) return std::nullopt;
  RandomSpec spec;
  const Entry& entry = random_->entry;
  if (!random_->samples) {
    report(file_, entry.keyNode, "random.samples", "missing: how many points to draw", "add samples: 20");
  } else if (const auto samples = count(*random_->samples, "random.samples", "a number of samples")) {
    spec.samples = static_cast<int>(*samples);
  }
  if (random_->seed)
    if (const auto value =
            seed(random_->seed->value, *random_->seed->source, random_->seed->at(), "random.seed"))
      spec.seed = *value;
  if (!random_->axes) {
    report(file_, entry.keyNode, "random.axes", "missing: the settings to draw",
           "add axes: {train.lr: {log_uniform: [1.0e-4, 1.0e-1]}}");
  } else if (random_->axes->value.IsMap() && random_->axisEntries.empty()) {
    report(*random_->axes, "random.axes", "no axes: nothing to draw",
           "add one, e.g. train.lr: {log_uniform: [1.0e-4, 1.0e-1]}");
  }
  for (const Entry& axis : random_->axisEntries) randomAxis(axis, spec, bounds, choices);
  return spec;
}

void SpecParser::randomAxis(const Entry& axis, RandomSpec& spec, std::vector<Assignment>& bounds,
                            std::vector<Assignment>& choices) {
  const Setting* setting = axisSetting(axis, "random.axes");
  if (!setting || !claimAxis(axis, "random")) return;
  const std::string path = "random.axes." + axis.key;
  const std::string example =
      setting->type == SettingType::Number ? "{uniform: [0, 0.5]}" : "{choice: [a, b]}";
  if (!axis.value.IsMap() || axis.value.size() != 1) {
    report(axis, path,
           "expected one distribution (uniform, log_uniform or choice), found " +
               (axis.value.IsMap() ? std::to_string(axis.value.size()) + " keys" : describe(axis.value)),
           "write " + axis.key + ": " + example);
    return;
  }
  const std::vector<Entry> kinds = entries(axis.value, "", *axis.source);
  if (kinds.empty()) return;  // a key that is not a name: checkMappings said so
  const Entry& distribution = kinds.front();
  const std::string& kind = distribution.key;
  if (kind == "choice") {
    RandomAxis randomAxis{setting->key, RandomAxis::Kind::Choice, 0, 1, {}};
    for (Assignment& value : convertList(*setting, distribution, path + ".choice")) {
      randomAxis.choices.push_back(value.value);
      choices.push_back(std::move(value));
    }
    if (!randomAxis.choices.empty()) spec.axes.push_back(std::move(randomAxis));
    return;
  }
  if (kind != "uniform" && kind != "log_uniform") {
    std::string hint = didYouMean(kind, kDistributions);
    if (hint.empty()) hint = "allowed: " + joined(kDistributions);
    report(*axis.source, distribution.keyNode, path, "unknown distribution '" + shortened(kind) + "'", hint);
    return;
  }
  rangeAxis(axis, *setting, distribution, spec, bounds);
}

void SpecParser::rangeAxis(const Entry& axis, const Setting& setting, const Entry& distribution,
                           RandomSpec& spec, std::vector<Assignment>& bounds) {
  const std::string& kind = distribution.key;
  const std::string distributionPath = "random.axes." + axis.key + "." + kind;
  const bool integer = setting.type == SettingType::Integer;
  if (setting.type != SettingType::Number && !integer) {
    report(*axis.source, distribution.keyNode, distributionPath,
           kind + " draws numbers, but " + setting.key + " is " + std::string(settingTypeName(setting.type)),
           "list the values to draw from: " + axis.key + ": {choice: [...]}");
    return;
  }
  const YAML::Node& range = distribution.value;
  std::vector<std::optional<double>> bound;
  if (range.IsSequence() && range.size() == 2)
    for (const YAML::Node& item : range)
      bound.push_back(isPlain(item) ? parseNumber(item.Scalar()) : std::nullopt);
  const double limit = integer ? std::numeric_limits<int>::max() : std::numeric_limits<double>::max();
  if (bound.size() != 2 || !bound[0] || !bound[1] || !(std::abs(*bound[0]) <= limit) ||
      !(std::abs(*bound[1]) <= limit)) {
    report(distribution, distributionPath,
           "expected [low, high], two " + std::string(integer ? "32-bit" : "finite") + " numbers, got " +
               describe(range),
           "e.g. " + kind + (integer ? ": [16, 257]" : ": [0.001, 0.1]"));
    return;
  }
  const double low = *bound[0], high = *bound[1];
  if (kind == "log_uniform" && !(low > 0)) {
    report(*axis.source, range[0], indexed(distributionPath, 0),
           "log_uniform needs low > 0, got " + range[0].Scalar(),
           "it draws log(value) uniformly; use uniform for a range that reaches 0");
    return;
  }
  if (!(low < high)) {
    report(*axis.source, range[1], indexed(distributionPath, 1),
           "high must be above low, got [" + range[0].Scalar() + ", " + range[1].Scalar() + "]");
    return;
  }
  spec.axes.push_back({setting.key,
                       kind == "uniform" ? RandomAxis::Kind::Uniform : RandomAxis::Kind::LogUniform,
                       low,
                       high,
                       {}});
  // The extremes a run can get: an integer setting takes floor(draw) of
  // a draw in [low, high); a number is rounded, so it may reach high.
  const std::array<Value, 2> extremes =
      integer ? std::array<Value, 2>{Value(static_cast<std::int64_t>(std::floor(low))),
                                     Value(static_cast<std::int64_t>(std::ceil(high)) - 1)}
              : std::array<Value, 2>{Value(low), Value(high)};
  for (std::size_t i = 0; i < 2; ++i)
    bounds.push_back(
        {setting.key, extremes[i], axis.source, range[i], indexed(distributionPath, i), axis.keyNode});
}

}  // namespace actsweep::runner::specparse
