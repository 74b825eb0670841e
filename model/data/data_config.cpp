#include "model/data/data_config.hpp"

#include <cmath>

#include "model/format.hpp"

namespace actsweep::data {
namespace {

using model::formatNumber;

constexpr long kMaxSamples = 100'000'000;  // synthetic: 2 x 10^8 floats, 800 MB
constexpr int kMaxClasses = 1000;          // spirals, blobs

}  // namespace

bool isSynthetic(Source source) {
  return source != Source::FashionMnist && source != Source::Mnist && source != Source::Csv;
}

bool usesClasses(Source source) { return source == Source::Spirals || source == Source::Blobs; }

const model::NameTable<Normalize>& normalizeNames() {
  static const model::NameTable<Normalize> table{
      {"none", Normalize::None}, {"standard", Normalize::Standard}, {"minmax", Normalize::MinMax}};
  return table;
}

const model::NameTable<Source>& sourceNames() {
  static const model::NameTable<Source> table{
      {"fashion-mnist", Source::FashionMnist},
      {"mnist", Source::Mnist},
      {"csv", Source::Csv},
      {"spirals", Source::Spirals},
      {"blobs", Source::Blobs},
      {"xor", Source::Xor},
      {"circles", Source::Circles},
      {"checkerboard", Source::Checkerboard},
      {"abs", Source::Abs},
  };
  return table;
}

Source parseSource(std::string_view name) { return model::parseName(sourceNames(), name, "dataset"); }

Normalize parseNormalize(std::string_view name) {
  return model::parseName(normalizeNames(), name, "normalize");
}

void validate(const DataConfig& config) {
  const std::string source(model::nameOf(sourceNames(), config.source));
  if (source == "?")
    throw DataError("source: unknown value " + std::to_string(static_cast<int>(config.source)));
  // Settings are named in words, not by their C++ fields: the command line
  // says --train-size and a sweep file data.train_size, and both read "train size".
  const auto fraction = [](const char* what, double value, const char* meaning) {
    if (!(value >= 0.0 && value < 1.0))
      throw DataError(std::string(what) + ": " + formatNumber(value) + " is outside [0, 1) (" + meaning +
                      ")");
  };
  fraction("validation", config.validation, "the fraction of the training samples held out for validation");
  fraction("test fraction", config.testFraction, "the fraction of the samples held out as the test split");
  if (config.trainSize < 0)
    throw DataError("train size " + std::to_string(config.trainSize) +
                    " is negative (allowed: 0 for all training samples, or a count)");

  if (config.source == Source::Mnist && config.path.empty())
    throw DataError(
        "path: mnist needs the directory that holds its IDX files (train-images-idx3-ubyte[.gz], ...)");
  if (config.source == Source::Csv && config.path.empty())
    throw DataError("path: csv needs the path of its training file");
  if (!isSynthetic(config.source)) return;

  if (usesClasses(config.source) && (config.classes < 2 || config.classes > kMaxClasses))
    throw DataError("classes: " + std::to_string(config.classes) + " for " + source + " (allowed: 2.." +
                    std::to_string(kMaxClasses) + ")");
  const long minimum = usesClasses(config.source) ? config.classes : config.source == Source::Abs ? 1 : 2;
  if (config.samples < minimum || config.samples > kMaxSamples)
    throw DataError("samples: " + std::to_string(config.samples) + " for " + source +
                    " (allowed: " + std::to_string(minimum) + ".." + std::to_string(kMaxSamples) +
                    ", one per class at least)");
  if (!(config.noise >= 0.0 && std::isfinite(config.noise)))
    throw DataError("noise: " + formatNumber(config.noise) +
                    " (allowed: a finite number >= 0, the std of the Gaussian added to the points)");
}

}  // namespace actsweep::data
