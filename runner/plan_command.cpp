#include "runner/plan_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>

#include "runner/build_check.hpp"
#include "runner/cells.hpp"
#include "runner/cost.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {
namespace {

// "7.43 GFLOP": three significant digits and an SI prefix.
std::string flopsText(double flops) {
  static constexpr const char* kPrefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  std::size_t prefix = 0;
  while (flops >= 1000 && prefix + 1 < std::size(kPrefixes)) {
    flops /= 1000;
    ++prefix;
  }
  return fmt::format("{:.3g} {}FLOP", flops, kPrefixes[prefix]);
}

std::string runsText(long runs) { return fmt::format("{} run{}", runs, runs == 1 ? "" : "s"); }

void printTable(const SpecArguments& arguments, const Expansion& expansion, bool all, std::ostream& out) {
  std::vector<std::string> header = {"#", "run_key"};
  for (const std::string& key : expansion.sweptKeys) header.push_back(key);
  header.emplace_back("seed");

  const long total = static_cast<long>(expansion.runs.size());
  const long shown = all ? total : std::min(total, kPlanRows);
  std::vector<std::vector<std::string>> rows;
  for (long i = 0; i < shown; ++i) {
    const RunConfig& run = expansion.runs[static_cast<std::size_t>(i)];
    std::vector<std::string>& row = rows.emplace_back();
    row.push_back(std::to_string(i));
    row.push_back(run.runKey);
    for (const std::string& key : expansion.sweptKeys) row.push_back(cellOf(run.settings, key));
    row.push_back(std::to_string(run.seed));
  }
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], row[c].size());
  }
  const auto printRow = [&](const std::vector<std::string>& row) {
    std::string line = fmt::format("{:>{}}", row[0], widths[0]);  // the index, right-aligned
    for (std::size_t c = 1; c < row.size(); ++c) line += fmt::format("  {:<{}}", row[c], widths[c]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  fmt::print(out, "{}: {}\n", arguments.spec, runsText(total));
  printRow(header);
  for (const auto& row : rows) printRow(row);
  if (shown < total)
    fmt::print(out, "... {} more {} not shown (--all shows every run, --json prints them as JSON lines)\n",
               total - shown, total - shown == 1 ? "run" : "runs");
}

// One swept key's line of "runs per value": the runs per listed value, or
// the range the draws of a sampled key cover.
std::string axisText(const Expansion& expansion, const std::string& key) {
  std::string text;
  const auto listed = std::find_if(expansion.counts.begin(), expansion.counts.end(),
                                   [&](const AxisCount& count) { return count.key == key; });
  if (listed != expansion.counts.end()) {
    for (const auto& [value, runs] : listed->values)
      text += fmt::format("{}{}: {}", text.empty() ? "" : ", ", cell(value), runs);
    if (listed->notApplicable > 0)
      text += fmt::format("{}not applicable: {}", text.empty() ? "" : ", ", listed->notApplicable);
    return text;
  }
  // Sampled from a range: the range the draws cover.
  std::vector<Value> draws;
  long notApplicable = 0;
  for (const RunConfig& run : expansion.runs) {
    const auto it = run.settings.find(key);
    if (it == run.settings.end()) {
      ++notApplicable;
    } else {
      draws.push_back(it->second);
    }
  }
  std::sort(draws.begin(), draws.end());
  draws.erase(std::unique(draws.begin(), draws.end()), draws.end());
  text = draws.empty() ? std::string("no draws")
                       : fmt::format("{} values sampled, {} to {}", draws.size(), cell(draws.front()),
                                     cell(draws.back()));
  if (notApplicable > 0) text += fmt::format(", not applicable: {}", notApplicable);
  return text;
}

// The seed line: "3 seeds (0 .. 2), 4 runs each", or the runs per seed when uneven.
std::string seedsText(const Expansion& expansion) {
  std::vector<std::pair<std::uint64_t, long>> seeds;  // in order of first appearance
  for (const RunConfig& run : expansion.runs) {
    auto it =
        std::find_if(seeds.begin(), seeds.end(), [&](const auto& entry) { return entry.first == run.seed; });
    if (it == seeds.end()) it = seeds.insert(seeds.end(), {run.seed, 0});
    ++it->second;
  }
  const bool even = std::all_of(seeds.begin(), seeds.end(),
                                [&](const auto& s) { return s.second == seeds.front().second; });
  std::string text;
  if (seeds.empty()) {
    text = "none";
  } else if (even) {
    bool consecutive = true;
    for (std::size_t i = 1; i < seeds.size(); ++i)
      consecutive = consecutive && seeds[i].first == seeds[i - 1].first + 1;
    std::string which;
    if (seeds.size() == 1) {
      which = std::to_string(seeds.front().first);
    } else if (consecutive) {
      which = fmt::format("{} .. {}", seeds.front().first, seeds.back().first);
    } else {
      for (std::size_t i = 0; i < std::min<std::size_t>(seeds.size(), 8); ++i)
        which += fmt::format("{}{}", i == 0 ? "" : ", ", seeds[i].first);
      if (seeds.size() > 8) which += ", ...";
    }
    text = fmt::format("{} seed{} ({}), {} each", seeds.size(), seeds.size() == 1 ? "" : "s", which,
                       runsText(seeds.front().second));
  } else {
    for (const auto& [seed, runs] : seeds)
      text += fmt::format("{}{}: {}", text.empty() ? "" : ", ", seed, runs);
  }
  return text;
}

void printCounts(const Expansion& expansion, std::ostream& out) {
  std::size_t width = 4;  // "seed"
  for (const std::string& key : expansion.sweptKeys) width = std::max(width, key.size());
  out << "\nruns per value:\n";
  for (const std::string& key : expansion.sweptKeys)
    fmt::print(out, "  {:<{}}  {}\n", key, width, axisText(expansion, key));
  fmt::print(out, "  {:<{}}  {}\n", "seed", width, seedsText(expansion));

  std::string summary = fmt::format("{} points", expansion.points);
  if (expansion.excluded > 0) summary += fmt::format(", {} excluded", expansion.excluded);
  fmt::print(out, "\n{}, {} collapsed duplicates, {}\n", summary, expansion.collapsed,
             runsText(static_cast<long>(expansion.runs.size())));
}

void printCost(const CostEstimate& cost, long runs, std::ostream& out) {
  out << "\ncost estimate (W = dense weights; per epoch: forward 2*W*n_train + backward 4*W*n_train\n"
         "+ evaluation 2*W*(n_val + n_test); per run: epochs x that + the initial evaluation):\n";
  const std::vector<std::string> header = {"network",    "data (train/val/test)", "runs",
                                           "parameters", "FLOPs/epoch",           "FLOPs (these runs)"};
  std::vector<std::vector<std::string>> rows;
  for (const NetworkCost& n : cost.networks)
    rows.push_back({n.network, n.data, std::to_string(n.runs), std::to_string(n.parameters),
                    flopsText(n.flopsPerEpoch), flopsText(n.flops)});
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    widths[c] = header[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], row[c].size());
  }
  const auto printRow = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += c < 2 ? fmt::format("  {:<{}}", row[c], widths[c]) : fmt::format("  {:>{}}", row[c], widths[c]);
    out << line << '\n';
  };
  printRow(header);
  for (const auto& row : rows) printRow(row);
  fmt::print(out, "total: {} for {}\n", flopsText(cost.flops), runsText(runs));
}

}  // namespace

