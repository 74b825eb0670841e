#include "results/merge.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <filesystem>
#include <optional>
#include <ostream>
#include <set>

#include "results/open.hpp"
#include "results/store.hpp"

namespace actsweep::results {
namespace {

// How far along a run is: a run present in OUT and a shard is taken from the
// shard only when the shard's ranks higher. done and diverged are results;
// failed at least says why; interrupted and pending/running say nothing.
std::string rankOf(const std::string& alias) {
  std::string text = "CASE ";
  text += alias;
  text +=
      ".status WHEN 'done' THEN 3 WHEN 'diverged' THEN 3 WHEN 'failed' THEN 2 "
      "WHEN 'interrupted' THEN 1 ELSE 0 END";
  return text;
}

// The columns of a table in `schema` but `skip`, as "a, b, c" (with a prefix
// per column when `prefix` is not empty). OUT and the shard are at the same
// schema version (Store migrated both), so their columns agree.
std::vector<std::string> columnsOf(SQLite::Database& db, const std::string& table,
                                   const std::set<std::string>& skip) {
  SQLite::Statement query(db, "SELECT name FROM pragma_table_info(:table) ORDER BY cid");
  query.bind(":table", table);
  std::vector<std::string> columns;
  while (query.executeStep()) {
    std::string name = query.getColumn("name").getString();
    if (!skip.contains(name)) columns.push_back(std::move(name));
  }
  return columns;
}

std::string joined(const std::vector<std::string>& columns, const std::string& prefix = "") {
  std::string text;
  for (const auto& column : columns) {
    if (!text.empty()) text += ", ";
    text += prefix;
    text += column;
  }
  return text;
}

// The spec hashes of a database's sweeps, the first sweep's first.
std::vector<std::string> specHashes(SQLite::Database& db) {
  SQLite::Statement query(db, "SELECT spec_hash FROM sweeps GROUP BY spec_hash ORDER BY min(sweep_id)");
  std::vector<std::string> hashes;
  while (query.executeStep()) hashes.push_back(query.getColumn("spec_hash").getString());
  return hashes;
}

void printCounts(std::ostream& out, const std::string& label, const MergeCounts& counts,
                 const std::string& tail) {
  out << label << ": " << counts.added << " runs added, " << counts.replaced << " replaced, "
      << counts.skipped << " skipped (already there)" << tail << '\n';
}

// The temp tables of one shard's merge: its sweeps' ids in OUT, and what
// becomes of each of its runs (action: 0 skip, 1 add, 2 replace).
void createMergeTables(SQLite::Database& db) {
  db.exec("DROP TABLE IF EXISTS temp.merge_sweeps");
  db.exec("DROP TABLE IF EXISTS temp.merge_plan");
  db.exec(
      "CREATE TEMP TABLE merge_sweeps (shard_sweep_id INTEGER PRIMARY KEY, out_sweep_id INTEGER NOT NULL)");
  db.exec(
      "CREATE TEMP TABLE merge_plan (shard_run_id INTEGER PRIMARY KEY, out_run_id INTEGER, "
      "action INTEGER NOT NULL)");
}

// Sweeps: the same invocation (spec, second, host) is one row, so that
// merging twice copies nothing the second time. Fills temp.merge_sweeps.
void mapSweeps(SQLite::Database& db) {
  const std::vector<std::string> sweepColumns = columnsOf(db, "sweeps", {"sweep_id"});
  SQLite::Statement shardSweeps(
      db, "SELECT sweep_id, spec_hash, created_at, host FROM shard.sweeps ORDER BY sweep_id");
  SQLite::Statement findSweep(
      db,
      "SELECT sweep_id FROM main.sweeps WHERE spec_hash = :spec_hash AND created_at = "
      ":created_at AND host IS :host ORDER BY sweep_id LIMIT 1");
  SQLite::Statement copySweep(db, "INSERT INTO main.sweeps (" + joined(sweepColumns) + ") SELECT " +
                                      joined(sweepColumns) + " FROM shard.sweeps WHERE sweep_id = :sweep_id");
  SQLite::Statement mapSweep(db, "INSERT INTO temp.merge_sweeps VALUES (:shard_sweep_id, :out_sweep_id)");
  while (shardSweeps.executeStep()) {
    const std::int64_t shardSweepId = shardSweeps.getColumn("sweep_id").getInt64();
    findSweep.reset();
    findSweep.bind(":spec_hash", shardSweeps.getColumn("spec_hash").getString());
    findSweep.bind(":created_at", shardSweeps.getColumn("created_at").getString());
    const SQLite::Column host = shardSweeps.getColumn("host");
    if (host.isNull())
      findSweep.bind(":host");
    else
      findSweep.bind(":host", host.getString());
    std::int64_t outSweepId = 0;
    if (findSweep.executeStep()) {
      outSweepId = findSweep.getColumn("sweep_id").getInt64();
    } else {
      copySweep.reset();
      copySweep.bind(":sweep_id", shardSweepId);
      copySweep.exec();
      outSweepId = db.getLastInsertRowid();
    }
    mapSweep.reset();
    mapSweep.bind(":shard_sweep_id", shardSweepId);
    mapSweep.bind(":out_sweep_id", outSweepId);
    mapSweep.exec();
  }
}

// Adds the shard's new runs, replaces those it has further along (rankOf),
// with their epochs and layer_stats, as temp.merge_plan says.
void copyRuns(SQLite::Database& db) {
  db.exec(
      "INSERT INTO temp.merge_plan (shard_run_id, out_run_id, action) "
      "SELECT s.run_id, o.run_id, CASE WHEN o.run_id IS NULL THEN 1 WHEN " +
      rankOf("s") + " > " + rankOf("o") +
      " THEN 2 ELSE 0 END "
      "FROM shard.runs s LEFT JOIN main.runs o ON o.run_key = s.run_key");

  // New runs keep their sweep (mapped); run_id is OUT's to choose.
  const std::vector<std::string> runColumns = columnsOf(db, "runs", {"run_id", "run_key", "sweep_id"});
  db.exec("INSERT INTO main.runs (run_key, sweep_id, " + joined(runColumns) + ") SELECT s.run_key, " +
          "m.out_sweep_id, " + joined(runColumns, "s.") +
          " FROM shard.runs s JOIN temp.merge_plan p ON p.shard_run_id = s.run_id "
          "JOIN temp.merge_sweeps m ON m.shard_sweep_id = s.sweep_id WHERE p.action = 1 ORDER BY s.run_id");
  db.exec(
      "UPDATE temp.merge_plan SET out_run_id = (SELECT o.run_id FROM main.runs o JOIN shard.runs s "
      "ON s.run_key = o.run_key WHERE s.run_id = merge_plan.shard_run_id) WHERE action = 1");

  // Replaced runs keep their run_id and sweep (the sweep that first added
  // them); every other column, and their metrics, come from the shard.
  db.exec("UPDATE main.runs SET (" + joined(runColumns) + ") = (SELECT " + joined(runColumns, "s.") +
          " FROM shard.runs s JOIN temp.merge_plan p ON p.shard_run_id = s.run_id "
          "WHERE p.out_run_id = runs.run_id AND p.action = 2) "
          "WHERE run_id IN (SELECT out_run_id FROM temp.merge_plan WHERE action = 2)");
  for (const char* table : {"epochs", "layer_stats"}) {
    db.exec(std::string("DELETE FROM main.") + table +
            " WHERE run_id IN (SELECT out_run_id FROM temp.merge_plan WHERE action = 2)");
    const std::vector<std::string> columns = columnsOf(db, table, {"run_id"});
    db.exec(std::string("INSERT INTO main.") + table + " (run_id, " + joined(columns) +
            ") SELECT p.out_run_id, " + joined(columns, "x.") + " FROM shard." + table +
            " x JOIN temp.merge_plan p ON p.shard_run_id = x.run_id WHERE p.action IN (1, 2)");
  }
}

// The runs temp.merge_plan adds, replaces and skips.
MergeCounts tallyPlan(SQLite::Database& db) {
  SQLite::Statement tally(db,
                          "SELECT coalesce(sum(action = 1), 0) AS added, coalesce(sum(action = 2), 0) AS "
                          "replaced, coalesce(sum(action = 0), 0) AS skipped FROM temp.merge_plan");
  tally.executeStep();
  return {tally.getColumn("added").getInt64(), tally.getColumn("replaced").getInt64(),
          tally.getColumn("skipped").getInt64()};
}

MergeCounts mergeOne(SQLite::Database& db, const std::string& shardPath) {
  // ATTACH and DETACH cannot run inside a transaction; one shard attached at
  // a time, so any number of shards stays under SQLITE_MAX_ATTACHED (10).
  // Read-only, never migrated: an older shard is read through its migrated
  // copy in memory.
  attachForReading(db, shardPath, "shard");
  MergeCounts counts;
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    createMergeTables(db);
    mapSweeps(db);
    copyRuns(db);
    counts = tallyPlan(db);
    db.exec("DROP TABLE temp.merge_sweeps");
    db.exec("DROP TABLE temp.merge_plan");
    transaction.commit();
  } catch (...) {
    try {
      db.exec("DETACH DATABASE shard");
    } catch (const SQLite::Exception&) {
      // The first error is the one to report.
    }
    throw;
  }
  db.exec("DETACH DATABASE shard");
  return counts;
}

// Every shard a results database (read-only: an older one is not
// migrated), present and not OUT itself; their spec hashes, in order.
std::vector<std::vector<std::string>> checkShards(const std::string& outPath,
                                                  const std::vector<std::string>& shardPaths) {
  namespace fs = std::filesystem;
  std::vector<std::vector<std::string>> hashes;
  for (const std::string& shard : shardPaths) {
    if (!fs::is_regular_file(shard)) throw StoreError(shard + ": no such database; check the path");
    if (fs::exists(outPath) && fs::equivalent(shard, outPath))
      throw StoreError(shard + ": is the output database itself; name another output");
    SQLite::Database db = openForReading(shard);
    try {
      hashes.push_back(specHashes(db));
    } catch (const SQLite::Exception& e) {
      throw StoreError(shard + ": cannot read its sweeps: " + e.what() + "; check the file");
    }
  }
  return hashes;
}

// OUT's missing folders, as `run --db` creates them.
void createFolderOf(const std::string& outPath) {
  const std::filesystem::path folder = std::filesystem::path(outPath).parent_path();
  std::error_code error;
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error)
    throw StoreError(outPath + ": cannot create its directory " + folder.string() + ": " + error.message() +
                     "; check the path and its permissions");
}

}  // namespace

