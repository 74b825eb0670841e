#include "runner/train_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string_view>

#include "model/errors.hpp"
#include "model/format.hpp"
#include "model/memory.hpp"
#include "runner/exit_codes.hpp"
#include "runner/settings.hpp"
#include "runner/signals.hpp"

namespace actsweep::runner {
namespace {

using model::ConfigError;

// "256,256" -> {256, 256}; "" -> no hidden layer. Each width is decimal
// digits only: no sign, "0x", exponent, blank or empty item ("1,,2", "256,").
// Whether the widths fit in memory is checkMemory's business.
std::vector<int> parseWidths(const std::string& text) {
  std::vector<int> widths;
  for (std::size_t begin = 0; begin < text.size() || (begin == text.size() && !widths.empty());) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string_view item = std::string_view(text).substr(begin, end - begin);
    const bool digits = !item.empty() && item.find_first_not_of("0123456789") == std::string_view::npos;
    int width = 0;
    const auto [stop, error] = std::from_chars(item.data(), item.data() + item.size(), width);
    if (digits && error == std::errc::result_out_of_range)
      throw ConfigError("--hidden: width " + model::excerpt(item) + " is too large (at most " +
                        std::to_string(std::numeric_limits<int>::max()) + " units)");
    if (!digits || error != std::errc() || stop != item.data() + item.size() || width < 1)
      throw ConfigError("--hidden: '" + model::excerpt(item) +
                        "' is not a positive width (expected widths separated by commas, e.g. 256,256)");
    widths.push_back(width);
    begin = end + 1;
  }
  return widths;
}

// Text longer than this in a name or path option is refused whole (PATH_MAX).
constexpr std::size_t kMaxOptionText = 4096;

// An integer option's text: decimal digits with an optional sign, in the
// range of the option's type. The text is rewritten to its plain decimal
// form, so that CLI11's own conversion (strtoll in base 0, where "010" is
// octal, and "-1" or an overflow wraps an unsigned) reads exactly this number.
template <class T>
CLI::Validator integerText(std::string what = "an integer") {
  return CLI::Validator(
      [what](std::string& text) -> std::string {
        const std::string range = std::to_string(std::numeric_limits<T>::min()) + " to " +
                                  std::to_string(std::numeric_limits<T>::max());
        std::string_view digits = text;
        if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
        T value{};
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        const bool whole = !digits.empty() && end == digits.data() + digits.size();
        if (error == std::errc::result_out_of_range && whole)
          return model::excerpt(text) + " is out of range for " + what + " (allowed: " + range + ")";
        if (error != std::errc() || !whole)
          return "'" + model::excerpt(text) + "' is not " + what + " (allowed: an integer from " + range +
                 ", in decimal digits)";
        text = std::to_string(value);
        return {};
      },
      "");
}

// A number option's text: a finite decimal number ("0.05", "1e-3"); not
// "nan", "inf", hex, blanks or an overflow to infinity.
CLI::Validator numberText() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::string_view number = text;
        if (!number.empty() && number.front() == '+') number.remove_prefix(1);
        double value = 0;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
            !std::isfinite(value))
          return "'" + model::excerpt(text) + "' is not a finite number (e.g. 0.05 or 1e-3)";
        return {};
      },
      "");
}

CLI::Validator boundedText() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.size() <= kMaxOptionText) return {};
        return "'" + model::excerpt(text) + "' is too long (at most " + std::to_string(kMaxOptionText) +
               " characters)";
      },
      "");
}

// The choices the settings table's conditions read (settings.cpp), from the arguments.
Settings choicesOf(const TrainArguments& a) {
  return {{"data.dataset", a.dataset},   {"model.activation", a.activation},
          {"model.init", a.init},        {"model.bias_init", a.biasInit},
          {"model.norm", a.norm},        {"train.optimizer", a.optimizer},
          {"train.schedule", a.schedule}};
}

