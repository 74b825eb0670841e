// SpecParser, --set key=value: each override replaces what the file says,
// after the file is collected and before any value is checked.

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "runner/spec_parser.hpp"
#include "runner/spec_yaml.hpp"
#include "runner/suggest.hpp"

namespace actsweep::runner::specparse {

namespace {

// `entry` in place of the one of `list` with its key, else at the end.
void replace(std::vector<Entry>& list, const Entry& entry) {
  const auto same =
      std::find_if(list.begin(), list.end(), [&](const Entry& e) { return e.key == entry.key; });
  if (same != list.end()) {
    *same = entry;
  } else {
    list.push_back(entry);
  }
}

}  // namespace

using specyaml::shortened;

void SpecParser::applyOverrides() {
  for (const std::string& text : overrides_) {
    const Source& source = overrideSources_.emplace_back(
        Source{"--set " + text, false, static_cast<int>(overrideSources_.size()) + 1});
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
      report(source, {}, "", "expected key=value",
             "e.g. --set model.alpha=0.2 or --set grid.model.alpha=[0.01,0.2]");
      continue;
    }
    if (!specyaml::isUtf8(text)) {
      report(source, {}, "", "not UTF-8 text", "write the override in UTF-8");
      continue;
    }
    std::string key = text.substr(0, equals);
    key.erase(key.find_last_not_of(" ") + 1);
    key.erase(0, key.find_first_not_of(" "));
    Entry entry{key, YAML::Node(), YAML::Node(), &source};
    try {
      entry.value = YAML::Load(text.substr(equals + 1));
    } catch (const YAML::Exception& e) {
      report(source, {}, key, "not a YAML value: " + e.msg,
             "write lists as [a, b]; quote text that has ': '");
      continue;
    }
    if (key == "name") {
      name_ = entry;
    } else if (key == "description") {
      description_ = entry;
    } else if (key == "seeds") {
      seeds_ = entry;
    } else if (findSetting(key)) {
      unsweep(key, true);
      replace(fixed_, entry);
    } else if (key.starts_with("grid.") && key.size() > 5) {
      entry.key = key.substr(5);
      unsweep(entry.key, false);
      replace(grid_, entry);
    } else {
      std::vector<std::string> settable = settingKeys();
      settable.insert(settable.end(), {"name", "description", "seeds"});
      for (const std::string& k : settingKeys()) settable.push_back("grid." + k);
      std::string hint = didYouMean(key, settable);
      if (hint.empty())
        hint =
            "--set takes name, description, seeds, a setting such as model.alpha, or a grid axis such as "
            "grid.model.alpha";
      report(source, {}, key, "unknown key '" + shortened(key) + "'", hint);
    }
  }
}

void SpecParser::unsweep(const std::string& key, bool fromGrid) {
  const auto named = [&](const Entry& e) { return e.key == key; };
  if (fromGrid) std::erase_if(grid_, named);
  for (ZipGroup& group : zips_) std::erase_if(group.axes, named);
  std::erase_if(zips_, [](const ZipGroup& group) { return group.axes.empty(); });
  // A random section whose every axis is pinned draws nothing: it goes too.
  if (random_ && std::erase_if(random_->axisEntries, named) > 0 && random_->axisEntries.empty())
    random_.reset();
}

}  // namespace actsweep::runner::specparse
