#pragma once
// The version of the schema this build writes (results/schema.hpp migrates
// older databases up to it; a newer one is refused).

namespace actsweep::results {

inline constexpr int kSchemaVersion = 3;

}  // namespace actsweep::results