// "--alpha is ignored: it applies only when --activation is leaky_relu,
// prelu or elu (here: relu)", for each given option the settings ignore;
// data options (data.*) in `data`, the others in `other`.
void ignoredOptions(const TrainArguments& a, std::vector<std::string>& data,
                    std::vector<std::string>& other) {
  if (a.given.empty()) return;  // a sweep run: cheap, as it is checked for every run of a sweep
  const Settings choices = choicesOf(a);
  for (const Setting& setting : allSettings()) {
    const std::string option = trainOption(setting.key);
    const bool given = std::find(a.given.begin(), a.given.end(), option) != a.given.end();
    if (!given || setting.applies(choices)) continue;
    std::string why;
    if (const auto condition = conditionOf(setting)) {
      std::vector<std::string> values = condition->values;
      const std::string last = values.back();
      values.pop_back();
      why = "it applies only when " + trainOption(condition->key) + " is " +
            (values.empty() ? last : model::joined(values) + " or " + last) +
            " (here: " + choices.at(condition->key).get<std::string>() + ")";
    } else {  // model.bias_init and model.bias_value, which depend on both of these
      why = "not with --init " + a.init + " and --bias-init " + a.biasInit + " (" + setting.help + ")";
    }
    (setting.key.rfind("data.", 0) == 0 ? data : other).push_back(option + " is ignored: " + why);
  }
}

// JSON has no NaN: "not measured" is null.
nlohmann::json number(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

std::string fixed(double value, int decimals) {
  return std::isnan(value) ? std::string("-") : fmt::format("{:.{}f}", value, decimals);
}

nlohmann::json epochJson(const model::EpochMetrics& m, const std::vector<model::LayerStats>& layers) {
  nlohmann::json json = {{"event", "epoch"},
                         {"epoch", m.epoch},
                         {"train_loss", number(m.trainLoss)},
                         {"train_acc", number(m.trainAccuracy)},
                         {"val_loss", number(m.validationLoss)},
                         {"val_acc", number(m.validationAccuracy)},
                         {"test_loss", number(m.testLoss)},
                         {"test_acc", number(m.testAccuracy)},
                         {"lr", number(m.learningRate)},
                         {"seconds", m.seconds}};
  for (const auto& s : layers)
    json["layers"].push_back({{"layer", s.layer},
                              {"dead_fraction", s.deadFraction},
                              {"zero_fraction", s.zeroFraction},
                              {"act_mean", s.activationMean},
                              {"act_std", s.activationStd},
                              {"grad_norm", s.gradientNorm},
                              {"weight_norm", s.weightNorm},
                              {"prelu_alpha", number(s.preluSlope)}});
  return json;
}

std::string outcomeName(model::Outcome outcome) {
  switch (outcome) {
    case model::Outcome::Completed:
      return "completed";
    case model::Outcome::Diverged:
      return "diverged";
    case model::Outcome::Interrupted:
      return "interrupted";
  }
  return "?";
}

void printHeader(std::ostream& out, const TrainJob& job, const model::Dataset& data) {
  const model::TrainConfig& t = job.train;
  const model::NetworkConfig& n = job.network;
  std::string widths = std::to_string(data.inputs());
  for (int width : n.hidden) widths += " -> " + std::to_string(width);
  widths += " -> " + std::to_string(data.outputs());
  fmt::print(out, "network:   {}, {} (alpha {}), init {}, norm {}, dropout {}\n", widths,
             model::activationName(n.activation.kind), model::formatNumber(n.activation.alpha),
             model::nameOf(model::initNames(), n.init.kind), model::normName(n.norm.kind),
             model::formatNumber(n.dropout));
  fmt::print(out, "data:      {} ({} train / {} validation / {} test, {} inputs -> {} outputs)\n", data.name,
             data.train.size(), data.validation.size(), data.test.size(), data.inputs(), data.outputs());
  fmt::print(
      out, "optimizer: {} lr {} ({} schedule), momentum {}, weight decay {}, batch {}, {} epochs, seed {}\n",
      model::nameOf(model::optimizerNames(), t.optimizer.kind), model::formatNumber(t.schedule.baseLr),
      model::nameOf(model::scheduleNames(), t.schedule.kind), model::formatNumber(t.optimizer.momentum),
      model::formatNumber(t.optimizer.weightDecay), t.batchSize, t.epochs, t.seed);
  fmt::print(out, "{:>5} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9}  {:<24} {:>8}\n", "epoch", "train_loss",
             "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "dead fraction per layer",
             "seconds");
}

void printEpoch(std::ostream& out, const model::EpochMetrics& m,
                const std::vector<model::LayerStats>& layers) {
  std::string dead;
  for (const auto& s : layers) dead += (dead.empty() ? "" : " ") + fmt::format("{:.2f}", s.deadFraction);
  fmt::print(out, "{:>5} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9}  {:<24} {:>8.2f}\n", m.epoch,
             fixed(m.trainLoss, 4), fixed(m.trainAccuracy, 4), fixed(m.validationLoss, 4),
             fixed(m.validationAccuracy, 4), fixed(m.testLoss, 4), fixed(m.testAccuracy, 4),
             dead.empty() ? "-" : dead, m.seconds);
}

}  // namespace

