#pragma once
// Store's connection and prepared statements (internal to results/; Store
// holds one, results/store.hpp). Store's members are defined in store.cpp
// (opening, sweeps, runs, run keys, counts), store_claim.cpp (claims, leases,
// progress) and store_write.cpp (finished runs). This header does not
// include store.hpp, so that no two units include each other.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "results/errors.hpp"

namespace actsweep::results {

struct RunRecord;  // results/store.hpp

// The StoreError of SQLite failure `error` while doing `what` to the file at
// `path`: the extended code (SQLITE_BUSY, SQLITE_NOTADB...) picks the hint.
StoreError storeErrorOf(const std::string& path, const char* what, const SQLite::Exception& error);

// NaN means "not measured" (model/metrics.hpp): SQL NULL.
inline void bindMeasured(SQLite::Statement& statement, const char* parameter, double value) {
  if (std::isnan(value))
    statement.bind(parameter);
  else
    statement.bind(parameter, value);
}

inline void bindTextOrNull(SQLite::Statement& statement, const char* parameter, const std::string& value) {
  if (value.empty())
    statement.bind(parameter);
  else
    statement.bind(parameter, value);
}

struct StoreImpl {
  std::string path_;
  SQLite::Database db_;  // declared first: destroyed after the statements that use it
  // Statements finish() runs for every record: prepared once per connection.
  // Each use starts with tryReset(): after a failed step, reset() would
  // rethrow that old error (sqlite3_reset returns it).
  std::optional<SQLite::Statement> deleteEpochs_, deleteLayers_, insertEpoch_, insertLayer_, updateFinished_;
  // And those of claim() (a claim every few milliseconds with tiny runs:
  // preparing its select took a third of a claim), of setProgress() (every
  // running run, every second) and of renewLeases().
  std::optional<SQLite::Statement> claimSelect_, claimUpdate_, updateProgress_, renewLeases_;

  StoreImpl(const std::string& path, int busyTimeoutMs)
      : path_(path), db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busyTimeoutMs) {}

  // Every SQLite failure leaves the store as a StoreError naming the file.
  template <typename Action>
  auto guarded(const char* what, Action&& action) -> decltype(action()) {
    try {
      return action();
    } catch (const SQLite::Exception& e) {
      throw storeErrorOf(path_, what, e);
    }
  }

  // store.cpp
  void open();
  void openRetryingWhileBusy(int busyTimeoutMs);
  // Replaces the rows of temp table `table` by `keys`; inside a transaction.
  void loadKeys(const char* table, const std::vector<std::string>& keys);

  // store_claim.cpp: claimSelect_, claimUpdate_, updateProgress_, renewLeases_.
  void prepareClaims();

  // store_write.cpp: the statements of finish().
  void prepareWrites();
  // One record in one transaction.
  void writeRecord(const RunRecord& record);
};

}  // namespace actsweep::results
