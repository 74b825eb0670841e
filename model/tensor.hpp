#pragma once
// The numeric types of the model library, and the one layout convention.
//
// Samples are COLUMNS. A batch of B samples with D features is a (D x B)
// column-major matrix, so one sample is contiguous in memory and a dense layer
// is y = W x + b with W of shape (out x in). Every shape comment in model/
// follows this convention.
//
// Scalar is float for speed. Building with ACTSWEEP_DOUBLE gives the same
// library in double precision, which the finite-difference gradient tests use
// so that their tolerance can be tight (see tests/model/gradient_check.hpp).

#include <Eigen/Core>
#include <string>

namespace actsweep::model {

#ifdef ACTSWEEP_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;  // (features x batch)
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;               // (features)
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;            // (batch)

// "(3 x 4)": a matrix's shape in messages.
// (Appended piece by piece: GCC 12 warns, wrongly, on "(" + std::string in
// an inline function, -Wrestrict.)
inline std::string shapeOf(const Matrix& matrix) {
  std::string text = "(";
  text += std::to_string(matrix.rows());
  text += " x ";
  text += std::to_string(matrix.cols());
  text += ")";
  return text;
}

}  // namespace actsweep::model
