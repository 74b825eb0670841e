#pragma once
// Weight and bias initializers for dense layers.
//
// Shapes (see tensor.hpp): weight W is (fanOut x fanIn), bias b is (fanOut x 1),
// y = W x + b. Every initializer draws from the Rng it is given, never from
// Eigen::Random or <random>, so that one seed gives the same network everywhere.
//
// Weight distributions (fanIn = W.cols(), fanOut = W.rows()):
//   he_normal       N(0, 2/fanIn)                       He et al. 2015
//   he_uniform      U(-sqrt(6/fanIn), +sqrt(6/fanIn))   same variance 2/fanIn
//   xavier_normal   N(0, 2/(fanIn+fanOut))              Glorot & Bengio 2010
//   xavier_uniform  U(+-sqrt(6/(fanIn+fanOut)))
//   lecun_normal    N(0, 1/fanIn)                       LeCun et al. 1998
//   lecun_uniform   U(+-sqrt(3/fanIn))
//   orthogonal      gain * (rows or columns orthonormal), Haar-distributed
//   normal          N(0, scale^2)
//   uniform         U(-scale, +scale)
//   rai             randomized asymmetric initialization (Lu, Shin, Su &
//                   Karniadakis 2020): draws W AND b together, see below.
//
// The bias is then zero or config.biasValue, except for rai, which draws the
// bias as part of each unit's parameter vector and IGNORES config.bias and
// config.biasValue.

#include <string_view>

#include "model/names.hpp"
#include "model/random.hpp"
#include "model/tensor.hpp"

namespace actsweep::model {

enum class Init {
  HeNormal,
  HeUniform,
  XavierNormal,
  XavierUniform,
  LecunNormal,
  LecunUniform,
  Orthogonal,
  Normal,
  Uniform,
  Rai,
};

// he_normal he_uniform xavier_normal xavier_uniform lecun_normal lecun_uniform
// orthogonal normal uniform rai
const NameTable<Init>& initNames();
// Throws ConfigError listing the allowed names.
Init parseInit(std::string_view name);

enum class BiasInit { Zero, Constant };

// zero, constant
const NameTable<BiasInit>& biasInitNames();

struct InitConfig {
  Init kind = Init::HeNormal;
  // normal: the std (> 0); uniform: the limit (> 0); orthogonal: the gain
  // (>= 0, 0 means 1). Ignored by every other kind.
  double scale = 0.0;
  BiasInit bias = BiasInit::Zero;  // ignored by rai
  double biasValue = 0.0;          // used when bias == Constant
};

// Throws ConfigError when a setting the chosen kind uses is NaN, infinite or
// out of range; the message says which setting, its value and what is allowed.
void validate(const InitConfig& config);

// weight: (fanOut x fanIn), bias: (fanOut x 1), both already sized; they are
// overwritten. Validates config first. Throws std::invalid_argument when the
// bias shape does not match the weight.
//
// rai, for each unit s (row s of V = [W b], fanIn + 1 numbers):
//   k ~ uniform on {0, ..., fanIn}
//   V(s, k) ~ Beta(2, 1)                 positive: no unit lacks a positive entry
//   V(s, j) ~ N(0, sigma^2) for j != k,  sigma = c / sqrt(fanIn + 1)
// where c ~= 0.6007 (Lu et al.'s constant) is the root of
//   c^2/2 + 2 E[P] c / sqrt(2 pi) + E[P^2] = 1,  P = Beta(2, 1), E[P] = 2/3, E[P^2] = 1/2,
// a second-moment bound that keeps E[relu(v . [x; 1])^2] from exceeding the
// input's second moment, i.e. no exploding activations (initializers.cpp).
void initializeDense(Matrix& weight, Matrix& bias, const InitConfig& config, Rng& rng);

}  // namespace actsweep::model
