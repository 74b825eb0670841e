#include "model/loss.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "model/format.hpp"

namespace actsweep::model {
namespace {

Eigen::Index classOf(const Matrix& labels, Eigen::Index sample, Eigen::Index classes) {
  const Scalar label = labels(0, sample);
  const auto index = static_cast<Eigen::Index>(label);
  if (static_cast<Scalar>(index) != label || index < 0 || index >= classes)
    throw std::invalid_argument("cross_entropy: label " + formatNumber(label) + " of sample " +
                                std::to_string(sample) + " is not a class index in [0, " +
                                std::to_string(classes) + ")");
  return index;
}

void requireSameColumns(const Matrix& output, const Matrix& target, std::string_view loss) {
  if (output.cols() != target.cols())
    throw std::invalid_argument(std::string(loss) + ": output has " + std::to_string(output.cols()) +
                                " samples but target has " + std::to_string(target.cols()));
}

}  // namespace

const NameTable<LossKind>& lossNames() {
  static const NameTable<LossKind> table = {{"cross_entropy", LossKind::CrossEntropy},
                                            {"mse", LossKind::MeanSquaredError}};
  return table;
}

LossKind parseLoss(std::string_view name) { return parseName(lossNames(), name, "loss"); }

double SoftmaxCrossEntropy::evaluate(const Matrix& logits, const Matrix& labels, Matrix* gradient) const {
  requireSameColumns(logits, labels, "cross_entropy");
  if (labels.rows() != 1)
    throw std::invalid_argument("cross_entropy: labels must be one row of class indices, got " +
                                std::to_string(labels.rows()) + " rows");
  const Eigen::Index classes = logits.rows(), batch = logits.cols();
  if (gradient) gradient->resize(classes, batch);
  double total = 0;
  for (Eigen::Index j = 0; j < batch; ++j) {
    const auto z = logits.col(j).array();
    const Scalar maxLogit = z.maxCoeff();
    const Scalar logSumExp = maxLogit + std::log((z - maxLogit).exp().sum());
    const Eigen::Index label = classOf(labels, j, classes);
    total += static_cast<double>(logSumExp - z(label));
    if (gradient) {
      gradient->col(j) = ((z - logSumExp).exp() / Scalar(batch)).matrix();
      (*gradient)(label, j) -= Scalar(1) / Scalar(batch);
    }
  }
  return total / static_cast<double>(batch);
}

double MeanSquaredError::evaluate(const Matrix& predictions, const Matrix& targets, Matrix* gradient) const {
  requireSameColumns(predictions, targets, "mse");
  if (predictions.rows() != targets.rows())
    throw std::invalid_argument("mse: output has " + std::to_string(predictions.rows()) +
                                " values per sample but target has " + std::to_string(targets.rows()));
  const double count = static_cast<double>(predictions.size());
  const auto error = predictions.array() - targets.array();
  if (gradient) *gradient = error * Scalar(2 / count);
  return error.template cast<double>().square().sum() / count;
}

std::unique_ptr<Loss> makeLoss(LossKind kind) {
  if (kind == LossKind::MeanSquaredError) return std::make_unique<MeanSquaredError>();
  return std::make_unique<SoftmaxCrossEntropy>();
}

int countCorrect(const Matrix& logits, const Matrix& labels) {
  int correct = 0;
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {
    Eigen::Index predicted;
    logits.col(j).maxCoeff(&predicted);
    if (static_cast<Scalar>(predicted) == labels(0, j)) ++correct;
  }
  return correct;
}

}  // namespace actsweep::model
