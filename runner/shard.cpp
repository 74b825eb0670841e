#include "runner/shard.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <stdexcept>

#include "results/report.hpp"

namespace actsweep::runner {
namespace {

// A whole string as a non-negative int, or -1.
int naturalNumber(std::string_view text) {
  int value = -1;
  if (text.empty() || text.front() == '+' || text.front() == '-') return -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return -1;
  return value;
}

}  // namespace

Shard parseShard(const std::string& text) {
  const std::string shown = "--shard " + results::shownText(text);
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw UserError(shown + ": expected I/K, e.g. 0/4 (shard I of K, 0 <= I < K)");
  const int index = naturalNumber(std::string_view(text).substr(0, slash));
  const int count = naturalNumber(std::string_view(text).substr(slash + 1));
  if (index < 0 || count < 0) throw UserError(shown + ": I and K must be whole numbers, e.g. 0/4");
  if (count < 1) throw UserError(shown + ": K must be at least 1");
  if (index >= count)
    throw UserError(shown + ": I must be below K (shards are numbered 0 to " + std::to_string(count - 1) +
                    ")");
  return {index, count};
}

std::vector<int> assignShards(const std::vector<RunConfig>& runs, const std::vector<double>& costs,
                              int shards) {
  if (costs.size() != runs.size())
    throw std::invalid_argument("assignShards: " + std::to_string(runs.size()) + " runs but " +
                                std::to_string(costs.size()) + " costs");
  if (shards < 1) throw std::invalid_argument("assignShards: shards must be at least 1");
  std::vector<std::size_t> order(runs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (costs[a] != costs[b]) return costs[a] > costs[b];
    return runs[a].runKey < runs[b].runKey;
  });
  std::vector<double> load(static_cast<std::size_t>(shards), 0.0);
  std::vector<int> shardOf(runs.size(), 0);
  for (const std::size_t run : order) {
    // min_element returns the first minimum: ties go to the lowest index.
    const auto lightest = std::min_element(load.begin(), load.end());
    shardOf[run] = static_cast<int>(lightest - load.begin());
    *lightest += costs[run];
  }
  return shardOf;
}

void keepShard(const Shard& shard, std::vector<RunConfig>& runs, std::vector<double>& costs) {
  const std::vector<int> shardOf = assignShards(runs, costs, shard.count);
  std::vector<RunConfig> mine;
  std::vector<double> myCosts;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (shardOf[i] != shard.index) continue;
    mine.push_back(std::move(runs[i]));
    myCosts.push_back(costs[i]);
  }
  runs = std::move(mine);
  costs = std::move(myCosts);
}

std::string shardDatabase(const std::string& sweepName, const Shard& shard) {
  return "results/" + sweepName + ".shard-" + std::to_string(shard.index) + "-of-" +
         std::to_string(shard.count) + ".db";
}

}  // namespace actsweep::runner
