#pragma once
// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
//   bytes 0-1  zero
//   byte  2    data type: 0x08 unsigned byte (the only one these datasets use)
//   byte  3    number of dimensions d
//   4 * d      the dimensions, big-endian uint32: (count) for labels, (count, rows, cols) for images
//   then       the data, row-major, one byte per value
// Files may be gzipped (detected by the magic bytes, not the name).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "model/data/data_config.hpp"
#include "model/data/raw_data.hpp"

namespace actsweep::data {

enum class IdxKind { Images, Labels };

// An IDX file read whole, its header checked against its size.
struct IdxFile {
  std::vector<std::uint32_t> dims;     // (count) for labels, (count, rows, cols) for images
  std::vector<std::uint8_t> contents;  // the whole file, decompressed
  std::size_t dataOffset = 0;          // the first data byte: 4 + 4 * dims.size()
  std::size_t count() const { return dims.front(); }
};

// Throws DataError naming the file for: a missing file, corrupt gzip, a wrong
// magic (not an IDX file), an unsupported data type, the wrong number of
// dimensions for `kind` (an images file given as labels or the reverse), zero
// sizes, fewer data bytes than the header promises (truncated) or more
// (trailing garbage).
IdxFile readIdx(const std::filesystem::path& file, IdxKind kind, std::string_view missingHint = {});

// Images as (rows*cols x N), sample i = image i row by row; pixel / 255 in
// [0, 1], or the raw 0..255 when rawPixels.
Matrix readIdxImages(const std::filesystem::path& file, bool rawPixels, std::string_view missingHint = {});

// Labels as (1 x N) class indices; a label outside 0..classes-1 is a DataError.
Matrix readIdxLabels(const std::filesystem::path& file, int classes, std::string_view missingHint = {});

// An images file and its labels file; their counts must agree.
Split readIdxSplit(const std::filesystem::path& images, const std::filesystem::path& labels, bool rawPixels,
                   int classes, std::string_view missingHint = {});

// directory/baseName, or directory/baseName.gz; the uncompressed one when both
// exist (it loads faster). DataError with the hint when neither exists.
std::filesystem::path findIdxFile(const std::filesystem::path& directory, std::string_view baseName,
                                  std::string_view missingHint);

// fashion-mnist or mnist from config.path (fashion-mnist defaults to
// kFashionMnistDefaultPath): the 60000-sample train and 10000-sample test
// files, 10 classes.
RawData loadIdxDataset(const DataConfig& config);

}  // namespace actsweep::data
