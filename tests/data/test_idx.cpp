#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "model/data/dataset.hpp"
#include "model/data/file_reader.hpp"
#include "model/data/idx.hpp"
#include "test_files.hpp"

using namespace actsweep::data;
using namespace actsweep::data::testing;
using Catch::Matchers::Contains;

namespace {

// 5 images of 3x2, pixel k of image i = 10 i + k; labels 0..4.
constexpr std::uint32_t kCount = 5, kRows = 3, kCols = 2;

Bytes imageData() {
  Bytes data;
  for (std::uint32_t i = 0; i < kCount; ++i)
    for (std::uint32_t k = 0; k < kRows * kCols; ++k) data.push_back(static_cast<std::uint8_t>(10 * i + k));
  return data;
}

Bytes imagesFile() { return makeIdx({kCount, kRows, kCols}, imageData()); }
Bytes labelsFile() { return makeIdx({kCount}, {0, 1, 2, 3, 4}); }

void checkImages(const Matrix& images, bool rawPixels) {
  REQUIRE(images.rows() == kRows * kCols);
  REQUIRE(images.cols() == kCount);
  const double scale = rawPixels ? 1.0 : 1.0 / 255.0;
  for (Eigen::Index i = 0; i < kCount; ++i)
    for (Eigen::Index k = 0; k < kRows * kCols; ++k)
      CHECK(images(k, i) == Approx((10 * i + k) * scale).epsilon(1e-6));
}

// Writes the four MNIST-named files of a tiny dataset into `dir`.
void writeMnistLike(const TempDir& dir, bool gzip) {
  const auto write = [&](const std::string& name, const Bytes& bytes) {
    if (gzip)
      writeGzip(dir / (name + ".gz"), bytes);
    else
      writeBytes(dir / name, bytes);
  };
  write("train-images-idx3-ubyte", imagesFile());
  write("train-labels-idx1-ubyte", labelsFile());
  write("t10k-images-idx3-ubyte", makeIdx({2, kRows, kCols}, Bytes(12, 255)));
  write("t10k-labels-idx1-ubyte", makeIdx({2}, {9, 0}));
}

}  // namespace

TEST_CASE("idx: raw files round-trip, pixels scaled or raw", "[data][idx]") {
  TempDir dir;
  writeBytes(dir / "images", imagesFile());
  writeBytes(dir / "labels", labelsFile());
  checkImages(readIdxImages(dir / "images", false), false);
  checkImages(readIdxImages(dir / "images", true), true);
  const Matrix labels = readIdxLabels(dir / "labels", 10);
  REQUIRE(labels.cols() == kCount);
  for (Eigen::Index i = 0; i < kCount; ++i) CHECK(labels(0, i) == i);
}

TEST_CASE("idx: gzip is detected by its magic bytes, not by the name", "[data][idx]") {
  TempDir dir;
  writeGzip(dir / "images.gz", imagesFile());
  writeGzip(dir / "images-no-suffix", imagesFile());
  writeBytes(dir / "raw.gz", imagesFile());
  checkImages(readIdxImages(dir / "images.gz", false), false);
  checkImages(readIdxImages(dir / "images-no-suffix", false), false);
  checkImages(readIdxImages(dir / "raw.gz", false), false);
  CHECK(readFileBytes(dir / "images.gz") == imagesFile());
}

TEST_CASE("idx: concatenated gzip members are joined, as gunzip does", "[data][idx]") {
  TempDir dir;
  const Bytes whole = imagesFile();
  writeGzip(dir / "first", Bytes(whole.begin(), whole.begin() + 7));
  writeGzip(dir / "second", Bytes(whole.begin() + 7, whole.end()));
  Bytes joined = readBytes(dir / "first");
  const Bytes second = readBytes(dir / "second");
  joined.insert(joined.end(), second.begin(), second.end());
  writeBytes(dir / "joined.gz", joined);
  CHECK(readFileBytes(dir / "joined.gz") == whole);
}

TEST_CASE("idx: a directory of raw or gzipped files loads as mnist", "[data][idx]") {
  for (const bool gzip : {false, true}) {
    TempDir dir;
    writeMnistLike(dir, gzip);
    DataConfig config;
    config.source = Source::Mnist;
    config.path = dir.path.string();
    config.normalize = Normalize::None;
    config.validation = 0.2;
    const auto data = loadDataset(config);
    CHECK(data->name == "mnist");
    CHECK(data->classes == 10);
    CHECK(data->inputs() == 6);
    CHECK(data->outputs() == 10);
    CHECK(data->train.size() == 4);
    CHECK(data->validation.size() == 1);
    REQUIRE(data->test.size() == 2);
    CHECK(data->test.features.minCoeff() == 1.0f);
    CHECK(data->test.targets(0, 0) == 9);
    // Every training image still sits next to its own label: label i has pixels 10 i + k.
    for (Eigen::Index j = 0; j < data->train.size(); ++j)
      CHECK(data->train.features(1, j) * 255 == Approx(10 * data->train.targets(0, j) + 1));
  }
}

