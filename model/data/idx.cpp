#include "model/data/idx.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "model/data/file_reader.hpp"

namespace actsweep::data {
namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
constexpr int kMnistClasses = 10;

std::string dataTypeName(std::uint8_t code) {
  switch (code) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
    default:
      return "not an IDX type";
  }
}

std::string hexByte(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", byte);
  return text;
}

// "60000 images of 28x28", "60000 labels"
std::string describeItems(const std::vector<std::uint32_t>& dims, IdxKind kind) {
  std::string text = std::to_string(dims.front()) + (kind == IdxKind::Images ? " images" : " labels");
  if (dims.size() > 1) {
    text += " of ";
    for (std::size_t d = 1; d < dims.size(); ++d) text += (d > 1 ? "x" : "") + std::to_string(dims[d]);
  }
  return text;
}

std::string joinDims(const std::vector<std::uint32_t>& dims) {
  std::string text;
  for (std::size_t d = 0; d < dims.size(); ++d) text += (d > 0 ? " x " : "") + std::to_string(dims[d]);
  return text;
}

std::uint32_t readBigEndian32(const std::uint8_t* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 | std::uint32_t{bytes[2]} << 8 |
         std::uint32_t{bytes[3]};
}

std::string defaultHint(const DataConfig& config) {
  if (config.source == Source::FashionMnist)
    return "install the Debian package dataset-fashion-mnist (apt install dataset-fashion-mnist) or set path "
           "to the directory that holds the Fashion-MNIST IDX files";
  return "set path to the directory that holds the MNIST IDX files (train-images-idx3-ubyte[.gz], ...)";
}

}  // namespace

IdxFile readIdx(const std::filesystem::path& file, IdxKind kind, std::string_view missingHint) {
  IdxFile idx;
  idx.contents = readFileBytes(file, missingHint);
  const std::vector<std::uint8_t>& bytes = idx.contents;
  const std::string name = file.string() + ": ";
  const std::size_t expectedRank = kind == IdxKind::Images ? 3 : 1;
  const char* what = kind == IdxKind::Images ? "an images file (3 dimensions: count x rows x cols)"
                                             : "a labels file (1 dimension: count)";

  if (bytes.size() < 4)
    throw DataError(name + "truncated: " + std::to_string(bytes.size()) +
                    " bytes, shorter than the 4-byte IDX header; is it an IDX file?");
  if (bytes[0] != 0 || bytes[1] != 0)
    throw DataError(name + "not an IDX file: it starts with bytes " + hexByte(bytes[0]) + " " +
                    hexByte(bytes[1]) + " where IDX has 0x00 0x00 (wrong magic); expected " + what);
  if (bytes[2] != kUnsignedByte)
    throw DataError(name + "unsupported data type " + hexByte(bytes[2]) + " (" + dataTypeName(bytes[2]) +
                    "): only 0x08 (unsigned byte, as in MNIST) is supported");

  const std::size_t rank = bytes[3];
  idx.dataOffset = 4 + 4 * rank;
  if (bytes.size() < idx.dataOffset)
    throw DataError(name + "truncated: the header declares " + std::to_string(rank) +
                    " dimensions but the file ends after " + std::to_string(bytes.size()) + " bytes");
  for (std::size_t d = 0; d < rank; ++d) idx.dims.push_back(readBigEndian32(bytes.data() + 4 + 4 * d));

  if (rank != expectedRank) {
    const char* guess = rank == 3 && kind == IdxKind::Labels ? " (an images file given where labels belong?)"
                        : rank == 1 && kind == IdxKind::Images ? " (a labels file given where images belong?)"
                                                               : "";
    throw DataError(name + "has " + std::to_string(rank) + " dimensions (" + joinDims(idx.dims) + ") but " +
                    what + " was expected" + guess);
  }
  if (std::find(idx.dims.begin(), idx.dims.end(), 0u) != idx.dims.end())
    throw DataError(name + "empty: the header declares " + joinDims(idx.dims) + " items");

  // Three factors below 2^32 can overflow 64 bits: an overflow promises more than any file holds.
  const std::size_t available = bytes.size() - idx.dataOffset;
  std::uint64_t promised = 1;
  bool overflow = false;
  for (std::uint32_t dim : idx.dims)
    overflow |= __builtin_mul_overflow(promised, std::uint64_t{dim}, &promised);
  if (overflow || promised > available)
    throw DataError(name + "truncated: the header promises " + describeItems(idx.dims, kind) + " (" +
                    (overflow ? std::string("over 2^64") : std::to_string(promised)) +
                    " bytes of data) but the file has only " + std::to_string(available) +
                    " after the header; download it again");
  if (promised < available)
    throw DataError(name + "trailing garbage: " + std::to_string(available - promised) + " bytes after the " +
                    describeItems(idx.dims, kind) + " the header promises; not a valid IDX file");
  return idx;
}