MergeCounts mergeDatabases(const std::string& outPath, const std::vector<std::string>& shardPaths,
                           const MergeOptions& options, std::ostream& out) {
  // Every shard is checked before anything is written; then OUT is created,
  // or recognised as ours (Store), and migrated.
  const std::vector<std::vector<std::string>> shardHashes = checkShards(outPath, shardPaths);
  createFolderOf(outPath);
  { Store create(outPath); }

  // OUT through a URI, so that ATTACH takes the shards' read-only URIs.
  SQLite::Database db(fileUri(outPath), SQLite::OPEN_READWRITE | SQLite::OPEN_URI);
  db.setBusyTimeout(10000);
  db.exec("PRAGMA foreign_keys = ON");
  std::optional<std::string> reference;
  try {
    if (const auto hashes = specHashes(db); !hashes.empty()) reference = hashes.front();
  } catch (const SQLite::Exception& e) {
    throw StoreError(outPath + ": cannot read its sweeps: " + e.what() + "; check the file");
  }
  for (std::size_t i = 0; i < shardPaths.size(); ++i) {
    const auto& hashes = shardHashes[i];
    if (!reference && !hashes.empty()) reference = hashes.front();
    if (options.allowDifferentSpecs) continue;
    for (const std::string& hash : hashes)
      if (hash != *reference)
        throw StoreError(shardPaths[i] + ": a sweep with spec_hash " + hash + ", not " + *reference +
                         " (another sweep file or other --set); nothing merged; pass "
                         "--allow-different-specs to merge them anyway");
  }

  MergeCounts total;
  for (const std::string& shard : shardPaths) {
    MergeCounts counts;
    try {
      counts = mergeOne(db, shard);
    } catch (const SQLite::Exception& e) {
      throw StoreError(shard + ": cannot merge into " + outPath + ": " + e.what() +
                       "; the shards before it are merged, merging again is safe");
    }
    printCounts(out, shard, counts, "");
    total.added += counts.added;
    total.replaced += counts.replaced;
    total.skipped += counts.skipped;
  }
  printCounts(out, "total", total,
              " from " + std::to_string(shardPaths.size()) + " shard" + (shardPaths.size() == 1 ? "" : "s") +
                  " into " + outPath);
  return total;
}

}  // namespace actsweep::results
