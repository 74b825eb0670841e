#pragma once
// What a run's data is: the settings of a dataset (DataConfig), their names
// and their checks, apart from loading (dataset.hpp), so that the readers
// (csv, idx, synthetic) and the loader that calls them need not include
// each other.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/dataset.hpp"
#include "model/errors.hpp"
#include "model/names.hpp"
#include "model/tensor.hpp"

namespace actsweep::data {

using model::Matrix;
using model::Scalar;

// A data file or data setting that cannot be used. The message names the file
// (or setting) and what is wrong, with a hint: "train-images-idx3-ubyte.gz:
// truncated: header promises 60000 images of 28x28 but the file ends after 1200".
class DataError : public UserError {
 public:
  using UserError::UserError;
};

// The plain structs live in model/dataset.hpp so that the trainer needs no zlib.
using model::Dataset;
using model::Split;
using model::Task;

enum class Normalize { None, Standard, MinMax };
const model::NameTable<Normalize>& normalizeNames();  // none, standard, minmax

// Every dataset a run can name.
//   fashion-mnist, mnist: IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
//       t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) in `path`; for fashion-mnist
//       `path` defaults to /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
//       Pixels are scaled to [0, 1] unless `rawPixels` (then 0..255).
//   csv: `path` is the training file, `testPath` an optional test file.
//   spirals, blobs, xor, circles, checkerboard: 2-D classification, generated.
//   abs: 1-D regression y = |x|, x ~ U[-sqrt3, sqrt3] (unit variance), for born-dead studies.
enum class Source { FashionMnist, Mnist, Csv, Spirals, Blobs, Xor, Circles, Checkerboard, Abs };
const model::NameTable<Source>& sourceNames();

// The names above to enums; an unknown name throws model::ConfigError listing the allowed ones.
Source parseSource(std::string_view name);
Normalize parseNormalize(std::string_view name);

// Where Debian's dataset-fashion-mnist installs the gzipped IDX files.
inline constexpr std::string_view kFashionMnistDefaultPath = "/usr/share/datasets/fashion-mnist";

// Details of the sources (csv.hpp, synthetic.hpp and idx.hpp have the rest).
//   csv: comma-separated numbers, one sample per line; CRLF and blank lines are
//       accepted; the first row is a header when any of its fields is not a
//       number. `csvLabel` is a header name, or else a 0-based column index.
//       Classification labels must be non-negative integers, classes = the
//       largest label (in the training and test files) + 1. The file may be gzipped.
//   Synthetic sources draw `samples` points from the Rng stream of `seed`,
//   classes balanced (counts differ by at most one), then add N(0, noise^2)
//   to each coordinate of the points:
//     spirals: `classes` arms (>= 2) of 1.5 turns from the origin to radius 1
//     blobs: `classes` (>= 2) Gaussian blobs of std 0.5 centred on a circle of radius 2
//     xor: U[-1, 1]^2, class 1 where the signs of x and y differ
//     circles: class 0 on the circle of radius 0.5, class 1 on radius 1
//     checkerboard: a 4x4 board on [-1, 1]^2, the class is the colour of the square
//     abs: noise is ignored: the inputs are the exact draws and y = |x| exactly
//       (the studies of born-dead networks need the exact target function).
//   csv without testPath and the synthetic sources hold floor(testFraction * N)
//   samples out as the test split (after shuffling with the data seed).

struct DataConfig {
  Source source = Source::FashionMnist;
  std::string path;            // directory (idx) or file (csv); empty = the default location
  std::string testPath;        // csv only: test file; without one, the test split is cut from the data
  std::string csvLabel;        // csv: label column, by header name or 0-based index; empty = the last column
  bool csvRegression = false;  // csv: targets are values (one column), not class indices
  bool rawPixels = false;      // idx: keep 0..255 instead of scaling to [0, 1]

  Normalize normalize = Normalize::Standard;  // statistics from the training split only
  long trainSize = 0;         // use only the first trainSize training samples (after shuffling); 0 = all
  double validation = 0.1;    // fraction of the training samples held out for validation, [0, 1)
  double testFraction = 0.2;  // synthetic / csv without testPath: fraction of generated samples used as test

  long samples = 2000;  // synthetic: number of samples generated (train + test)
  double noise = 0.1;   // synthetic: noise level (std of the Gaussian added to the points)
  int classes = 3;      // blobs: number of classes; spirals: number of arms

  std::uint64_t seed = 0;  // data seed: generation, shuffling, subset and split (not the run seed)
};

// Throws DataError for out-of-range settings (validation outside [0,1), negative sizes...).
void validate(const DataConfig& config);

// Generated data (spirals, blobs, ...), not read from a file.
bool isSynthetic(Source source);
// Blobs and spirals, whose `classes` setting applies.
bool usesClasses(Source source);

}  // namespace actsweep::data
