#include "results/schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <charconv>
#include <initializer_list>

#include "results/errors.hpp"
#include "results/schema_version.hpp"

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

// Version 2 adds views that summarize over seeds, so that SQL and notebooks
// need not repeat the grouping. Runs of one group share their configuration
// but the seed: the group key is json_remove(config_json, '$.seed').
//
// The 95% CI is mean -+ q975(n - 1) * std / sqrt(n), std the sample standard
// deviation (n - 1) over the group's non-NULL values, as results::summarize
// computes it. SQLite has no t quantile function, so t_quantile holds the
// 0.975 quantiles of Student's t for df 1..100 (6 decimals, computed once by
// numerical integration of the t density; studentTQuantile agrees), and the
// view takes 1.984 (df = 100 rounded) beyond. sqrt() needs SQLite's math
// functions (3.35+, SQLITE_ENABLE_MATH_FUNCTIONS; Debian's 3.40 has them).
// std and the CI are NULL for a group of one.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE t_quantile (
  df   INTEGER PRIMARY KEY,
  q975 REAL NOT NULL
);
INSERT INTO t_quantile(df, q975) VALUES
    (1, 12.706205), (2, 4.302653), (3, 3.182446), (4, 2.776445), (5, 2.570582),
    (6, 2.446912), (7, 2.364624), (8, 2.306004), (9, 2.262157), (10, 2.228139),
    (11, 2.200985), (12, 2.178813), (13, 2.160369), (14, 2.144787), (15, 2.131450),
    (16, 2.119905), (17, 2.109816), (18, 2.100922), (19, 2.093024), (20, 2.085963),
    (21, 2.079614), (22, 2.073873), (23, 2.068658), (24, 2.063899), (25, 2.059539),
    (26, 2.055529), (27, 2.051831), (28, 2.048407), (29, 2.045230), (30, 2.042272),
    (31, 2.039513), (32, 2.036933), (33, 2.034515), (34, 2.032245), (35, 2.030108),
    (36, 2.028094), (37, 2.026192), (38, 2.024394), (39, 2.022691), (40, 2.021075),
    (41, 2.019541), (42, 2.018082), (43, 2.016692), (44, 2.015368), (45, 2.014103),
    (46, 2.012896), (47, 2.011741), (48, 2.010635), (49, 2.009575), (50, 2.008559),
    (51, 2.007584), (52, 2.006647), (53, 2.005746), (54, 2.004879), (55, 2.004045),
    (56, 2.003241), (57, 2.002465), (58, 2.001717), (59, 2.000995), (60, 2.000298),
    (61, 1.999624), (62, 1.998972), (63, 1.998341), (64, 1.997730), (65, 1.997138),
    (66, 1.996564), (67, 1.996008), (68, 1.995469), (69, 1.994945), (70, 1.994437),
    (71, 1.993943), (72, 1.993464), (73, 1.992997), (74, 1.992543), (75, 1.992102),
    (76, 1.991673), (77, 1.991254), (78, 1.990847), (79, 1.990450), (80, 1.990063),
    (81, 1.989686), (82, 1.989319), (83, 1.988960), (84, 1.988610), (85, 1.988268),
    (86, 1.987934), (87, 1.987608), (88, 1.987290), (89, 1.986979), (90, 1.986675),
    (91, 1.986377), (92, 1.986086), (93, 1.985802), (94, 1.985523), (95, 1.985251),
    (96, 1.984984), (97, 1.984723), (98, 1.984467), (99, 1.984217), (100, 1.983972);

CREATE VIEW group_summary AS
WITH done AS (
  SELECT json_remove(config_json, '$.seed') AS group_key, * FROM runs WHERE status = 'done'
),
moments AS (
  SELECT group_key,
         min(activation) AS activation, min(alpha) AS alpha, min(init) AS init, min(norm) AS norm, min(depth) AS depth, min(width) AS width, min(dataset) AS dataset, min(optimizer) AS optimizer, min(lr) AS lr,
         min(batch_size) AS batch_size, min(epochs) AS epochs,
         count(*) AS n,
         count(final_test_acc) AS final_test_acc_n, avg(final_test_acc) AS final_test_acc_mean,
         count(final_test_loss) AS final_test_loss_n, avg(final_test_loss) AS final_test_loss_mean,
         count(best_val_acc) AS best_val_acc_n, avg(best_val_acc) AS best_val_acc_mean,
         count(dead_fraction) AS dead_fraction_n, avg(dead_fraction) AS dead_fraction_mean
  FROM done GROUP BY group_key
),
spreads AS (
  SELECT d.group_key,
         sqrt(sum((d.final_test_acc - m.final_test_acc_mean) * (d.final_test_acc - m.final_test_acc_mean)) / (m.final_test_acc_n - 1)) AS final_test_acc_std,
         sqrt(sum((d.final_test_loss - m.final_test_loss_mean) * (d.final_test_loss - m.final_test_loss_mean)) / (m.final_test_loss_n - 1)) AS final_test_loss_std,
         sqrt(sum((d.best_val_acc - m.best_val_acc_mean) * (d.best_val_acc - m.best_val_acc_mean)) / (m.best_val_acc_n - 1)) AS best_val_acc_std,
         sqrt(sum((d.dead_fraction - m.dead_fraction_mean) * (d.dead_fraction - m.dead_fraction_mean)) / (m.dead_fraction_n - 1)) AS dead_fraction_std
  FROM done d JOIN moments m ON m.group_key = d.group_key GROUP BY d.group_key
)
SELECT group_key, activation, alpha, init, norm, depth, width, dataset, optimizer, lr, batch_size, epochs, n,
       final_test_acc_mean, final_test_acc_std,
       final_test_acc_mean - coalesce((SELECT q975 FROM t_quantile WHERE df = final_test_acc_n - 1), 1.984) * final_test_acc_std / sqrt(final_test_acc_n) AS final_test_acc_ci_low,
       final_test_acc_mean + coalesce((SELECT q975 FROM t_quantile WHERE df = final_test_acc_n - 1), 1.984) * final_test_acc_std / sqrt(final_test_acc_n) AS final_test_acc_ci_high,
       final_test_loss_mean, final_test_loss_std,
       final_test_loss_mean - coalesce((SELECT q975 FROM t_quantile WHERE df = final_test_loss_n - 1), 1.984) * final_test_loss_std / sqrt(final_test_loss_n) AS final_test_loss_ci_low,
       final_test_loss_mean + coalesce((SELECT q975 FROM t_quantile WHERE df = final_test_loss_n - 1), 1.984) * final_test_loss_std / sqrt(final_test_loss_n) AS final_test_loss_ci_high,
       best_val_acc_mean, best_val_acc_std,
       best_val_acc_mean - coalesce((SELECT q975 FROM t_quantile WHERE df = best_val_acc_n - 1), 1.984) * best_val_acc_std / sqrt(best_val_acc_n) AS best_val_acc_ci_low,
       best_val_acc_mean + coalesce((SELECT q975 FROM t_quantile WHERE df = best_val_acc_n - 1), 1.984) * best_val_acc_std / sqrt(best_val_acc_n) AS best_val_acc_ci_high,
       dead_fraction_mean, dead_fraction_std,
       dead_fraction_mean - coalesce((SELECT q975 FROM t_quantile WHERE df = dead_fraction_n - 1), 1.984) * dead_fraction_std / sqrt(dead_fraction_n) AS dead_fraction_ci_low,
       dead_fraction_mean + coalesce((SELECT q975 FROM t_quantile WHERE df = dead_fraction_n - 1), 1.984) * dead_fraction_std / sqrt(dead_fraction_n) AS dead_fraction_ci_high
