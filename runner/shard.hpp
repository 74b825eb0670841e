#pragma once
// Sharding a sweep over K independent processes (cluster jobs, machines):
// `actsweep run SPEC --shard I/K` trains the runs assignShards gives shard I,
// each shard into its own database, and `actsweep merge` joins them
// (docs/cluster.md).

#include <string>
#include <vector>

#include "runner/expand.hpp"

namespace actsweep::runner {

struct Shard {
  int index = 0;  // I: 0 <= index < count
  int count = 1;  // K
};

// "I/K" with 0 <= I < K, both plain decimal integers. Throws
// std::invalid_argument with a message that says what is wrong.
Shard parseShard(const std::string& text);

// The shard of every run (result[i] is the shard of runs[i]), a pure function
// of the runs' keys and costs, so every machine computes the same partition:
// runs sorted by (cost descending, run key ascending), each given to the shard
// with the least cost so far (ties: the lowest index). This greedy
// longest-processing-time rule keeps every shard within 4/3 of the best
// possible makespan, and balances estimated cost, not grid position (a grid
// axis of depths would otherwise put all deep nets in the last shard).
// costs.size() must equal runs.size(); shards >= 1.
std::vector<int> assignShards(const std::vector<RunConfig>& runs, const std::vector<double>& costs,
                              int shards);

// Keeps only the runs (and their costs, index-aligned) that assignShards gives
// `shard`, in their order: only this shard's runs enter its database, so
// merged shards hold every run exactly once, and no pending rows of other shards.
void keepShard(const Shard& shard, std::vector<RunConfig>& runs, std::vector<double>& costs);

// The default database of one shard: results/<name>.shard-I-of-K.db.
std::string shardDatabase(const std::string& sweepName, const Shard& shard);

}  // namespace actsweep::runner
