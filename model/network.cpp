#include "model/network.hpp"

#include <cmath>

#include "model/dropout.hpp"
#include "model/errors.hpp"
#include "model/format.hpp"

namespace actsweep::model {

// Deeper than any plain MLP trains; a bound, so that a list of 15,000 widths
// is refused rather than built.
constexpr std::size_t kMaxHiddenLayers = 1000;

void validate(const NetworkConfig& config) {
  if (config.hidden.size() > kMaxHiddenLayers)
    throw ConfigError("network: " + std::to_string(config.hidden.size()) + " hidden layers; at most " +
                      std::to_string(kMaxHiddenLayers) + " are supported");
  if (config.inputs < 1)
    throw ConfigError("network: inputs must be >= 1, got " + std::to_string(config.inputs));
  if (config.outputs < 1)
    throw ConfigError("network: outputs must be >= 1, got " + std::to_string(config.outputs));
  for (std::size_t k = 0; k < config.hidden.size(); ++k)
    if (config.hidden[k] < 1)
      throw ConfigError("network: hidden layer " + std::to_string(k + 1) + " width must be >= 1, got " +
                        std::to_string(config.hidden[k]));
  if (!(config.dropout >= 0 && config.dropout < 1))
    throw ConfigError("network: dropout must be in [0, 1), got " + formatNumber(config.dropout));
  validate(config.activation);
  validate(config.init);
  validate(config.norm);
}

Network::Network(const NetworkConfig& config, Rng& initRng, Rng& noiseRng) : config_(config) {
  validate(config);
  int width = config.inputs;
  for (std::size_t k = 0; k < config.hidden.size(); ++k) {
    const int units = config.hidden[k];
    const std::string suffix = std::to_string(k + 1);
    auto dense = std::make_unique<Dense>(width, units, "dense" + suffix);
    initializeDense(dense->weight(), dense->bias(), config.init, initRng);
    HiddenBlock block{};
    block.dense = static_cast<int>(layers_.size());
    layers_.push_back(std::move(dense));
    if (auto norm = makeNorm(config.norm, units, "norm" + suffix)) layers_.push_back(std::move(norm));
    block.activation = static_cast<int>(layers_.size());
    layers_.push_back(makeActivation(config.activation, units, &noiseRng, "act" + suffix));
    if (config.dropout > 0) layers_.push_back(std::make_unique<Dropout>(config.dropout, noiseRng));
    blocks_.push_back(block);
    width = units;
  }
  auto output = std::make_unique<Dense>(width, config.outputs, "output");
  initializeDense(output->weight(), output->bias(), config.init, initRng);
  layers_.push_back(std::move(output));
  outputs_.resize(layers_.size());
  gradients_.resize(layers_.size());
}

const Matrix& Network::forward(const Matrix& x) {
  if (x.rows() != config_.inputs)
    throw std::invalid_argument("network: input has " + std::to_string(x.rows()) + " features, expected " +
                                std::to_string(config_.inputs));
  const Matrix* input = &x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->forward(*input, outputs_[i]);
    input = &outputs_[i];
  }
  return outputs_.back();
}

void Network::backward(const Matrix& dOutput) {
  const Matrix* dy = &dOutput;
  for (std::size_t i = layers_.size(); i-- > 0;) {
    Matrix* dx = i > 0 ? &gradients_[i - 1] : nullptr;  // the network's input needs no gradient
    layers_[i]->backward(*dy, dx);
    dy = dx;
  }
}

std::vector<Param> Network::params() {
  std::vector<Param> all;
  for (auto& layer : layers_)
    for (auto& param : layer->params()) all.push_back(std::move(param));
  return all;
}

void Network::zeroGrad() {
  for (auto& layer : layers_)
    for (auto& param : layer->params()) param.grad->setZero();
}

void Network::setTraining(bool training) {
  training_ = training;
  for (auto& layer : layers_) layer->setTraining(training);
}

std::string Network::describe() const {
  std::string text;
  for (const auto& layer : layers_) {
    if (!text.empty()) text += " -> ";
    text += layer->describe();
  }
  return text;
}

const Matrix& Network::preActivation(int k) const { return outputs_.at(blocks_.at(k).activation - 1); }
const Matrix& Network::activation(int k) const { return outputs_.at(blocks_.at(k).activation); }
Dense& Network::dense(int k) { return static_cast<Dense&>(*layers_.at(blocks_.at(k).dense)); }
Layer& Network::activationLayer(int k) { return *layers_.at(blocks_.at(k).activation); }
Dense& Network::outputLayer() { return static_cast<Dense&>(*layers_.back()); }

}  // namespace actsweep::model
