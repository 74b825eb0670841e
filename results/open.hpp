#pragma once
// Recognising a results database before using it (internal to results/).
//
// A database someone hands actsweep may be anything: another program's
// SQLite file, an empty file, a damaged copy, a file nobody may write. Read
// commands (status, report, export, plots, merge's shards) open it read-only
// and never create, convert or migrate anything; write commands (run's
// Store, merge's output) recognise the file before their first write. Each
// refusal is a StoreError, one line that names the file, says what is wrong
// and what to do.
//
// A file is ours when it is a regular file, starts with the 16-byte SQLite
// header, passes `PRAGMA quick_check` and has a meta table (key, value) with
// a schema_version this build knows. quick_check reads every page: about 60 ms
// for a database of 10k runs (14 MB).
//
// Read-only connections and WAL: a read-only connection to a WAL database
// creates the -wal and -shm files when they are missing and leaves them
// behind (it may not delete them), and cannot open at all where it may not
// create them (a read-only directory). Where no -wal file exists no
// connection has the database open in WAL mode, so it is read as immutable
// (`?immutable=1`: no locks, no -wal, no -shm); where one exists a writer may
// be at work, so it is read through the -wal and its locks.

#include <SQLiteCpp/Database.h>

#include <string>

namespace actsweep::results {

// The SQLite URI of a file path ("file:///abs/path?QUERY"), every byte that
// could be read as URI syntax percent-encoded; for connections opened with
// SQLite::OPEN_URI and for ATTACH on them.
std::string fileUri(const std::string& path, const std::string& query = "");

// Opens an actsweep results database for reading only. A database of an
// older schema is read through a copy in memory, migrated there: the file is
// never migrated. Throws StoreError for a missing, empty, foreign, damaged or
// newer file.
SQLite::Database openForReading(const std::string& path, int busyTimeoutMs = 10000);

// Attaches the database at `path` to `db` as schema `name`, read-only and
// recognised as by openForReading (an older one as its migrated copy in
// memory). `db` must have been opened with SQLite::OPEN_URI.
void attachForReading(SQLite::Database& db, const std::string& path, const std::string& name);

// Before a write command opens `path` for writing: returns when it is new
// (no file, or an empty one) or an actsweep results database this build may
// write (an older schema is migrated by the writer). Throws StoreError, having
// written nothing, for a foreign, damaged, newer or write-protected file.
// ":memory:" and "" pass.
void checkBeforeWriting(const std::string& path, int busyTimeoutMs = 10000);

}  // namespace actsweep::results