Matrix readIdxImages(const std::filesystem::path& file, bool rawPixels, std::string_view missingHint) {
  const IdxFile idx = readIdx(file, IdxKind::Images, missingHint);
  const auto count = static_cast<Eigen::Index>(idx.dims[0]);
  const auto pixels = static_cast<Eigen::Index>(idx.dims[1]) * idx.dims[2];

  // Image i's bytes, row by row, are exactly column i of the column-major
  // (pixels x count) matrix: one flat loop, which the compiler vectorizes.
  Matrix images(pixels, count);
  const std::uint8_t* source = idx.contents.data() + idx.dataOffset;
  Scalar* target = images.data();
  const Scalar scale = rawPixels ? Scalar(1) : Scalar(1) / Scalar(255);
  const auto total = static_cast<std::size_t>(images.size());
  for (std::size_t k = 0; k < total; ++k) target[k] = static_cast<Scalar>(source[k]) * scale;
  return images;
}

Matrix readIdxLabels(const std::filesystem::path& file, int classes, std::string_view missingHint) {
  const IdxFile idx = readIdx(file, IdxKind::Labels, missingHint);
  const auto count = static_cast<Eigen::Index>(idx.dims[0]);
  Matrix labels(1, count);
  const std::uint8_t* source = idx.contents.data() + idx.dataOffset;
  for (Eigen::Index i = 0; i < count; ++i) {
    if (source[i] >= classes)
      throw DataError(file.string() + ": label " + std::to_string(source[i]) + " at index " +
                      std::to_string(i) + " is outside 0.." + std::to_string(classes - 1) +
                      "; is this a labels file of a " + std::to_string(classes) + "-class dataset?");
    labels(0, i) = static_cast<Scalar>(source[i]);
  }
  return labels;
}

Split readIdxSplit(const std::filesystem::path& images, const std::filesystem::path& labels, bool rawPixels,
                   int classes, std::string_view missingHint) {
  Split split;
  split.features = readIdxImages(images, rawPixels, missingHint);
  split.targets = readIdxLabels(labels, classes, missingHint);
  if (split.features.cols() != split.targets.cols())
    throw DataError(images.string() + ": count mismatch: " + std::to_string(split.features.cols()) +
                    " images but " + labels.string() + " has " + std::to_string(split.targets.cols()) +
                    " labels; the two files must belong to the same split");
  return split;
}

std::filesystem::path findIdxFile(const std::filesystem::path& directory, std::string_view baseName,
                                  std::string_view missingHint) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error))
    throw DataError(directory.string() + ": no such directory; " + std::string(missingHint));
  const std::filesystem::path raw = directory / baseName;
  std::filesystem::path gzipped = raw;
  gzipped += ".gz";
  if (std::filesystem::is_regular_file(raw, error)) return raw;
  if (std::filesystem::is_regular_file(gzipped, error)) return gzipped;
  throw DataError(raw.string() + "[.gz]: no such file; " + std::string(missingHint));
}

RawData loadIdxDataset(const DataConfig& config) {
  const bool fashion = config.source == Source::FashionMnist;
  if (!fashion && config.source != Source::Mnist) throw DataError("loadIdxDataset: not an IDX source");
  if (!fashion && config.path.empty())
    throw DataError(
        "path: mnist needs the directory that holds its IDX files (train-images-idx3-ubyte[.gz], ...)");
  const std::filesystem::path directory =
      config.path.empty() ? std::string(kFashionMnistDefaultPath) : config.path;
  const std::string hint = defaultHint(config);

  const auto split = [&](std::string_view prefix) {
    const std::string images = std::string(prefix) + "-images-idx3-ubyte";
    const std::string labels = std::string(prefix) + "-labels-idx1-ubyte";
    // Found one after the other, so that a missing images file is reported before its labels.
    const std::filesystem::path imagesFile = findIdxFile(directory, images, hint);
    const std::filesystem::path labelsFile = findIdxFile(directory, labels, hint);
    return readIdxSplit(imagesFile, labelsFile, config.rawPixels, kMnistClasses, hint);
  };

  RawData raw;
  raw.name = fashion ? "fashion-mnist" : "mnist";
  raw.task = Task::Classification;
  raw.classes = kMnistClasses;
  raw.train = split("train");
  raw.test = split("t10k");
  return raw;
}

}  // namespace actsweep::data
