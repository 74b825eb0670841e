#include "runner/cost.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "model/data/dataset.hpp"
#include "model/network.hpp"
#include "runner/settings.hpp"

namespace actsweep::runner {
namespace {

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

long totalParameters(const model::NetworkConfig& config) {
  model::Rng initRng(0), noiseRng(0);
  model::Network network(config, initRng, noiseRng);
  long parameters = 0;
  for (const model::Param& param : network.params()) parameters += static_cast<long>(param.value->size());
  return parameters;
}

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

// The row label of a network: its widths, and the norm or prelu that add parameters.
std::string networkLabel(const model::NetworkConfig& network) {
  std::vector<int> widths = {network.inputs};
  widths.insert(widths.end(), network.hidden.begin(), network.hidden.end());
  widths.push_back(network.outputs);
  std::string label = widthsText(widths);
  if (network.norm.kind != model::Norm::None && !network.hidden.empty())
    label += fmt::format(", {} norm", model::normName(network.norm.kind));
  if (network.activation.kind == model::Activation::Prelu && !network.hidden.empty()) label += ", prelu";
  return label;
}

}  // namespace

double estimatedFlops(const RunConfig& run) { return costOf(run).flops(); }

double estimatedFlopsOrZero(const RunConfig& run) {
  try {
    return estimatedFlops(run);
  } catch (const std::exception&) {
    return 0;
  }
}

CostEstimate estimateCost(const std::vector<RunConfig>& runs) {
  CostEstimate cost;
  for (const RunConfig& run : runs) {
    const RunCost one = costOf(run);
    const model::NetworkConfig& network = one.job.network;
    const std::string label = networkLabel(network);
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

}  // namespace actsweep::runner
