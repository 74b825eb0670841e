// How results/open.hpp recognises a database before it reads or writes it:
// files that are not ours (foreign, empty, garbled, text) refused and left
// byte-identical, write-protected ones read but never written, -wal files
// read and never left behind, older schemas read through a copy in memory.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "../sql_scalar.hpp"
#include "../temp_dir.hpp"
#include "results/open.hpp"
#include "results/report.hpp"
#include "results/status.hpp"
#include "results/store.hpp"
#include "store_fixtures.hpp"

using namespace actsweep;
using namespace actsweep::results;
using actsweep::testing::scalar;
using actsweep::testing::TempDatabase;
using namespace actsweep::testing;
using Catch::Matchers::Contains;

namespace {

// A database whose pages 4..7 (well inside the runs table) are overwritten,
// as a bad disk or a cut copy leaves one. Checkpointed first: the store's
// close moves its -wal into the file.
void writeGarbled(const std::string& path) {
  {
    Store store(path);
    addNumberedRuns(store, 300);
  }
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(4 * 4096);
  const std::string garbage(4 * 4096, '\xa5');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

void writeForeign(const std::string& path, const std::string& sql) {
  SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec(sql);
}

// The names in a directory: a read must leave no -wal or -shm behind.
std::set<std::string> namesIn(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

// The message of the StoreError `action` throws ("" when it throws none).
template <typename Action>
std::string storeErrorOf(Action&& action) {
  try {
    action();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "";
}

// The file and its folder, byte for byte, after `action`, whatever it throws.
struct Snapshot {
  std::string bytes;
  std::set<std::string> names;
  bool operator==(const Snapshot&) const = default;
};
Snapshot snapshotOf(const std::string& path) {
  return {actsweep::testing::readText(path), namesIn(std::filesystem::path(path).parent_path())};
}

// A version 1 or 2 database (the same as a current one without what the
// later migrations add; test_report.cpp builds it the same way).
void downgrade(const std::string& path, int to) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(
      "DROP INDEX runs_claim; CREATE INDEX runs_status ON runs(status); "
      "CREATE INDEX runs_cost ON runs(estimated_cost DESC); "
      "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  if (to == 1)
    db.exec(
        "DROP VIEW group_summary; DROP VIEW layer_summary; DROP TABLE t_quantile; "
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
}

}  // namespace

TEST_CASE("files that are not ours are refused, byte for byte unchanged, by a writer and a reader",
          "[db][open]") {
  TempDatabase file;
  std::string expected;  // in the message
  SECTION("another program's SQLite database") {
    writeForeign(file.path, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    expected = "not an actsweep results database (no meta table)";
  }
  SECTION("another program's meta table") {
    writeForeign(file.path, "CREATE TABLE meta (a, b); INSERT INTO meta VALUES (1, 2)");
    expected = "its meta table has no key and value columns";
  }
  SECTION("a database with garbled pages") {
    writeGarbled(file.path);
    expected = "a damaged SQLite database";
  }
  SECTION("a text file") {
    std::ofstream(file.path) << "name: not a database\n";
    expected = "not a SQLite database";
  }
  const Snapshot before = snapshotOf(file.path);
  const std::string writing = storeErrorOf([&] { Store store(file.path); });
  CHECK_THAT(writing, Contains(file.path + ": ") && Contains(expected));
  CHECK(writing.find('\n') == std::string::npos);
  CHECK(snapshotOf(file.path) == before);
  const std::string reading = storeErrorOf([&] { openForReading(file.path); });
  CHECK_THAT(reading, Contains(file.path + ": ") && Contains(expected));
  CHECK(snapshotOf(file.path) == before);
  // export's read (report, plots and status open the same way).
  CHECK_THROWS_WITH(readRelation(file.path, "runs"), Contains(expected));
  CHECK(snapshotOf(file.path) == before);
}

TEST_CASE("an empty file is a new database to a writer and nothing to read to a reader", "[db][open]") {
  TempDatabase file;
  std::ofstream{file.path};
  CHECK_THROWS_WITH(openForReading(file.path), Contains(file.path + ": an empty file"));
  CHECK_THROWS_WITH(readRelation(file.path, "runs"), Contains("an empty file"));
  CHECK(std::filesystem::file_size(file.path) == 0);
  CHECK(namesIn(file.dir.path) == std::set<std::string>{"results.db"});
  { Store store(file.path); }  // `run --db $(mktemp)`
  SQLite::Database db = openForReading(file.path);
  CHECK(statusCountsOf(db).empty());
}

TEST_CASE("a garbled database: run's first write never happens", "[db][open]") {
  TempDatabase file;
  writeGarbled(file.path);
  const std::string bytes = actsweep::testing::readText(file.path);
  // Before, Store opened it and the sweeps row was committed before a later
  // query failed "malformed".
  CHECK_THROWS_AS([&] { Store(file.path).recordSweep(sweepNamed("s")); }(), StoreError);
  CHECK(actsweep::testing::readText(file.path) == bytes);
}

TEST_CASE("a write-protected database is read but never written", "[db][open]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 5);
  }
  std::filesystem::permissions(file.path, std::filesystem::perms::owner_read |
                                              std::filesystem::perms::group_read |
                                              std::filesystem::perms::others_read);
  const Snapshot before = snapshotOf(file.path);
  CHECK_THAT(storeErrorOf([&] { Store store(file.path); }), Contains(file.path + ": write-protected"));
  CHECK(snapshotOf(file.path) == before);
  CHECK(readRelation(file.path, "runs").rows.size() == 5);
  SQLite::Database db = openForReading(file.path);
  CHECK(statusCountsOf(db).at(0).pending == 5);
  CHECK(snapshotOf(file.path) == before);  // no -wal or -shm left behind
}

TEST_CASE("a reader in a directory it may not write reads the database", "[db][open]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 3);
  }
  // Without a -wal file SQLite would need to create one and a -shm beside
  // the database; the directory is read-only to the reader (nobody, when the
  // test runs as root and root may write anywhere).
  const auto readAsOther = [&] {
    try {
      SQLite::Database db = openForReading(file.path);
      return statusCountsOf(db).at(0).pending == 3;
    } catch (const std::exception&) {
      return false;
    }
  };
  namespace fs = std::filesystem;
  bool read = false;
  if (::geteuid() == 0) {
    fs::permissions(file.dir.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                       fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(file.path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                   fs::perms::others_read);
    const pid_t child = ::fork();
    if (child == 0) ::_exit(::setgid(65534) == 0 && ::setuid(65534) == 0 && readAsOther() ? 0 : 1);
    int status = 0;
    ::waitpid(child, &status, 0);
    read = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  } else {
    std::filesystem::permissions(file.dir.path,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    read = readAsOther();
    std::filesystem::permissions(file.dir.path, std::filesystem::perms::owner_all);
  }
  CHECK(read);
  CHECK(namesIn(file.dir.path) == std::set<std::string>{"results.db"});
}

TEST_CASE("a reader sees what a writer holds in its -wal, and leaves no -wal behind", "[db][open]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 4);  // in the -wal while the store is open
    REQUIRE(std::filesystem::exists(file.path + "-wal"));
    SQLite::Database db = openForReading(file.path);
    CHECK(statusCountsOf(db).at(0).pending == 4);
  }
  // The writer has gone (its close removed the -wal and -shm): read as
  // immutable, creating neither.
  REQUIRE(namesIn(file.dir.path) == std::set<std::string>{"results.db"});
  SQLite::Database db = openForReading(file.path);
  CHECK(statusCountsOf(db).at(0).pending == 4);
  CHECK(namesIn(file.dir.path) == std::set<std::string>{"results.db"});
}

TEST_CASE("an older database is read through a migrated copy, the file left as it was", "[db][open]") {
  TempDatabase file;
  {
    Store store(file.path);
    addNumberedRuns(store, 6);
  }
  const int from = GENERATE(1, 2);
  downgrade(file.path, from);
  const Snapshot before = snapshotOf(file.path);
  {
    SQLite::Database db = openForReading(file.path);
    CHECK(db.execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() ==
          std::to_string(kSchemaVersion));
    CHECK(db.execAndGet("SELECT count(*) FROM runs").getInt() == 6);
  }
  CHECK(readRelation(file.path, "group_summary").rows.empty());  // a v2 view, no run done
  CHECK(readRelation(file.path, "runs").rows.size() == 6);
  CHECK(snapshotOf(file.path) == before);
  CHECK(scalar(file.path, "SELECT value FROM meta WHERE key = 'schema_version'") == from);
}
