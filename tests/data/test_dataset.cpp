#include <catch2/catch.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "test_files.hpp"

using namespace actsweep::data;
using namespace actsweep::data::testing;
using Catch::Matchers::Contains;

namespace {

DataConfig blobs(std::uint64_t seed, long samples = 1000) {
  DataConfig config;
  config.source = Source::Blobs;
  config.samples = samples;
  config.classes = 3;
  config.seed = seed;
  return config;
}

// Population mean and std of each feature (row).
Eigen::VectorXd rowMeans(const Matrix& m) { return m.cast<double>().rowwise().mean(); }
Eigen::VectorXd rowStds(const Matrix& m) {
  const Eigen::MatrixXd centred = m.cast<double>().colwise() - rowMeans(m);
  return (centred.array().square().rowwise().mean()).sqrt().matrix();
}

// A CSV training file with feature means (10, -5) and stds (2, 0.5) and a
// constant third feature; the test file's first feature is shifted by +30.
DataConfig shiftedCsv(const TempDir& dir) {
  std::string train = "a,b,c,y\n", test = "a,b,c,y\n";
  for (int i = 0; i < 200; ++i) {
    const double sign = i % 2 == 0 ? 1 : -1;
    train += std::to_string(10 + 2 * sign) + "," + std::to_string(-5 + 0.5 * sign) + ",3," +
             std::to_string(i % 2) + "\n";
    test += std::to_string(40 + 2 * sign) + "," + std::to_string(-5 + 0.5 * sign) + ",3," +
            std::to_string(i % 2) + "\n";
  }
  writeText(dir / "train.csv", train);
  writeText(dir / "test.csv", test);
  DataConfig config;
  config.source = Source::Csv;
  config.path = dir / "train.csv";
  config.testPath = dir / "test.csv";
  config.validation = 0.25;
  return config;
}

}  // namespace

TEST_CASE("dataset: names parse both ways", "[data]") {
  for (const auto& [name, source] : sourceNames()) CHECK(parseSource(name) == source);
  for (const auto& [name, normalize] : normalizeNames()) CHECK(parseNormalize(name) == normalize);
  REQUIRE_THROWS_AS(parseSource("cifar"), actsweep::model::ConfigError);
  REQUIRE_THROWS_WITH(parseNormalize("zscore"), Contains("zscore") && Contains("standard"));
}

TEST_CASE("dataset: settings out of range are DataErrors", "[data]") {
  DataConfig config;
  config.validation = 1.0;
  REQUIRE_THROWS_WITH(validate(config), Contains("validation: 1") && Contains("[0, 1)"));
  config = DataConfig{};
  config.testFraction = -0.1;
  // Settings in words, not C++ field names (testFraction, trainSize), in every message.
  REQUIRE_THROWS_WITH(validate(config), Contains("test fraction: -0.1") && !Contains("testFraction"));
  config = DataConfig{};
  config.trainSize = -3;
  REQUIRE_THROWS_WITH(validate(config), Contains("train size -3") && !Contains("trainSize"));
  config = DataConfig{};
  config.source = Source::Csv;
  REQUIRE_THROWS_WITH(validate(config), Contains("path"));
  CHECK_NOTHROW(validate(DataConfig{}));
}

TEST_CASE("dataset: standardization uses the training statistics only", "[data]") {
  TempDir dir;
  const auto data = loadDataset(shiftedCsv(dir));
  REQUIRE(data->train.size() == 150);
  REQUIRE(data->validation.size() == 50);
  REQUIRE(data->test.size() == 200);
  const Eigen::VectorXd mean = rowMeans(data->train.features), stddev = rowStds(data->train.features);
  for (int feature = 0; feature < 2; ++feature) {
    CHECK(mean(feature) == Approx(0).margin(1e-5));
    CHECK(stddev(feature) == Approx(1).epsilon(1e-5));
  }
  CHECK(data->train.features.row(2).cwiseAbs().maxCoeff() == 0.0f);  // constant: std 0 -> 1, no NaN
  // The test split is transformed with the training statistics: its shift of
  // 30 = 15 training stds stays visible instead of being standardized away.
  CHECK(rowMeans(data->test.features)(0) == Approx(15).epsilon(0.02));
  CHECK(rowStds(data->test.features)(0) == Approx(1).epsilon(0.02));
  CHECK(rowMeans(data->test.features)(1) == Approx(0).margin(0.02));
}

