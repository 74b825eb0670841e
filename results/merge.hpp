#pragma once
// Merging results databases: the shards of a sweep (`actsweep run --shard
// I/K`, one SQLite file each) into one database, as if one `run` had trained
// every run (docs/cluster.md, "Merging").

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace actsweep::results {

struct MergeCounts {
  std::int64_t added = 0;     // runs OUT did not have
  std::int64_t replaced = 0;  // runs OUT had, replaced by the shard's more finished one
  std::int64_t skipped = 0;   // runs OUT had and keeps
};

struct MergeOptions {
  bool allowDifferentSpecs = false;  // merge shards whose sweeps' spec_hash differs
};

// Merges every shard into `outPath` (created, with its missing folders, and
// migrated as by Store, which refuses a file that is not ours before writing
// to it). Shards are only read (results/open.hpp): a file that is not a
// results database is refused, naming it, before anything is written, and an
// older one is read through a migrated copy in memory, never migrated itself.
// Per shard, in one transaction:
//  - sweeps rows are copied, except one already there (same spec_hash,
//    created_at and host);
//  - runs are matched by run_key: a missing run is added with its epochs and
//    layer_stats; a run present in both is replaced, rows and all, only when
//    the shard's is further along: done or diverged > failed > interrupted >
//    pending or running (between equals OUT's stays). Merging again changes
//    nothing.
// Before anything is written every shard's sweeps must have the spec_hash of
// OUT's first sweep (or, OUT being new, of the first shard's), unless
// options.allowDifferentSpecs. Prints "SHARD: N runs added, M replaced, S
// skipped (already there)" per shard and a total line on `out`. Throws
// StoreError (a missing, unreadable or refused file; nothing written then for
// a refused spec); a shard that fails midway leaves OUT with the shards before it.
MergeCounts mergeDatabases(const std::string& outPath, const std::vector<std::string>& shardPaths,
                           const MergeOptions& options, std::ostream& out);

}  // namespace actsweep::results