TEST_CASE("idx: the uncompressed file wins when both exist", "[data][idx]") {
  TempDir dir;
  writeBytes(dir / "labels", labelsFile());
  writeGzip(dir / "labels.gz", labelsFile());
  CHECK(findIdxFile(dir.path, "labels", "hint") == dir / "labels");
  std::filesystem::remove(dir / "labels");
  CHECK(findIdxFile(dir.path, "labels", "hint") == dir / "labels.gz");
  std::filesystem::remove(dir / "labels.gz");
  REQUIRE_THROWS_WITH(findIdxFile(dir.path, "labels", "the hint"),
                      Contains("labels[.gz]") && Contains("no such file") && Contains("the hint"));
}

TEST_CASE("idx: every bad file names itself and its problem", "[data][idx]") {
  TempDir dir;
  const auto write = [&](const std::string& name, const Bytes& bytes) {
    writeBytes(dir / name, bytes);
    return dir / name;
  };

  SECTION("missing file") {
    REQUIRE_THROWS_AS(readIdxImages(dir / "absent", false), DataError);
    REQUIRE_THROWS_WITH(readIdxImages(dir / "absent", false), Contains("absent") && Contains("no such file"));
  }
  SECTION("wrong magic") {
    const auto file = write("text", Bytes{'h', 'e', 'l', 'l', 'o', '\n'});
    REQUIRE_THROWS_WITH(readIdxImages(file, false), Contains("text") && Contains("not an IDX file"));
  }
  SECTION("images given where labels are expected, and the reverse") {
    const auto images = write("imgs", imagesFile());
    const auto labels = write("lbls", labelsFile());
    REQUIRE_THROWS_WITH(readIdxLabels(images, 10),
                        Contains("imgs") && Contains("images file given where labels"));
    REQUIRE_THROWS_WITH(readIdxImages(labels, false),
                        Contains("lbls") && Contains("labels file given where images"));
  }
  SECTION("unsupported data type") {
    const auto file = write("floats", makeIdx({1}, {0, 0, 0, 0}, 0x0D));
    REQUIRE_THROWS_WITH(readIdxLabels(file, 10),
                        Contains("floats") && Contains("unsupported data type 0x0d") && Contains("float32"));
  }
  SECTION("truncated data") {
    Bytes bytes = imagesFile();
    bytes.resize(bytes.size() - 3);
    const auto file = write("short", bytes);
    REQUIRE_THROWS_WITH(readIdxImages(file, false), Contains("short") && Contains("truncated") &&
                                                        Contains("5 images of 3x2") && Contains("30 bytes") &&
                                                        Contains("only 27"));
  }
  SECTION("truncated header") {
    const auto file = write("stub", Bytes{0, 0, 8, 3, 0, 0});
    REQUIRE_THROWS_WITH(readIdxImages(file, false), Contains("stub") && Contains("truncated"));
  }
  SECTION("trailing garbage") {
    Bytes bytes = labelsFile();
    bytes.push_back(7);
    const auto file = write("long", bytes);
    REQUIRE_THROWS_WITH(readIdxLabels(file, 10), Contains("long") && Contains("trailing garbage") &&
                                                     Contains("1 bytes after the 5 labels"));
  }
  SECTION("image and label counts differ") {
    const auto images = write("imgs", imagesFile());
    const auto labels = write("lbls", makeIdx({4}, {0, 1, 2, 3}));
    REQUIRE_THROWS_WITH(readIdxSplit(images, labels, false, 10),
                        Contains("imgs") && Contains("lbls") && Contains("count mismatch") &&
                            Contains("5 images") && Contains("4 labels"));
  }
  SECTION("label outside the classes") {
    const auto labels = write("lbls", makeIdx({3}, {0, 10, 2}));
    REQUIRE_THROWS_WITH(readIdxLabels(labels, 10),
                        Contains("lbls") && Contains("label 10 at index 1") && Contains("outside 0..9"));
  }
  SECTION("corrupt gzip body") {
    writeGzip(dir / "bad.gz", imagesFile());
    Bytes bytes = readBytes(dir / "bad.gz");
    for (std::size_t k = 10; k < bytes.size() - 8; ++k) bytes[k] ^= 0x5a;  // keep the header, ruin the stream
    writeBytes(dir / "bad.gz", bytes);
    REQUIRE_THROWS_WITH(readIdxImages(dir / "bad.gz", false), Contains("bad.gz") && Contains("corrupt gzip"));
  }
  SECTION("gzip cut short") {
    writeGzip(dir / "cut.gz", imagesFile());
    Bytes bytes = readBytes(dir / "cut.gz");
    bytes.resize(bytes.size() / 2);
    writeBytes(dir / "cut.gz", bytes);
    REQUIRE_THROWS_WITH(readIdxImages(dir / "cut.gz", false),
                        Contains("cut.gz") && Contains("corrupt gzip") && Contains("ends early"));
  }
}