void addPlanOptions(CLI::App& command, PlanArguments& a) {
  addSpecOptions(command, a.sweep);
  command.add_flag("--json", a.json, "one JSON object per run: {\"index\", \"run_key\", \"config\"}");
  command.add_flag("--all", a.all, "list every run (default: the first 50)");
}

int runValidate(const SpecArguments& arguments, std::ostream& out, std::ostream& err) {
  const SweepSpec spec = parseSpec(arguments.spec, arguments.overrides);
  const Expansion expansion = expand(spec, arguments.maxRuns);
  printWarnings(expansion, err);
  if (reportBrokenRuns(arguments.spec, expansion, err) > 0) return kExitBadInput;
  std::string counts = fmt::format("{} points, {} collapsed", expansion.points, expansion.collapsed);
  if (expansion.excluded > 0) counts += fmt::format(", {} excluded", expansion.excluded);
  fmt::print(out, "{}: ok: {} ({})\n", arguments.spec, runsText(static_cast<long>(expansion.runs.size())),
             counts);
  return kExitOk;
}

int runPlan(const PlanArguments& arguments, std::ostream& out, std::ostream& err) {
  const SweepSpec spec = parseSpec(arguments.sweep.spec, arguments.sweep.overrides);
  const Expansion expansion = expand(spec, arguments.sweep.maxRuns);
  printWarnings(expansion, err);
  if (reportBrokenRuns(arguments.sweep.spec, expansion, err) > 0) return kExitBadInput;
  if (arguments.json) {
    // The config is the canonical JSON itself, byte for byte: a script can hash it to check the key.
    for (std::size_t i = 0; i < expansion.runs.size(); ++i)
      fmt::print(out, "{{\"index\":{},\"run_key\":\"{}\",\"config\":{}}}\n", i, expansion.runs[i].runKey,
                 expansion.runs[i].canonicalJson);
    return kExitOk;
  }
  // The estimate loads the data, which may fail: do it before printing anything.
  const CostEstimate cost = estimateCost(expansion.runs);
  printTable(arguments.sweep, expansion, arguments.all, out);
  printCounts(expansion, out);
  printCost(cost, static_cast<long>(expansion.runs.size()), out);
  return kExitOk;
}

}  // namespace actsweep::runner