void addTrainOptions(CLI::App& command, TrainArguments& a) {
  command
      .add_option("--dataset", a.dataset,
                  "fashion-mnist, mnist, csv, spirals, blobs, xor, circles, checkerboard, abs")
      ->capture_default_str();
  command.add_option("--data-path", a.dataPath, "IDX directory (mnist, fashion-mnist) or CSV training file");
  command.add_option("--test-path", a.testPath, "CSV test file (default: cut from the data)");
  command.add_option("--csv-label", a.csvLabel, "CSV label column, by name or 0-based index (default: last)");
  command.add_flag("--regression", a.regression, "CSV: the label column is a value to regress");
  command.add_flag("--raw-pixels", a.rawPixels, "IDX: keep pixels in 0..255 instead of [0, 1]");
  command.add_option("--normalize", a.normalize, "none, standard, minmax (statistics of the training split)")
      ->capture_default_str();
  command.add_option("--train-size", a.trainSize, "use this many training samples (0 = all)")
      ->capture_default_str();
  command.add_option("--validation", a.validation, "fraction of training samples held out")
      ->capture_default_str();
  command.add_option("--samples", a.samples, "synthetic: samples generated")->capture_default_str();
  command.add_option("--noise", a.noise, "synthetic: noise std")->capture_default_str();
  command.add_option("--classes", a.classes, "synthetic blobs/spirals: classes")->capture_default_str();
  command.add_option("--data-seed", a.dataSeed, "seed of data generation, subset and split")
      ->capture_default_str();

  command.add_option("--hidden", a.hidden, "hidden widths, e.g. 256,256")->capture_default_str();
  command
      .add_option("--activation", a.activation,
                  "relu, leaky_relu, prelu, elu, selu, gelu, silu, tanh, sigmoid, "
                  "softplus, rrelu")
      ->capture_default_str();
  command.add_option("--alpha", a.alpha, "leaky_relu slope, prelu initial slope, elu alpha")
      ->capture_default_str();
  command.add_option("--rrelu-lower", a.rreluLower, "rrelu slope range, lower")->capture_default_str();
  command.add_option("--rrelu-upper", a.rreluUpper, "rrelu slope range, upper")->capture_default_str();
  command
      .add_option("--init", a.init,
                  "he_normal, he_uniform, xavier_normal, xavier_uniform, lecun_normal, "
                  "lecun_uniform, orthogonal, normal, uniform, rai")
      ->capture_default_str();
  command.add_option("--init-scale", a.initScale, "normal: std; uniform: limit; orthogonal: gain");
  command.add_option("--bias-init", a.biasInit, "zero, constant")->capture_default_str();
  command.add_option("--bias-value", a.biasValue, "the constant of --bias-init constant");
  command.add_option("--norm", a.norm, "none, batch, layer")->capture_default_str();
  command.add_option("--norm-momentum", a.normMomentum, "batch norm running-statistics momentum")
      ->capture_default_str();
  command.add_option("--dropout", a.dropout, "drop probability after each hidden activation")
      ->capture_default_str();

  command.add_option("--epochs", a.epochs, "epochs (0: measure the initial network only)")
      ->capture_default_str();
  command.add_option("--batch-size", a.batchSize)->capture_default_str();
  command.add_option("--optimizer", a.optimizer, "sgd, adam, adamw")->capture_default_str();
  command.add_option("--lr", a.lr, "learning rate")->capture_default_str();
  command.add_option("--momentum", a.momentum, "sgd momentum")->capture_default_str();
  command.add_flag("--nesterov", a.nesterov, "sgd: Nesterov momentum");
  command.add_option("--weight-decay", a.weightDecay, "on dense weights only")->capture_default_str();
  command.add_option("--beta1", a.beta1, "adam/adamw")->capture_default_str();
  command.add_option("--beta2", a.beta2, "adam/adamw")->capture_default_str();
  command.add_option("--schedule", a.schedule, "constant, step, cosine")->capture_default_str();
  command.add_option("--step-epochs", a.stepEpochs, "step schedule: epochs per step")->capture_default_str();
  command.add_option("--gamma", a.gamma, "step schedule: factor per step")->capture_default_str();
  command.add_option("--min-lr", a.minLr, "cosine schedule: final rate")->capture_default_str();
  command.add_option("--clip", a.clip, "global gradient-norm clipping (0 = off)")->capture_default_str();
  command.add_option("--probe-size", a.probeSize, "probe samples for the layer diagnostics")
      ->capture_default_str();
  command.add_option("--seed", a.seed, "run seed: initialization, shuffling, dropout")->capture_default_str();
  command.add_flag("--json", a.json, "print JSON lines instead of a table");

  // Every option that parses text gets a strict check first (--hidden gets
  // parseWidths'): odd or huge text is a one-line refusal naming the option,
  // never a wrap-around, an octal surprise or a 30,000-character echo.
  const auto each = [&command](std::initializer_list<const char*> names, const CLI::Validator& validator) {
    for (const char* name : names) command.get_option(name)->transform(validator);
  };
  each({"--train-size", "--samples"}, integerText<long>());
  each({"--classes", "--epochs", "--batch-size", "--probe-size", "--step-epochs"}, integerText<int>());
  each({"--seed", "--data-seed"}, integerText<std::uint64_t>("a seed"));
  each({"--validation", "--noise", "--alpha", "--rrelu-lower", "--rrelu-upper", "--init-scale",
        "--bias-value", "--norm-momentum", "--dropout", "--lr", "--momentum", "--weight-decay", "--beta1",
        "--beta2", "--gamma", "--min-lr", "--clip"},
       numberText());
  each({"--dataset", "--data-path", "--test-path", "--csv-label", "--normalize", "--hidden", "--activation",
        "--init", "--bias-init", "--norm", "--optimizer", "--schedule"},
       boundedText());

  command.final_callback([&command, &a] {
    a.given.clear();
    for (const CLI::Option* option : command.get_options())
      if (option->count() > 0) a.given.push_back(option->get_name());
  });
}

