#include "runner/plan_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "model/format.hpp"
#include "model/network.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {
namespace {

// Lines printed for runs whose configuration does not build, before "... and N more".
constexpr long kValidateFailureLines = 20;

// A value as a table cell: names bare, numbers short, equal widths as [16]*10.
std::string cell(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return model::formatNumber(value.get<double>());
  if (value.is_array() && value.size() >= 3 &&
      std::all_of(value.begin(), value.end(), [&](const Value& entry) { return entry == value.front(); }))
    return fmt::format("[{}]*{}", cell(value.front()), value.size());
  return value.dump();
}

std::string cellOf(const Settings& settings, const std::string& key) {
  const auto it = settings.find(key);
  return it == settings.end() ? std::string("-") : cell(it->second);  // "-": the setting does not apply
}

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

// "784 -> [16]*20 -> 10": three or more equal widths in a row as one group.
std::string widthsText(const std::vector<int>& widths) {
  std::string text;
  for (std::size_t i = 0; i < widths.size();) {
    std::size_t end = i + 1;
    while (end < widths.size() && widths[end] == widths[i]) ++end;
    text += text.empty() ? "" : " -> ";
    if (end - i >= 3) {
      text += fmt::format("[{}]*{}", widths[i], end - i);
    } else {
      text += std::to_string(widths[i]);
      end = i + 1;
    }
    i = end;
  }
  return text;
}

std::string runsText(long runs) { return fmt::format("{} run{}", runs, runs == 1 ? "" : "s"); }

long totalParameters(const model::NetworkConfig& config) {
  model::Rng initRng(0), noiseRng(0);
  model::Network network(config, initRng, noiseRng);
  long parameters = 0;
  for (const model::Param& param : network.params()) parameters += static_cast<long>(param.value->size());
  return parameters;
}

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

void printCounts(const Expansion& expansion, std::ostream& out) {
  std::size_t width = 4;  // "seed"
  for (const std::string& key : expansion.sweptKeys) width = std::max(width, key.size());
  out << "\nruns per value:\n";
  for (const std::string& key : expansion.sweptKeys) {
    std::string text;
    const auto listed = std::find_if(expansion.counts.begin(), expansion.counts.end(),
                                     [&](const AxisCount& count) { return count.key == key; });
    if (listed != expansion.counts.end()) {
      for (const auto& [value, runs] : listed->values)
        text += fmt::format("{}{}: {}", text.empty() ? "" : ", ", cell(value), runs);
      if (listed->notApplicable > 0)
        text += fmt::format("{}not applicable: {}", text.empty() ? "" : ", ", listed->notApplicable);
    } else {
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
    }
    fmt::print(out, "  {:<{}}  {}\n", key, width, text);
  }
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
  fmt::print(out, "  {:<{}}  {}\n", "seed", width, text);

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

// The swept values of a run, for messages: "model.activation=rrelu, seed=0".
std::string describeRun(const Expansion& expansion, const RunConfig& run) {
  std::string text;
  for (const std::string& key : expansion.sweptKeys)
    text += fmt::format("{}={}, ", key, cellOf(run.settings, key));
  return text + fmt::format("seed={}", run.seed);
}

// One line on err per run whose configuration does not build (at most
// kValidateFailureLines, then a count); returns how many there are.
long reportBrokenRuns(const SpecArguments& arguments, const Expansion& expansion, std::ostream& err) {
  long failures = 0;
  for (const RunConfig& run : expansion.runs) {
    std::string problem;
    try {
      toTrainJob(run.settings, run.seed);
    } catch (const model::ConfigError& e) {
      problem = e.what();
    } catch (const data::DataError& e) {
      problem = e.what();
    }
    if (problem.empty()) continue;
    if (++failures <= kValidateFailureLines)
      fmt::print(err, "{}: run {} ({}): {}\n", arguments.spec, run.runKey, describeRun(expansion, run),
                 problem);
  }
  if (failures > kValidateFailureLines)
    fmt::print(err, "{}: ... and {} more runs whose configuration does not build\n", arguments.spec,
               failures - kValidateFailureLines);
  return failures;
}

}  // namespace

void addSpecOptions(CLI::App& command, SpecArguments& a) {
  command.add_option("spec", a.spec, "the sweep file (YAML)")->required();
  // One value per --set, repeatable: `--set model.alpha=0.2 --set seeds=5`.
  command.add_option("--set", a.overrides, "override a setting of the file, key=value (repeatable)")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option("--max-runs", a.maxRuns,
                  "refuse sweeps with more points than this (expanding costs about 4 KB and 30 us per run)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

void addPlanOptions(CLI::App& command, PlanArguments& a) {
  addSpecOptions(command, a.sweep);
  command.add_flag("--json", a.json, "one JSON object per run: {\"index\", \"run_key\", \"config\"}");
  command.add_flag("--all", a.all, "list every run (default: the first 50)");
}

namespace {

// A run's cost, from its network's widths and its data's split sizes.
struct RunCost {
  TrainJob job;  // with the data's input and output widths
  std::shared_ptr<const data::Dataset> data;
  long weights = 0;          // W: the dense weights of the network
  double flopsPerEpoch = 0;  // 6 W per training sample (forward and backward), 2 W per held-out one
  double initial = 0;        // epoch 0, the initial network: 2 W per sample of every split
  double flops() const { return job.train.epochs * flopsPerEpoch + initial; }
};

RunCost costOf(const RunConfig& run) {
  RunCost cost;
  cost.job = toTrainJob(run.settings, run.seed);
  cost.data = data::loadDataset(cost.job.data);
  model::NetworkConfig& network = cost.job.network;
  network.inputs = cost.data->inputs();
  network.outputs = cost.data->outputs();
  int previous = network.inputs;
  for (const int width : network.hidden) {
    cost.weights += static_cast<long>(previous) * width;
    previous = width;
  }
  cost.weights += static_cast<long>(previous) * network.outputs;
  const double train = static_cast<double>(cost.data->train.size());
  const double held = static_cast<double>(cost.data->validation.size() + cost.data->test.size());
  cost.flopsPerEpoch = 6.0 * cost.weights * train + 2.0 * cost.weights * held;
  cost.initial = 2.0 * cost.weights * (train + held);
  return cost;
}

}  // namespace

double estimatedFlops(const RunConfig& run) { return costOf(run).flops(); }

CostEstimate estimateCost(const std::vector<RunConfig>& runs) {
  CostEstimate cost;
  for (const RunConfig& run : runs) {
    const RunCost one = costOf(run);
    const model::NetworkConfig& network = one.job.network;
    std::vector<int> widths = {network.inputs};
    widths.insert(widths.end(), network.hidden.begin(), network.hidden.end());
    widths.push_back(network.outputs);
    std::string label = widthsText(widths);
    if (network.norm.kind != model::Norm::None && !network.hidden.empty())
      label += fmt::format(", {} norm", model::normName(network.norm.kind));
    if (network.activation.kind == model::Activation::Prelu && !network.hidden.empty()) label += ", prelu";

    const data::Dataset& data = *one.data;
    const std::string dataLabel =
        fmt::format("{} {}/{}/{}", data.name, data.train.size(), data.validation.size(), data.test.size());
    auto row = std::find_if(cost.networks.begin(), cost.networks.end(),
                            [&](const NetworkCost& n) { return n.network == label && n.data == dataLabel; });
    if (row == cost.networks.end()) {
      NetworkCost added;
      added.network = label;
      added.data = dataLabel;
      added.weights = one.weights;
      added.parameters = totalParameters(network);
      added.flopsPerEpoch = one.flopsPerEpoch;
      row = cost.networks.insert(cost.networks.end(), std::move(added));
    }
    ++row->runs;
    row->flops += one.flops();
    cost.flops += one.flops();
  }
  return cost;
}

int runValidate(const SpecArguments& arguments, std::ostream& out, std::ostream& err) {
  const SweepSpec spec = parseSpec(arguments.spec, arguments.overrides);
  const Expansion expansion = expand(spec, arguments.maxRuns);
  printWarnings(expansion, err);
  if (reportBrokenRuns(arguments, expansion, err) > 0) return kExitBadInput;
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
  if (reportBrokenRuns(arguments.sweep, expansion, err) > 0) return kExitBadInput;
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
