// SpecParser, the library's range checks: the values a run gets together
// go through toTrainJob, and each problem is blamed on the value at fault,
// found by putting values back to what they would be without it.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "runner/spec_parser.hpp"

namespace actsweep::runner::specparse {

namespace {

// The library's own range checks: a message, or nothing when the settings
// make a valid job. No data is loaded, so a path that does not exist is fine.
std::optional<std::string> libraryProblem(const Settings& settings) {
  try {
    toTrainJob(settings, 0);
  } catch (const model::ConfigError& e) {
    return std::string(e.what());
  } catch (const data::DataError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

// The values other axes offer (checkTogether's `alternatives`): each once,
// and at most kMaxAlternatives per setting, spread over its sorted values.
// A failing value tries each, so their number bounds the cost of a file
// whose long lists all fail.
std::vector<Assignment> distinctAlternatives(const std::vector<Assignment>& all) {
  constexpr std::size_t kMaxAlternatives = 64;
  std::map<std::string, std::vector<const Assignment*>> byKey;
  for (const Assignment& item : all) byKey[item.key].push_back(&item);
  std::vector<Assignment> result;
  for (auto& [key, list] : byKey) {
    const auto less = [](const Assignment* a, const Assignment* b) { return a->value < b->value; };
    const auto same = [](const Assignment* a, const Assignment* b) { return a->value == b->value; };
    std::stable_sort(list.begin(), list.end(), less);
    list.erase(std::unique(list.begin(), list.end(), same), list.end());
    const std::size_t n = list.size(), kept = std::min(n, kMaxAlternatives);
    // `kept` evenly spaced indices from 0 to n - 1, the extremes included.
    for (std::size_t k = 0; k < kept; ++k) result.push_back(*list[kept == 1 ? 0 : k * (n - 1) / (kept - 1)]);
  }
  return result;
}

// Whether setting items[i] back to its context value makes another item's
// setting stop applying (Setting::applies).
bool enablesOthers(const std::vector<Assignment>& items, std::size_t i, const Settings& settings,
                   const Settings& context) {
  Settings reverted = settings;
  reverted[items[i].key] = context.at(items[i].key);
  return std::any_of(items.begin(), items.end(), [&](const Assignment& other) {
    const Setting* setting = findSetting(other.key);
    return other.key != items[i].key && setting && setting->applies(settings) && !setting->applies(reverted);
  });
}

}  // namespace

bool SpecParser::blameEnabled(const Settings& base, const std::vector<Assignment>& fixed,
                              const std::vector<Assignment>& items) {
  Settings settings = base;
  for (const Assignment& item : items) settings[item.key] = item.value;
  const auto problem = libraryProblem(settings);
  if (!problem) return false;
  for (auto f = fixed.rbegin(); f != fixed.rend(); ++f) {
    const Setting* setting = findSetting(f->key);
    if (!setting || base.at(f->key) != f->value || setting->applies(base) || !setting->applies(settings))
      continue;
    Settings trial = settings;
    trial[f->key] = defaultSettings().at(f->key);
    if (libraryProblem(trial)) continue;
    report(*f->source, f->at, f->keyPath, *problem, {}, f->use);
    return true;
  }
  return false;
}

Settings SpecParser::checkTogether(const Settings& context, const std::vector<Assignment>& items,
                                   const std::vector<Assignment>& alternatives) {
  Settings settings = context;
  for (const Assignment& item : items) settings[item.key] = item.value;
  std::vector<std::optional<std::string>> problems(items.size());
  while (const auto problem = libraryProblem(settings)) {
    const auto revert = [&](std::size_t i) {
      Settings trial = settings;
      trial[items[i].key] = context.at(items[i].key);
      return libraryProblem(trial);
    };
    // Later values first: in `lr: 0.001 ... min_lr: 0.01` the later, more
    // specific one is at fault. Else one whose removal changes the message.
    // A value that decides whether others apply (dataset: blobs for
    // samples, activation: rrelu for rrelu_lower) comes last: reverting it
    // hides every error of the values it enables, which are at fault.
    std::optional<std::size_t> culprit;
    for (const bool gates : {false, true}) {
      std::vector<std::size_t> order;
      for (std::size_t i = items.size(); i-- > 0;)
        if (!problems[i] && enablesOthers(items, i, settings, context) == gates) order.push_back(i);
      for (auto i = order.begin(); i != order.end() && !culprit; ++i)
        if (!revert(*i)) culprit = *i;
      for (auto i = order.begin(); i != order.end() && !culprit; ++i)
        if (revert(*i) != problem) culprit = *i;
    }
    for (std::size_t i = items.size(); i-- > 0 && !culprit;)
      if (!problems[i]) culprit = i;
    if (!culprit) break;
    problems[*culprit] = problem;
    settings[items[*culprit].key] = context.at(items[*culprit].key);
  }

  const Settings valid = settings;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!problems[i]) continue;
    const Assignment& item = items[i];
    const bool rescued = std::any_of(alternatives.begin(), alternatives.end(), [&](const Assignment& other) {
      if (other.key == item.key) return false;
      Settings trial = valid;
      trial[item.key] = item.value;
      trial[other.key] = other.value;
      return !libraryProblem(trial);
    });
    if (rescued) {
      settings[item.key] = item.value;
    } else {
      report(*item.source, item.at, item.keyPath, *problems[i], {}, item.use);
    }
  }
  return settings;
}

void SpecParser::rangeChecks(SweepSpec& spec, const std::vector<Assignment>& fixed,
                             const std::vector<Assignment>& swept, const std::vector<Assignment>& choices,
                             const std::vector<Assignment>& bounds, const ZipValues& zipValues) {
  std::vector<Assignment> others = swept;
  others.insert(others.end(), choices.begin(), choices.end());
  others.insert(others.end(), bounds.begin(), bounds.end());
  for (const auto& group : zipValues)
    for (const auto& axis : group) others.insert(others.end(), axis.begin(), axis.end());
  others = distinctAlternatives(others);
  spec.base = checkTogether(defaultSettings(), fixed, others);
  for (const auto* list : {&swept, &choices, &bounds})
    for (const Assignment& item : *list)
      if (!blameEnabled(spec.base, fixed, {item})) checkTogether(spec.base, {item}, others);
  // A zip row is one set of values together, never mixed with other rows.
  for (const auto& group : zipValues) {
    std::vector<Assignment> outside;
    std::copy_if(others.begin(), others.end(), std::back_inserter(outside), [&](const Assignment& other) {
      return std::none_of(group.begin(), group.end(),
                          [&](const auto& axis) { return axis.front().key == other.key; });
    });
    for (std::size_t row = 0; row < group.front().size(); ++row) {
      std::vector<Assignment> items;
      for (const auto& axis : group) items.push_back(axis[row]);
      if (!blameEnabled(spec.base, fixed, items)) checkTogether(spec.base, items, outside);
    }
  }
}

}  // namespace actsweep::runner::specparse