TrainJob resolve(const TrainArguments& a) {
  TrainJob job;
  data::DataConfig& d = job.data;
  d.source = data::parseSource(a.dataset);
  d.path = a.dataPath;
  d.testPath = a.testPath;
  d.csvLabel = a.csvLabel;
  d.csvRegression = a.regression;
  d.rawPixels = a.rawPixels;
  d.normalize = data::parseNormalize(a.normalize);
  d.trainSize = a.trainSize;
  d.validation = a.validation;
  d.samples = a.samples;
  d.noise = a.noise;
  d.classes = a.classes;
  d.seed = a.dataSeed;

  model::NetworkConfig& n = job.network;
  n.hidden = parseWidths(a.hidden);
  n.activation.kind = model::parseActivation(a.activation);
  n.activation.alpha = a.alpha;
  n.activation.rreluLower = a.rreluLower;
  n.activation.rreluUpper = a.rreluUpper;
  n.init.kind = model::parseInit(a.init);
  n.init.scale = a.initScale;
  n.init.bias = model::parseName(model::biasInitNames(), a.biasInit, "bias init");
  n.init.biasValue = a.biasValue;
  n.norm.kind = model::parseNorm(a.norm);
  n.norm.momentum = a.normMomentum;
  n.dropout = a.dropout;

  model::TrainConfig& t = job.train;
  t.epochs = a.epochs;
  t.batchSize = a.batchSize;
  t.probeSize = a.probeSize;
  t.clipNorm = a.clip;
  t.seed = a.seed;
  t.optimizer.kind = model::parseOptimizer(a.optimizer);
  t.optimizer.momentum = t.optimizer.kind == model::OptimizerKind::Sgd ? a.momentum : 0.0;
  t.optimizer.nesterov = a.nesterov;
  t.optimizer.weightDecay = a.weightDecay;
  t.optimizer.beta1 = a.beta1;
  t.optimizer.beta2 = a.beta2;
  t.schedule.kind = model::parseSchedule(a.schedule);
  t.schedule.baseLr = a.lr;
  t.schedule.stepEpochs = a.stepEpochs;
  t.schedule.gamma = a.gamma;
  t.schedule.totalEpochs = std::max(1, a.epochs);
  t.schedule.minLr = a.minLr;

  data::validate(d);
  model::validate(t);
  std::vector<std::string> ignoredData, ignoredOther;
  ignoredOptions(a, ignoredData, ignoredOther);
  if (!ignoredData.empty())
    throw ConfigError(ignoredData.front() + "; drop it, or choose such a dataset with --dataset");
  // The dataset decides the shape; what is known without loading it (784
  // inputs for mnist, 2 for xor, at least 1 for csv) lets every network and
  // its memory be checked now, before any data or weights are allocated.
  const data::ShapeHint shape = data::shapeHint(d);
  n.inputs = shape.inputs;
  n.outputs = shape.outputs;
  model::validate(n);
  // Unknown sample counts (csv) count as 1: only what surely cannot fit is
  // refused here; model::train checks again with the data's real counts.
  model::checkMemory(n, t, shape.samples > 0 ? shape.samples : 1);
  return job;
}