FROM moments JOIN spreads USING (group_key);

CREATE VIEW layer_summary AS
SELECT json_remove(r.config_json, '$.seed') AS group_key,
       min(r.activation) AS activation, min(r.alpha) AS alpha, min(r.init) AS init, min(r.norm) AS norm,
       min(r.depth) AS depth, min(r.width) AS width, min(r.dataset) AS dataset, min(r.optimizer) AS
       optimizer, min(r.lr) AS lr, min(r.batch_size) AS batch_size, min(r.epochs) AS epochs,
       l.epoch, l.layer, count(*) AS n,
       avg(l.dead_fraction) AS dead_fraction, avg(l.zero_fraction) AS zero_fraction, avg(l.grad_norm) AS grad_norm
FROM runs r JOIN layer_stats l ON l.run_id = r.run_id
WHERE r.status = 'done'
GROUP BY group_key, l.epoch, l.layer;
)sql";

// Version 0 (no tables) -> 1.
void migrate0To1(SQLite::Database& db) { db.exec(kSchemaV1); }

// 1 -> 2: the v1 tables are unchanged.
void migrate1To2(SQLite::Database& db) { db.exec(kSchemaV2); }

// 2 -> 3: one index serves claims. A claim reads the claimable runs of each
// status (pending, interrupted, failed, running) most expensive first and
// merges them; with (status, estimated_cost DESC, run_id) each status is one
// ordered range, so a claim reads only the rows it may take. v1's
// runs_cost(estimated_cost DESC) made every claim step over all finished
// runs first: per-run cost grew with the sweep (500 tiny runs/s at 10k runs,
// 2300 at 1k). runs_status is a prefix of the new index.
void migrate2To3(SQLite::Database& db) {
  db.exec(
      "DROP INDEX runs_cost;"
      "DROP INDEX runs_status;"
      "CREATE INDEX runs_claim ON runs(status, estimated_cost DESC, run_id);");
}

// kMigrations[v] takes a database from version v to v + 1.
using Migration = void (*)(SQLite::Database&);
constexpr std::array<Migration, kSchemaVersion> kMigrations = {migrate0To1, migrate1To2, migrate2To3};

[[noreturn]] void refuse(const std::string& path, const std::string& problem, const std::string& hint) {
  throw StoreError(path + ": " + problem + "; " + hint);
}

bool tableExists(SQLite::Database& db, const char* name) {
  SQLite::Statement query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind(1, name);
  return query.executeStep();
}

// Whether `table` has every one of `columns`: a meta table of another
// program (meta(a, b)) would otherwise fail later as "no such column: value".
bool hasColumns(SQLite::Database& db, const char* table, std::initializer_list<const char*> columns) {
  SQLite::Statement query(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  for (const char* column : columns) {
    query.reset();
    query.bind(1, table);
    query.bind(2, column);
    if (!query.executeStep()) return false;
  }
  return true;
}

}  // namespace

void refuseNewer(const std::string& path, int version) {
  if (version > kSchemaVersion)
    refuse(path,
           "written by a newer actsweep (schema version " + std::to_string(version) +
               ", this build reads up to " + std::to_string(kSchemaVersion) + ")",
           "upgrade actsweep or choose another database path");
}

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
  if (!hasColumns(db, "meta", {"key", "value"}))
    refuse(path,
           "a SQLite database, but not an actsweep results database (its meta table has no key and value "
           "columns)",
           "choose another database path");
  SQLite::Statement query(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!query.executeStep())
    refuse(path, "unknown database: its meta table has no schema_version", "choose another database path");
  const std::string text = query.getColumn("value").getString();
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