TEST_CASE("files larger than the limit are refused before they are read or inflated", "[data][idx]") {
  TempDir dir;
  // A gzip bomb in miniature: 4 MB of zeros compress to a few KB; the limit
  // stands in for a quarter of the machine's memory.
  const Bytes zeros(4'000'000, 0);
  writeGzip(dir / "bomb.gz", zeros);
  REQUIRE(readBytes(dir / "bomb.gz").size() < 50'000);
  REQUIRE_THROWS_AS(readFileBytes(dir / "bomb.gz", {}, 1'000'000), DataError);
  REQUIRE_THROWS_WITH(readFileBytes(dir / "bomb.gz", {}, 1'000'000),
                      Contains("bomb.gz") && Contains("decompresses to more than 977 KiB"));
  CHECK(readFileBytes(dir / "bomb.gz", {}, 4'000'000).size() == 4'000'000);  // exactly at the limit: fine

  writeBytes(dir / "big", zeros);
  REQUIRE_THROWS_WITH(readFileBytes(dir / "big", {}, 1'000'000),
                      Contains("big") && Contains("holds 4000000 bytes") && Contains("more than"));
  CHECK(readFileBytes(dir / "big", {}, 0).size() == 4'000'000);  // 0: no limit
  CHECK(defaultMaxFileBytes() > 0);
}

TEST_CASE("idx: missing directories and paths say what to do", "[data][idx]") {
  DataConfig config;
  config.source = Source::Mnist;
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("path") && Contains("mnist"));

  TempDir dir;
  config.source = Source::FashionMnist;
  config.path = dir / "nowhere";
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("nowhere") && Contains("dataset-fashion-mnist"));
  config.path = dir.path.string();
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("train-images-idx3-ubyte[.gz]") &&
                                               Contains("no such file") && Contains("dataset-fashion-mnist"));
}

TEST_CASE("idx: Fashion-MNIST from the Debian package", "[data][idx]") {
  if (!std::filesystem::is_directory(std::string(kFashionMnistDefaultPath))) {
    WARN("Fashion-MNIST test skipped: " << kFashionMnistDefaultPath
                                        << " is missing (apt install dataset-fashion-mnist)");
    return;
  }
  DataConfig config;  // fashion-mnist at the default path
  config.normalize = Normalize::None;
  config.validation = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto data = loadDataset(config);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("load took " << seconds << " s");
  CHECK(data->name == "fashion-mnist");
  CHECK(data->train.size() == 60000);
  CHECK(data->validation.size() == 0);
  CHECK(data->test.size() == 10000);
  CHECK(data->inputs() == 784);
  CHECK(data->classes == 10);
  CHECK(data->train.features.minCoeff() == 0.0f);
  CHECK(data->train.features.maxCoeff() == 1.0f);
  CHECK(data->test.features.maxCoeff() == 1.0f);
  CHECK(data->train.targets.minCoeff() == 0.0f);
  CHECK(data->train.targets.maxCoeff() == 9.0f);
  // Balanced: 6000 of each class in train, 1000 in test.
  for (int c = 0; c < 10; ++c) {
    CHECK((data->train.targets.array() == static_cast<float>(c)).count() == 6000);
    CHECK((data->test.targets.array() == static_cast<float>(c)).count() == 1000);
  }

  config.validation = 0.1;
  config.normalize = Normalize::Standard;
  const auto split = loadDataset(config);
  CHECK(split->train.size() == 54000);
  CHECK(split->validation.size() == 6000);
  CHECK(split->test.size() == 10000);
}