TEST_CASE("dataset: minmax maps the training range to [0, 1]", "[data]") {
  TempDir dir;
  DataConfig config = shiftedCsv(dir);
  config.normalize = Normalize::MinMax;
  const auto data = loadDataset(config);
  for (int feature = 0; feature < 2; ++feature) {
    CHECK(data->train.features.row(feature).minCoeff() == 0.0f);
    CHECK(data->train.features.row(feature).maxCoeff() == 1.0f);
  }
  CHECK(data->train.features.row(2).cwiseAbs().maxCoeff() == 0.0f);  // range 0 -> 1
  CHECK(data->test.features.row(0).minCoeff() == Approx(7.5));       // (38 - 8) / 4
}

TEST_CASE("dataset: trainSize keeps a subset, and too many is an error", "[data]") {
  DataConfig config = blobs(3);  // 1000 samples, 200 cut off as test
  config.trainSize = 500;
  config.validation = 0.1;
  const auto data = loadDataset(config);
  CHECK(data->train.size() == 450);
  CHECK(data->validation.size() == 50);
  CHECK(data->test.size() == 200);

  config.trainSize = 800;
  CHECK(loadDataset(config)->train.size() == 720);
  config.trainSize = 801;
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("train size 801") &&
                                               Contains("blobs has only 800 training samples") &&
                                               !Contains("trainSize"));
}

TEST_CASE("dataset: validation split sizes round down", "[data]") {
  for (const auto& [fraction, expected] :
       std::vector<std::pair<double, long>>{{0.0, 0}, {0.1, 80}, {0.29, 232}, {0.999, 799}}) {
    DataConfig config = blobs(4);
    config.validation = fraction;
    const auto data = loadDataset(config);
    INFO("validation " << fraction);
    CHECK(data->validation.size() == expected);
    CHECK(data->train.size() == 800 - expected);
  }
  DataConfig config = blobs(4, 100);
  config.testFraction = 0.29;
  config.validation = 0;
  CHECK(loadDataset(config)->test.size() == 29);  // 0.29 * 100 is 28.999999999999996 in double
}

TEST_CASE("dataset: the cache builds a config once", "[data]") {
  clearDatasetCache();
  const long before = datasetBuildCount();
  const auto first = loadDataset(blobs(100));
  const auto second = loadDataset(blobs(100));
  CHECK(first == second);
  CHECK(datasetBuildCount() == before + 1);

  loadDataset(blobs(101));
  CHECK(datasetBuildCount() == before + 2);

  // A setting the source does not read shares the entry.
  DataConfig unread = blobs(100);
  unread.rawPixels = true;
  unread.csvLabel = "y";
  CHECK(loadDataset(unread) == first);
  CHECK(datasetBuildCount() == before + 2);

  // Built again after clearing, and identical: the data seed decides everything.
  clearDatasetCache();
  const auto rebuilt = loadDataset(blobs(100));
  CHECK(datasetBuildCount() == before + 3);
  CHECK(rebuilt != first);
  CHECK(rebuilt->train.features == first->train.features);
  CHECK(rebuilt->test.targets == first->test.targets);
}

TEST_CASE("dataset: concurrent loads of one config build once", "[data]") {
  const long before = datasetBuildCount();
  const DataConfig config = blobs(200, 200000);  // a build of ~20 ms, which the other threads wait for
  std::vector<std::shared_ptr<const Dataset>> results(8);
  std::latch start(static_cast<std::ptrdiff_t>(results.size()));  // all threads call at once
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t] = loadDataset(config);
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(datasetBuildCount() == before + 1);
  for (const auto& result : results) CHECK(result == results.front());
}

TEST_CASE("dataset: a failed build is not cached", "[data]") {
  TempDir dir;
  DataConfig config;
  config.source = Source::Csv;
  config.path = dir / "later.csv";
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("later.csv") && Contains("no such file"));
  writeText(dir / "later.csv", "1,0\n2,1\n3,0\n4,1\n5,0\n");
  config.testFraction = 0.2;
  config.validation = 0;
  const auto data = loadDataset(config);
  CHECK(data->train.size() == 4);
  CHECK(data->test.size() == 1);
}

TEST_CASE("dataset: cacheKey is canonical", "[data]") {
  DataConfig defaultPath, explicitPath;
  explicitPath.path = std::string(kFashionMnistDefaultPath) + "/";
  CHECK(cacheKey(defaultPath) == cacheKey(explicitPath));

  DataConfig xorA, xorB;
  xorA.source = xorB.source = Source::Xor;
  xorB.classes = 7;  // xor always has 2 classes
  CHECK(cacheKey(xorA) == cacheKey(xorB));
  xorB.noise = 0.2;
  CHECK(cacheKey(xorA) != cacheKey(xorB));

  DataConfig seeded;
  seeded.seed = 1;
  CHECK(cacheKey(seeded) != cacheKey(defaultPath));
  CHECK_THAT(cacheKey(defaultPath), Contains("fashion-mnist") && Contains("seed=0"));
}
