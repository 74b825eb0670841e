#pragma once
// Losses. Targets are a matrix with one column per sample:
//  - classification: (1 x B), the class index of each sample (exact in float up to 2^24);
//  - regression:     (outputs x B), the target values.

#include <memory>
#include <string_view>

#include "model/names.hpp"
#include "model/tensor.hpp"

namespace actsweep::model {

enum class LossKind { CrossEntropy, MeanSquaredError };

const NameTable<LossKind>& lossNames();  // cross_entropy, mse
LossKind parseLoss(std::string_view name);

class Loss {
 public:
  virtual ~Loss() = default;
  // Returns the loss averaged over the batch (accumulated in double) and,
  // when gradient is not null, writes dLoss/dOutput into it (same shape as output).
  virtual double evaluate(const Matrix& output, const Matrix& target, Matrix* gradient) const = 0;
};

// Softmax cross-entropy on logits z (classes x B), class t_j per sample:
//   loss = (1/B) sum_j [ logsumexp(z_j) - z_{t_j, j} ],  logsumexp(z) = m + log sum_k e^(z_k - m), m = max z
//   dz   = (softmax(z) - onehot(t)) / B
class SoftmaxCrossEntropy : public Loss {
 public:
  double evaluate(const Matrix& logits, const Matrix& labels, Matrix* gradient) const override;
};

// Mean squared error over all B x D elements (PyTorch's MSELoss, reduction 'mean'):
//   loss = (1/(B D)) sum (y - t)^2,   dy = 2 (y - t) / (B D)
class MeanSquaredError : public Loss {
 public:
  double evaluate(const Matrix& predictions, const Matrix& targets, Matrix* gradient) const override;
};

std::unique_ptr<Loss> makeLoss(LossKind kind);

// Samples whose largest logit is at their label (ties go to the lower class).
int countCorrect(const Matrix& logits, const Matrix& labels);

}  // namespace actsweep::model
