#pragma once
// The single integer a SQL query returns, from a results database opened
// read-only: what tests count rows with.
#include <SQLiteCpp/Database.h>

#include <string>

namespace actsweep::testing {

inline long scalar(const std::string& database, const std::string& sql) {
  SQLite::Database db(database, SQLite::OPEN_READONLY);
  return static_cast<long>(db.execAndGet(sql).getInt64());
}

}  // namespace actsweep::testing
