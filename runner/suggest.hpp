#pragma once
// "Did you mean ...?" for names the user typed: setting keys, top-level keys,
// activation names. Shared by the spec parser and any command that takes names.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actsweep::runner {

// Optimal string alignment distance: insertions, deletions, substitutions and
// swaps of two adjacent characters cost 1 each ("sedes" -> "seeds" is 1).
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate the user most likely meant by `typed`, or nothing when none is
// close. Case, '-' versus '_' and a missing '_' do not count ("Leaky-ReLU",
// "batchsize"); a short form made of the start of each word counts ("lrelu" ->
// "leaky_relu", "xavier" -> "xavier_normal"); otherwise the nearest by
// editDistance, if it is at most a quarter of the longer name (at least 1).
std::optional<std::string> nearestName(std::string_view typed, const std::vector<std::string>& candidates);

// "did you mean 'leaky_relu'?", or "" when nearestName finds nothing.
std::string didYouMean(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace actsweep::runner
