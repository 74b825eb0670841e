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

// The text of an option, checked by its validator above, as the setting's value.
Value valueOf(const Setting& setting, const std::string& text) {
  switch (setting.type) {
    case SettingType::Integer:
      if (setting.width == IntegerWidth::Unsigned64) return Value(std::stoull(text));
      return Value(std::stoll(text));
    case SettingType::Number: {
      double number = 0;  // numberText() let only a finite decimal number through
      std::from_chars(text.data() + (text.front() == '+'), text.data() + text.size(), number);
      return Value(number);
    }
    case SettingType::Boolean:
      return Value(text == "true");
    case SettingType::IntegerList:
      return Value(parseWidths(text));
    case SettingType::Text:
    case SettingType::Choice:
      break;
  }
  return Value(text);
}

// Every setting: the given options over the defaults.
Settings settingsOf(const TrainArguments& a) {
  Settings settings = defaultSettings();
  for (const auto& [key, text] : a.given) settings[key] = valueOf(*findSetting(key), text);
  return settings;
}

// "--alpha is ignored: it applies only when --activation is leaky_relu,
// prelu or elu (here: relu)", for each given option the settings ignore;
// data options (data.*) in `data`, the others in `other`.
void ignoredOptions(const TrainArguments& a, const Settings& settings, std::vector<std::string>& data,
                    std::vector<std::string>& other) {
  for (const Setting& setting : allSettings()) {
    if (!a.given.count(setting.key) || setting.applies(settings)) continue;
    std::string why;
    if (const auto condition = conditionOf(setting)) {
      std::vector<std::string> values = condition->values;
      const std::string last = values.back();
      values.pop_back();
      why = "it applies only when " + trainOption(condition->key) + " is " +
            (values.empty() ? last : model::joined(values) + " or " + last) +
            " (here: " + settings.at(condition->key).get<std::string>() + ")";
    } else {  // model.bias_init and model.bias_value, which depend on both of these
      why = "not with --init " + settings.at("model.init").get<std::string>() + " and --bias-init " +
            settings.at("model.bias_init").get<std::string>() + " (" + setting.help + ")";
    }
    (setting.key.rfind("data.", 0) == 0 ? data : other).push_back(setting.option + " is ignored: " + why);
  }
}

// "--activation": what --help says of a setting's option.
std::string helpOf(const Setting& setting) {
  std::string help = setting.help;
  if (!setting.allowed.empty()) help += " (allowed: " + setting.allowed + ")";
  if (setting.appliesText != "always") help += " [when " + setting.appliesText + "]";
  return help;
}

// The placeholder --help shows after an option: --lr NUMBER.
const char* typeNameOf(SettingType type) {
  switch (type) {
    case SettingType::Integer:
      return "INT";
    case SettingType::Number:
      return "NUMBER";
    case SettingType::Choice:
      return "NAME";
    case SettingType::IntegerList:
      return "WIDTHS";
    case SettingType::Boolean:
    case SettingType::Text:
      break;
  }
  return "TEXT";
}

// The default as an option's text shows it: 256,256 for model.hidden.
std::string defaultText(const Setting& setting) {
  const Value& value = setting.defaultValue;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return model::formatNumber(value.get<double>());
  if (!value.is_array()) return value.dump();
  std::string widths;
  for (const Value& width : value) widths += (widths.empty() ? "" : ",") + width.dump();
  return widths;
}

// The strict check of an option's text: odd or huge text is a one-line
// refusal naming the option, never a wrap-around, an octal surprise or a
// 30,000-character echo (--hidden's widths are checked by parseWidths).
CLI::Validator checkOf(const Setting& setting) {
  switch (setting.type) {
    case SettingType::Integer:
      if (setting.width == IntegerWidth::Unsigned64) return integerText<std::uint64_t>("a seed");
      if (setting.width == IntegerWidth::Long) return integerText<long>();
      return integerText<int>();
    case SettingType::Number:
      return numberText();
    default:
      return boundedText();
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
  // One option per setting of the registry, in its order; the values stay
  // text until resolve(), so that names are checked with the allowed ones.
  std::vector<std::pair<CLI::Option*, std::string>> options;  // option -> setting key
  for (const Setting& setting : allSettings()) {
    CLI::Option* option = nullptr;
    const std::string help = helpOf(setting);
    if (setting.type == SettingType::Boolean) {
      option = command.add_flag(setting.option, help);
    } else {
      option = command.add_option(setting.option, help)
                   ->type_name(typeNameOf(setting.type))
                   ->transform(checkOf(setting));
      if (const std::string shown = defaultText(setting); !shown.empty()) option->default_str(shown);
    }
    options.emplace_back(option, setting.key);
  }
  command.add_option("--seed", a.seed, "run seed: initialization, shuffling, dropout")
      ->capture_default_str()
      ->transform(integerText<std::uint64_t>("a seed"));
  command.add_flag("--json", a.json, "print JSON lines instead of a table");

  command.final_callback([options, &a] {
    a.given.clear();
    for (const auto& [option, key] : options)
      if (option->count() > 0)
        a.given[key] = findSetting(key)->type == SettingType::Boolean
                           ? (option->as<bool>() ? "true" : "false")
                           : option->as<std::string>();
  });
}

TrainJob resolve(const TrainArguments& a) {
  const Settings settings = settingsOf(a);
  TrainJob job = jobOf(settings, a.seed);
  checkRanges(job);
  std::vector<std::string> ignoredData, ignoredOther;
  ignoredOptions(a, settings, ignoredData, ignoredOther);
  if (!ignoredData.empty())
    throw ConfigError(ignoredData.front() + "; drop it, or choose such a dataset with --dataset");
  checkNetworkShape(job);
  return job;
}

std::vector<std::string> ignoredOptionWarnings(const TrainArguments& arguments) {
  std::vector<std::string> data, other;
  ignoredOptions(arguments, settingsOf(arguments), data, other);
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
