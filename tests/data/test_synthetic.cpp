#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "model/data/dataset.hpp"
#include "model/data/synthetic.hpp"

using namespace actsweep::data;
using Catch::Matchers::Contains;

namespace {

DataConfig synthetic(Source source, long samples = 600, double noise = 0.1, std::uint64_t seed = 1) {
  DataConfig config;
  config.source = source;
  config.samples = samples;
  config.noise = noise;
  config.seed = seed;
  return config;
}

std::vector<long> classCounts(const Split& split, int classes) {
  std::vector<long> counts(static_cast<std::size_t>(classes), 0);
  for (Eigen::Index i = 0; i < split.size(); ++i) {
    const float label = split.targets(0, i);
    REQUIRE(label >= 0);
    REQUIRE(label < classes);
    REQUIRE(label == std::floor(label));
    ++counts[static_cast<std::size_t>(label)];
  }
  return counts;
}

const std::vector<Source> kClassificationSources{Source::Spirals, Source::Blobs, Source::Xor, Source::Circles,
                                                 Source::Checkerboard};

}  // namespace

TEST_CASE("synthetic: shapes, classes and balance", "[data][synthetic]") {
  for (const Source source : kClassificationSources) {
    DataConfig config = synthetic(source, 601);
    config.classes = 5;
    const RawData raw = generateSynthetic(config);
    INFO(raw.name);
    const int expectedClasses = source == Source::Spirals || source == Source::Blobs ? 5 : 2;
    CHECK(raw.task == Task::Classification);
    CHECK(raw.classes == expectedClasses);
    CHECK(!raw.test);
    CHECK(raw.train.features.rows() == 2);
    CHECK(raw.train.size() == 601);
    CHECK(raw.train.targets.rows() == 1);
    const auto counts = classCounts(raw.train, expectedClasses);
    CHECK(*std::max_element(counts.begin(), counts.end()) - *std::min_element(counts.begin(), counts.end()) <=
          1);
    CHECK(raw.train.features.allFinite());
  }
}

TEST_CASE("synthetic: the same seed gives identical data, another seed other data", "[data][synthetic]") {
  for (const Source source :
       {Source::Spirals, Source::Blobs, Source::Xor, Source::Circles, Source::Checkerboard, Source::Abs}) {
    const RawData a = generateSynthetic(synthetic(source, 200, 0.1, 7));
    const RawData b = generateSynthetic(synthetic(source, 200, 0.1, 7));
    const RawData c = generateSynthetic(synthetic(source, 200, 0.1, 8));
    INFO(a.name);
    CHECK(a.train.features == b.train.features);
    CHECK(a.train.targets == b.train.targets);
    CHECK(a.train.features != c.train.features);
  }
}

TEST_CASE("synthetic: without noise the points follow their shapes", "[data][synthetic]") {
  const auto points = [](Source source) { return generateSynthetic(synthetic(source, 400, 0.0)).train; };

  const Split xorData = points(Source::Xor);
  for (Eigen::Index i = 0; i < xorData.size(); ++i) {
    const bool signsDiffer = (xorData.features(0, i) > 0) != (xorData.features(1, i) > 0);
    CHECK(xorData.targets(0, i) == (signsDiffer ? 1.0f : 0.0f));
  }
  // All four quadrants are used.
  CHECK((xorData.features.row(0).array() > 0 && xorData.features.row(1).array() > 0).count() == 100);
  CHECK((xorData.features.row(0).array() < 0 && xorData.features.row(1).array() > 0).count() == 100);

  const Split circles = points(Source::Circles);
  for (Eigen::Index i = 0; i < circles.size(); ++i)
    CHECK(circles.features.col(i).norm() == Approx(circles.targets(0, i) == 0 ? 0.5 : 1.0).epsilon(1e-5));

  const Split board = points(Source::Checkerboard);
  for (Eigen::Index i = 0; i < board.size(); ++i) {
    const auto col = static_cast<int>(std::floor((board.features(0, i) + 1) * 2));
    const auto row = static_cast<int>(std::floor((board.features(1, i) + 1) * 2));
    CHECK(board.features.col(i).cwiseAbs().maxCoeff() <= 1.0f);
    CHECK(board.targets(0, i) == static_cast<float>((col + row) % 2));
  }

  const Split spirals = points(Source::Spirals);
  CHECK(spirals.features.colwise().norm().maxCoeff() <= 1.0f);
}

TEST_CASE("synthetic: abs is y = |x| with x uniform on [-sqrt3, sqrt3]", "[data][synthetic]") {
  const RawData raw = generateSynthetic(synthetic(Source::Abs, 20000, 0.3));
  CHECK(raw.task == Task::Regression);
  CHECK(raw.classes == 0);
  REQUIRE(raw.train.features.rows() == 1);
  REQUIRE(raw.train.targets.rows() == 1);
  REQUIRE(raw.train.size() == 20000);
  CHECK(raw.train.targets == raw.train.features.cwiseAbs());  // noise is not applied to abs
  const double limit = std::sqrt(3.0);
  CHECK(raw.train.features.minCoeff() >= -limit);
  CHECK(raw.train.features.maxCoeff() <= limit);
  CHECK(raw.train.features.minCoeff() < -0.99 * limit);
  CHECK(raw.train.features.maxCoeff() > 0.99 * limit);
  const double mean = raw.train.features.cast<double>().mean();
  const double variance = raw.train.features.cast<double>().array().square().mean() - mean * mean;
  CHECK(mean == Approx(0).margin(0.03));  // std of the mean: 1/sqrt(20000) = 0.007
  CHECK(variance == Approx(1).margin(0.03));
}

TEST_CASE("synthetic: loadDataset cuts the test split and keeps classes balanced", "[data][synthetic]") {
  DataConfig config = synthetic(Source::Spirals, 1000);
  config.classes = 4;
  config.testFraction = 0.25;
  config.validation = 0.2;
  const auto data = loadDataset(config);
  CHECK(data->name == "spirals");
  CHECK(data->test.size() == 250);
  CHECK(data->validation.size() == 150);
  CHECK(data->train.size() == 600);
  CHECK(data->inputs() == 2);
  CHECK(data->outputs() == 4);
  const auto counts = classCounts(data->test, 4);
  for (long count : counts) CHECK(count > 40);  // a random quarter of 250 per class, not one class
}

TEST_CASE("synthetic: settings out of range are DataErrors", "[data][synthetic]") {
  DataConfig config = synthetic(Source::Spirals);
  config.classes = 1;
  REQUIRE_THROWS_WITH(validate(config), Contains("classes: 1") && Contains("spirals") && Contains("2.."));
  config = synthetic(Source::Blobs, 2);
  config.classes = 3;
  REQUIRE_THROWS_WITH(validate(config), Contains("samples: 2"));
  config = synthetic(Source::Xor, 100, -0.5);
  REQUIRE_THROWS_WITH(validate(config), Contains("noise: -0.5"));
  config = synthetic(Source::Xor, 100, std::nan(""));
  REQUIRE_THROWS_AS(loadDataset(config), DataError);
}
