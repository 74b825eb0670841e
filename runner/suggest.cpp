#include "runner/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace actsweep::runner {
namespace {

// The spelling that "does not count" differences are measured against:
// lower case, without '_', '-' and '.'.
std::string folded(std::string_view name) {
  std::string result;
  for (const char c : name)
    if (c != '_' && c != '-' && c != '.')
      result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Whether `shortForm` is made of a prefix of each word of `name`, in order:
// "lrelu" = l(eaky) + relu, "xavier" = xavier + (normal). The first word
// keeps at least its first letter; later words may be left out.
bool abbreviates(std::string_view shortForm, const std::vector<std::string>& words, std::size_t word = 0) {
  if (shortForm.empty()) return word > 0;
  if (word == words.size()) return false;
  const std::string& current = words[word];
  for (std::size_t length = std::min(shortForm.size(), current.size());; --length) {
    if (shortForm.substr(0, length) == std::string_view(current).substr(0, length) &&
        (length > 0 || word > 0) && abbreviates(shortForm.substr(length), words, word + 1))
      return true;
    if (length == 0) return false;
  }
}

// "leaky_relu" -> {"leaky", "relu"}, lower case; "model.norm" -> {"model", "norm"}.
std::vector<std::string> wordsOf(std::string_view name) {
  std::vector<std::string> words(1);
  for (const char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the swap of two adjacent
  // characters looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  std::iota(previous.begin(), previous.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearestName(std::string_view typed, const std::vector<std::string>& candidates) {
  const std::string key = folded(typed);
  if (key.empty()) return std::nullopt;
  for (const std::string& candidate : candidates)
    if (folded(candidate) == key) return candidate;

  // Short forms: below 3 letters nearly everything would qualify. Among
  // several, the one closest in spelling ("adm": adam rather than adamw).
  const std::string* best = nullptr;
  std::size_t bestDistance = 0;
  if (key.size() >= 3) {
    for (const std::string& candidate : candidates) {
      // A short form is never longer than the name it shortens; the check
      // also keeps abbreviates() from searching a long typed name.
      if (key.size() > candidate.size() || !abbreviates(key, wordsOf(candidate))) continue;
      const std::size_t distance = editDistance(key, folded(candidate));
      if (!best || distance < bestDistance) best = &candidate, bestDistance = distance;
    }
    if (best) return *best;
  }

  for (const std::string& candidate : candidates) {
    const std::string name = folded(candidate);
    const std::size_t allowed = std::max<std::size_t>(1, std::max(key.size(), name.size()) / 4);
    // distance >= the difference in length: a long typed text (a pasted
    // paragraph, 100k characters) is skipped without its O(n m) table.
    if (std::max(key.size(), name.size()) - std::min(key.size(), name.size()) > allowed) continue;
    const std::size_t distance = editDistance(key, name);
    if (distance <= allowed && (!best || distance < bestDistance)) best = &candidate, bestDistance = distance;
  }
  if (best) return *best;
  return std::nullopt;
}

std::string didYouMean(std::string_view typed, const std::vector<std::string>& candidates) {
  const auto nearest = nearestName(typed, candidates);
  return nearest ? "did you mean '" + *nearest + "'?" : std::string();
}

}  // namespace actsweep::runner
