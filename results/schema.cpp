#include "results/schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <charconv>

#include "results/store.hpp"

namespace actsweep::results::schema {
namespace {

// Plain tables (not STRICT): STRICT needs SQLite 3.37, and the sqlite3 shells
// and Python builds people read results with are often older; an unreadable
// schema would lock them out of their own data. CHECKs guard what matters.
//
// Foreign keys cascade from runs to epochs and layer_stats so that deleting a
// run (by hand, in SQL) leaves no orphaned metrics.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sweeps (
  sweep_id   INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  spec_yaml  TEXT NOT NULL,
  spec_hash  TEXT NOT NULL,
  overrides  TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  host       TEXT,
  version    TEXT,
  git_rev    TEXT
);

CREATE TABLE runs (
  run_id           INTEGER PRIMARY KEY,
  run_key          TEXT UNIQUE NOT NULL,
  sweep_id         INTEGER NOT NULL REFERENCES sweeps(sweep_id),
  activation       TEXT,
  alpha            REAL,
  init             TEXT,
  norm             TEXT,
  depth            INTEGER,
  width            INTEGER,
  dataset          TEXT,
  optimizer        TEXT,
  lr               REAL,
  batch_size       INTEGER,
  epochs           INTEGER,
  seed             INTEGER,
  config_json      TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','running','done','failed','diverged','interrupted')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error            TEXT,
  host             TEXT,
  pid              INTEGER,
  lease_until      REAL,
  progress_epoch   INTEGER,
  estimated_cost   REAL NOT NULL DEFAULT 0,
  started_at       TEXT,
  finished_at      TEXT,
  wall_seconds     REAL,
  final_train_loss REAL,
  final_test_loss  REAL,
  final_test_acc   REAL,
  best_val_acc     REAL,
  dead_fraction    REAL,
  born_dead        INTEGER CHECK (born_dead IN (0, 1)),
  diverged_epoch   INTEGER
);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX runs_sweep ON runs(sweep_id);
-- claim() walks runs most expensive first and stops at the batch size; this
-- index spares it sorting every candidate (100k runs) on each claim.
CREATE INDEX runs_cost ON runs(estimated_cost DESC);

CREATE TABLE epochs (
  run_id     INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  epoch      INTEGER NOT NULL CHECK (epoch >= 0),
  train_loss REAL,
  train_acc  REAL,
  val_loss   REAL,
  val_acc    REAL,
  test_loss  REAL,
  test_acc   REAL,
  lr         REAL,
  seconds    REAL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE layer_stats (
  run_id        INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  epoch         INTEGER NOT NULL CHECK (epoch >= 0),
  layer         INTEGER NOT NULL CHECK (layer >= 1),
  dead_fraction REAL,
  zero_fraction REAL,
  act_mean      REAL,
  act_std       REAL,
  grad_norm     REAL,
  weight_norm   REAL,
  prelu_alpha   REAL,
  PRIMARY KEY (run_id, epoch, layer)
) WITHOUT ROWID;

CREATE VIEW run_summary AS
SELECT run_id, run_key, sweep_id, status,
       activation, alpha, init, norm, depth, width, dataset, optimizer, lr, batch_size, epochs, seed,
       attempts, wall_seconds, finished_at,
       final_train_loss, final_test_loss, final_test_acc, best_val_acc, dead_fraction, born_dead,
       diverged_epoch, config_json
FROM runs
WHERE status IN ('done', 'diverged');

INSERT INTO meta(key, value) VALUES ('created_by', 'actsweep');
)sql";

// Version 0 (no tables) -> 1.
void migrate0To1(SQLite::Database& db) { db.exec(kSchemaV1); }

// kMigrations[v] takes a database from version v to v + 1.
using Migration = void (*)(SQLite::Database&);
constexpr std::array<Migration, kSchemaVersion> kMigrations = {migrate0To1};

[[noreturn]] void refuse(const std::string& path, const std::string& problem, const std::string& hint) {
  throw StoreError(path + ": " + problem + "; " + hint);
}

bool tableExists(SQLite::Database& db, const char* name) {
  SQLite::Statement query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind(1, name);
  return query.executeStep();
}

void refuseNewer(const std::string& path, int version) {
  if (version > kSchemaVersion)
    refuse(path,
           "written by a newer actsweep (schema version " + std::to_string(version) +
               ", this build reads up to " + std::to_string(kSchemaVersion) + ")",
           "upgrade actsweep or choose another database path");
}

}  // namespace

int versionOf(SQLite::Database& db, const std::string& path) {
  if (!tableExists(db, "meta")) {
    // Tables but no meta: some other program's database. Adding our tables
    // to it would mix two programs' data in one file.
    SQLite::Statement anyTable(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'");
    if (anyTable.executeStep())
      refuse(path, "a SQLite database, but not an actsweep results database (no meta table)",
             "choose another database path");
    return 0;
  }
  SQLite::Statement query(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!query.executeStep())
    refuse(path, "unknown database: its meta table has no schema_version", "choose another database path");
  const std::string text = query.getColumn(0).getString();
  int version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || version < 1)
    refuse(path, "unknown database: schema_version '" + text + "'", "choose another database path");
  return version;
}

void migrateToCurrent(SQLite::Database& db, const std::string& path) {
  // Cheap check outside a write transaction: opening an up-to-date database
  // (every run after the first) takes no write lock.
  const int seen = versionOf(db, path);
  refuseNewer(path, seen);
  if (seen == kSchemaVersion) return;

  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  const int version = versionOf(db, path);
  refuseNewer(path, version);
  for (int step = version; step < kSchemaVersion; ++step) kMigrations[static_cast<std::size_t>(step)](db);
  SQLite::Statement setVersion(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)");
  setVersion.bind(1, std::to_string(kSchemaVersion));
  setVersion.exec();
  transaction.commit();
}

}  // namespace actsweep::results::schema