std::vector<std::string> ignoredOptionWarnings(const TrainArguments& arguments) {
  std::vector<std::string> data, other;
  ignoredOptions(arguments, data, other);
  return other;
}

int runTrain(const TrainArguments& arguments, std::ostream& out) {
  return runTrain(arguments, out, std::cerr);
}

int runTrain(const TrainArguments& arguments, std::ostream& out, std::ostream& err) {
  const TrainJob job = resolve(arguments);
  for (const std::string& warning : ignoredOptionWarnings(arguments))
    fmt::print(err, "actsweep train: warning: {}\n", warning);
  const auto data = data::loadDataset(job.data);
  const auto& stop = installStopHandlers();
  if (!arguments.json) printHeader(out, job, *data);
  const auto start = std::chrono::steady_clock::now();
  const model::RunResult result = model::train(
      job.network, job.train, *data,
      [&](const model::EpochMetrics& metrics, const std::vector<model::LayerStats>& layers) {
        if (arguments.json) {
          out << epochJson(metrics, layers).dump() << '\n';
        } else {
          printEpoch(out, metrics, layers);
        }
        out.flush();
      },
      &stop);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const model::EpochMetrics& last = result.final;
  if (arguments.json) {
    out << nlohmann::json(
               {{"event", "summary"},
                {"outcome", outcomeName(result.outcome)},
                {"epochs_completed", result.epochsCompleted},
                {"diverged_epoch",
                 result.divergedEpoch == 0 ? nlohmann::json(nullptr) : nlohmann::json(result.divergedEpoch)},
                {"final_train_loss", number(last.trainLoss)},
                {"final_test_loss", number(last.testLoss)},
                {"final_test_acc", number(last.testAccuracy)},
                {"best_val_acc", number(result.bestValidationAccuracy)},
                {"dead_fraction", number(result.finalDeadFraction)},
                {"born_dead", result.bornDead},
                {"seconds", seconds}})
               .dump()
        << '\n';
  } else {
    std::string what = outcomeName(result.outcome);
    if (result.outcome == model::Outcome::Diverged)
      what += fmt::format(" at epoch {} (training loss became NaN or Inf)", result.divergedEpoch);
    fmt::print(out,
               "summary:   {} after {} of {} epochs in {:.1f} s; test acc {} (loss {}), best val acc {}, "
               "dead units {}, born dead: {}\n",
               what, result.epochsCompleted, job.train.epochs, seconds, fixed(last.testAccuracy, 4),
               fixed(last.testLoss, 4), fixed(result.bestValidationAccuracy, 4),
               std::isnan(result.finalDeadFraction) ? std::string("-")
                                                    : fmt::format("{:.1f}%", 100 * result.finalDeadFraction),
               result.bornDead ? "yes" : "no");
  }
  return result.outcome == model::Outcome::Interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace actsweep::runner
