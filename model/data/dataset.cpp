#include "model/data/dataset.hpp"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <utility>
#include <vector>

#include "model/data/csv.hpp"
#include "model/data/idx.hpp"
#include "model/data/raw_data.hpp"
#include "model/data/synthetic.hpp"
#include "model/format.hpp"
#include "model/random.hpp"

namespace actsweep::data {
namespace {

using model::formatNumber;
using model::Rng;

// floor(fraction * n); the relative tolerance keeps 0.29 * 100 = 28.999999999999996 at 29.
Eigen::Index fractionOf(double fraction, Eigen::Index n) {
  return static_cast<Eigen::Index>(std::floor(fraction * static_cast<double>(n) * (1.0 + 1e-12)));
}

// A uniformly random permutation of 0..n-1 (Fisher-Yates).
std::vector<Eigen::Index> permutation(Eigen::Index n, Rng rng) {
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  randomPermutation(order, rng);
  return order;
}

// The samples order[begin, end) of `source`, in that order.
Split gather(const Split& source, const std::vector<Eigen::Index>& order, std::size_t begin,
             std::size_t end) {
  const auto count = static_cast<Eigen::Index>(end - begin);
  Split split;
  split.features.resize(source.features.rows(), count);
  split.targets.resize(source.targets.rows(), count);
  for (Eigen::Index k = 0; k < count; ++k) {
    const Eigen::Index from = order[begin + static_cast<std::size_t>(k)];
    split.features.col(k) = source.features.col(from);
    split.targets.col(k) = source.targets.col(from);
  }
  return split;
}

// x' = (x - offset) * scale per feature (row), fitted on the training split.
struct FeatureTransform {
  model::Vector offset, scale;  // (inputs)
};

// Standard: offset = mean, scale = 1/std (population std; std 0 -> 1, so a
// constant feature becomes 0 instead of NaN). MinMax: offset = min, scale =
// 1/(max - min) (range 0 -> 1). Sums run in double: a float sum of 60000
// pixels loses the low digits of the mean.
FeatureTransform fitTransform(const Matrix& train, Normalize normalize) {
  const Eigen::Index inputs = train.rows(), count = train.cols();
  Eigen::VectorXd offset = Eigen::VectorXd::Zero(inputs), scale = Eigen::VectorXd::Ones(inputs);
  if (normalize == Normalize::Standard) {
    for (Eigen::Index j = 0; j < count; ++j) offset += train.col(j).cast<double>();
    offset /= static_cast<double>(count);
    Eigen::VectorXd squares = Eigen::VectorXd::Zero(inputs);
    for (Eigen::Index j = 0; j < count; ++j)
      squares += (train.col(j).cast<double>() - offset).array().square().matrix();
    const Eigen::VectorXd stddev = (squares / static_cast<double>(count)).cwiseSqrt();
    for (Eigen::Index i = 0; i < inputs; ++i) scale(i) = stddev(i) > 0.0 ? 1.0 / stddev(i) : 1.0;
  } else if (normalize == Normalize::MinMax) {
    // Column by column: rowwise().minCoeff() walks the column-major matrix with a stride, 3x slower.
    model::Vector minimum = train.col(0), maximum = train.col(0);
    for (Eigen::Index j = 1; j < count; ++j) {
      minimum = minimum.cwiseMin(train.col(j));
      maximum = maximum.cwiseMax(train.col(j));
    }
    offset = minimum.cast<double>();
    const Eigen::VectorXd range = maximum.cast<double>() - offset;
    for (Eigen::Index i = 0; i < inputs; ++i) scale(i) = range(i) > 0.0 ? 1.0 / range(i) : 1.0;
  }
  return {offset.cast<Scalar>(), scale.cast<Scalar>()};
}

void applyTransform(const FeatureTransform& transform, Matrix& features) {
  features = ((features.colwise() - transform.offset).array().colwise() * transform.scale.array()).matrix();
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The file a path names however it is spelled (relative, "a/../b", trailing "/").
std::string canonicalPath(const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path normal = std::filesystem::absolute(path).lexically_normal();
  if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path())
    normal = normal.parent_path();
  return normal.string();
}

std::shared_ptr<const Dataset> buildDataset(const DataConfig& config) {
  RawData raw = config.source == Source::Csv ? loadCsvDataset(config)
                : isSynthetic(config.source) ? generateSynthetic(config)
                                             : loadIdxDataset(config);

  auto dataset = std::make_shared<Dataset>();
  dataset->name = raw.name;
  dataset->task = raw.task;
  dataset->classes = raw.classes;

  Split available = std::move(raw.train);
  if (raw.test) {
    dataset->test = std::move(*raw.test);
  } else {
    // A shuffled order first: the synthetic sources interleave their classes
    // and a CSV file may be sorted by label.
    const Eigen::Index count = available.size();
    const auto order = permutation(count, Rng::forStream(config.seed, kTestCutStream));
    const auto testCount = static_cast<std::size_t>(fractionOf(config.testFraction, count));
    dataset->test = gather(available, order, 0, testCount);
    available = gather(available, order, testCount, order.size());
  }

  const Eigen::Index availableCount = available.size();
  if (config.trainSize > availableCount)
    throw DataError("train size " + std::to_string(config.trainSize) + " but " + raw.name + " has only " +
                    std::to_string(availableCount) + " training samples (set at most that, or 0 for all)");
  const Eigen::Index kept = config.trainSize > 0 ? config.trainSize : availableCount;
  const Eigen::Index validationCount = fractionOf(config.validation, kept);
  const Eigen::Index trainCount = kept - validationCount;
  if (trainCount < 1)
    throw DataError("validation: " + formatNumber(config.validation) + " of " + std::to_string(kept) +
                    " samples leaves no training sample; lower validation or raise trainSize");

  // One shuffle decides both the subset and the split: train = order[0, trainCount),
  // validation = order[trainCount, kept).
  const auto order = permutation(availableCount, Rng::forStream(config.seed, kShuffleStream));
  dataset->train = gather(available, order, 0, static_cast<std::size_t>(trainCount));
  dataset->validation =
      gather(available, order, static_cast<std::size_t>(trainCount), static_cast<std::size_t>(kept));

  // Statistics from the training split only: validation and test must look
  // like unseen data, or model selection leaks information from them.
  if (config.normalize != Normalize::None) {
    const FeatureTransform transform = fitTransform(dataset->train.features, config.normalize);
    applyTransform(transform, dataset->train.features);
    applyTransform(transform, dataset->validation.features);
    applyTransform(transform, dataset->test.features);
  }
  return dataset;
}

// The process-wide cache. A key maps to the future of its dataset, so that
// the first caller builds outside the lock while later callers of the same
// key wait on the future instead of building again; other keys proceed.
struct Cache {
  struct Entry {
    std::shared_future<std::shared_ptr<const Dataset>> dataset;
    std::uint64_t id;  // tells a failed builder whether the entry is still its own
  };
  std::mutex mutex;
  std::map<std::string, Entry> entries;
  std::uint64_t nextId = 0;
  std::atomic<long> builds{0};
};

Cache& cache() {
  static Cache instance;
  return instance;
}

}  // namespace

ShapeHint shapeHint(const DataConfig& config) {
  constexpr int kIdxInputs = 28 * 28, kIdxClasses = 10;
  constexpr long kIdxLargestSplit = 60000;
  switch (config.source) {
    case Source::FashionMnist:
    case Source::Mnist:
      return {kIdxInputs, kIdxClasses, kIdxLargestSplit};
    case Source::Csv:
      return {1, 1, 0};
    case Source::Abs:
      return {1, 1, config.samples};
    default:
      return {2, usesClasses(config.source) ? config.classes : 2, config.samples};
  }
}

std::string cacheKey(const DataConfig& config) {
  // Only the fields the source reads, so that configs which build the same
  // data share one entry; fashion-mnist's default path is spelled out for
  // the same reason.
  std::string key = "source=" + std::string(model::nameOf(sourceNames(), config.source));
  const auto add = [&key](const char* field, const std::string& value) {
    key.append(";").append(field).append("=").append(value);
  };
  switch (config.source) {
    case Source::FashionMnist:
    case Source::Mnist:
      add("path", quoted(canonicalPath(config.path.empty() && config.source == Source::FashionMnist
                                           ? std::string(kFashionMnistDefaultPath)
                                           : config.path)));
      add("rawPixels", config.rawPixels ? "1" : "0");
      break;
    case Source::Csv:
      add("path", quoted(canonicalPath(config.path)));
      add("testPath", quoted(canonicalPath(config.testPath)));
      add("csvLabel", quoted(config.csvLabel));
      add("csvRegression", config.csvRegression ? "1" : "0");
      if (config.testPath.empty()) add("testFraction", formatNumber(config.testFraction));
      break;
    default:
      add("samples", std::to_string(config.samples));
      if (config.source != Source::Abs) add("noise", formatNumber(config.noise));
      if (usesClasses(config.source)) add("classes", std::to_string(config.classes));
      add("testFraction", formatNumber(config.testFraction));
      break;
  }
  add("normalize", std::string(model::nameOf(normalizeNames(), config.normalize)));
  add("trainSize", std::to_string(config.trainSize));
  add("validation", formatNumber(config.validation));
  add("seed", std::to_string(config.seed));
  return key;
}

std::shared_ptr<const Dataset> loadDataset(const DataConfig& config) {
  validate(config);
  const std::string key = cacheKey(config);
  Cache& shared = cache();

  std::promise<std::shared_ptr<const Dataset>> promise;
  const std::shared_future<std::shared_ptr<const Dataset>> future = promise.get_future().share();
  std::uint64_t id = 0;
  {
    std::unique_lock lock(shared.mutex);
    const auto found = shared.entries.find(key);
    if (found != shared.entries.end()) {
      const auto cached = found->second.dataset;
      lock.unlock();
      return cached.get();  // waits while another thread builds it; rethrows its error
    }
    id = shared.nextId++;
    shared.entries.emplace(key, Cache::Entry{future, id});
  }

  ++shared.builds;
  try {
    promise.set_value(buildDataset(config));
  } catch (...) {
    // The waiters get the error; the entry goes, so that a later call (after
    // the file is fixed, say) tries again.
    promise.set_exception(std::current_exception());
    const std::lock_guard lock(shared.mutex);
    const auto found = shared.entries.find(key);
    if (found != shared.entries.end() && found->second.id == id) shared.entries.erase(found);
    throw;
  }
  return future.get();
}

long datasetBuildCount() { return cache().builds.load(); }

void clearDatasetCache() {
  Cache& shared = cache();
  const std::lock_guard lock(shared.mutex);
  shared.entries.clear();
}

}  // namespace actsweep::data
