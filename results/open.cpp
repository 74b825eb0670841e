#include "results/open.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "results/errors.hpp"
#include "results/schema.hpp"
#include "results/schema_version.hpp"

namespace actsweep::results {
namespace {

namespace fs = std::filesystem;

// What a read or a write command says to do with a file that is not ours.
constexpr const char* kReadHint = "check the path: actsweep reads only its own results databases";
constexpr const char* kWriteHint = "choose another database path or move the file away";

[[noreturn]] void refuse(const std::string& path, const std::string& problem, const std::string& hint) {
  throw StoreError(path + ": " + problem + "; " + hint);
}

enum class FileKind { Missing, Empty, SQLite };

// What is at `path`, from the file system and its first 16 bytes, before
// SQLite opens it: every SQLite database starts with "SQLite format 3\0".
FileKind inspect(const std::string& path, const char* hint) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return FileKind::Missing;
  if (error)
    refuse(path, "cannot look at it (" + error.message() + ")", "check the path and its permissions");
  if (!fs::is_regular_file(status)) refuse(path, "not a regular file", "name a results database file");
  if (fs::file_size(path, error) == 0 && !error) return FileKind::Empty;
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse(path, "cannot read it", "check its permissions");
  char header[16] = {};
  in.read(header, sizeof header);
  if (in.gcount() != sizeof header || std::memcmp(header, "SQLite format 3", sizeof header) != 0)
    refuse(path, "not a SQLite database (it does not start with the SQLite header)", hint);
  return FileKind::SQLite;
}

// Whether the database may be read as immutable: no -wal file (no
// connection has it open in WAL mode), or an empty one that a read-only
// connection could not use anyway (no -shm, and a directory it may not
// create one in).
bool mayReadImmutable(const std::string& path) {
  std::error_code error;
  const std::string wal = path + "-wal";
  if (!fs::exists(wal, error)) return true;
  if (fs::file_size(wal, error) != 0 || error || fs::exists(path + "-shm", error)) return false;
  const fs::path folder = fs::absolute(path, error).parent_path();
  return ::access(folder.c_str(), W_OK) != 0;
}

// What changes when a writer starts: the -wal file appears, the file is
// written at a checkpoint.
struct Stamp {
  bool wal = false;
  std::intmax_t size = -1;
  std::int64_t modifiedNs = 0;
  bool operator==(const Stamp&) const = default;
};

Stamp stampOf(const std::string& path) {
  Stamp stamp;
  stamp.wal = ::access((path + "-wal").c_str(), F_OK) == 0;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    stamp.size = info.st_size;
    stamp.modifiedNs = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  }
  return stamp;
}

std::string readUri(const std::string& path, bool immutable) {
  return fileUri(path, immutable ? "mode=ro&immutable=1" : "mode=ro");
}

// A SQLite error while recognising the file, as one line naming it.
[[noreturn]] void refuseSqliteError(const std::string& path, const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    refuse(path, std::string("a damaged SQLite database (") + e.what() + "); it was left as it was",
           "restore it from a copy, or salvage what is left with `sqlite3 " + path + " .recover`");
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    refuse(path, std::string("cannot read it: ") + e.what(),
           "another process held it longer than the busy timeout: try again, or stop it");
  if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY)
    refuse(path, std::string("cannot read it: ") + e.what(),
           "its -wal file holds changes that SQLite reads only with a -shm file beside it, which it may "
           "not create here: copy the database with its -wal file to a writable directory");
  refuse(path, std::string("cannot read it: ") + e.what(), "check the file and the disk");
}

// quick_check's first finding on one line: "*** in database main ***\nPage
// 20: btreeInitPage() returns error code 11" -> "Page 20: btreeInitPage()
// returns error code 11".
std::string oneLine(std::string text) {
  const std::string banner = "*** in database main ***\n";
  if (text.starts_with(banner)) text.erase(0, banner.size());
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

// The schema version of an open database, after quick_check: the structure
// of every page (not the index contents, which integrity_check would add at
// twice the time). Throws StoreError for a damaged, foreign or newer file.
int recognise(SQLite::Database& db, const std::string& path) {
  try {
    SQLite::Statement check(db, "PRAGMA quick_check(1)");
    const std::string verdict = check.executeStep() ? check.getColumn(0).getString() : "no answer";
    if (verdict != "ok")
      refuse(path, "a damaged SQLite database (quick_check: " + oneLine(verdict) + "); it was left as it was",
             "restore it from a copy, or salvage what is left with `sqlite3 " + path + " .recover`");
    const int version = schema::versionOf(db, path);
    schema::refuseNewer(path, version);
    return version;
  } catch (const SQLite::Exception& e) {
    refuseSqliteError(path, e);
  }
}

struct Recognised {
  SQLite::Database db;
  int version = 0;
  bool inMemory = false;  // a snapshot of the file, writable, no longer tied to it
};

Recognised connectAndRecognise(const std::string& path, bool immutable, int busyTimeoutMs) {
  try {
    SQLite::Database db(readUri(path, immutable), SQLite::OPEN_READONLY | SQLite::OPEN_URI, busyTimeoutMs);
    const int version = recognise(db, path);
    return {std::move(db), version};
  } catch (const SQLite::Exception& e) {
    refuseSqliteError(path, e);
  }
}

// `source` copied into a database in memory (writable, so an older schema
// can be migrated there).
SQLite::Database copyIntoMemory(SQLite::Database& source, const std::string& path) {
  SQLite::Database copy(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  try {
    SQLite::Backup(copy, source).executeStep();
  } catch (const SQLite::Exception& e) {
    refuseSqliteError(path, e);
  }
  return copy;
}

// Without a -wal no connection has the file open: it is read immutable (no
// -wal or -shm created) and copied into memory at once, since an immutable
// connection takes no locks and a writer that starts meanwhile may change
// pages under it; the copy counts only if the file did not change while it
// was made (costs the file's size in memory). Otherwise, or after a change,
// read through the -wal and its locks.
Recognised openRecognised(const std::string& path, int busyTimeoutMs) {
  if (mayReadImmutable(path)) {
    const Stamp before = stampOf(path);
    try {
      Recognised immutable = connectAndRecognise(path, true, busyTimeoutMs);
      SQLite::Database snapshot = copyIntoMemory(immutable.db, path);
      if (stampOf(path) == before) return {std::move(snapshot), immutable.version, true};
    } catch (const StoreError&) {
      if (stampOf(path) == before) throw;
    }
  }
  return connectAndRecognise(path, false, busyTimeoutMs);
}

// A file a read command may open: present, not empty, SQLite.
void requireReadable(const std::string& path) {
  const FileKind kind = inspect(path, kReadHint);
  if (kind == FileKind::Missing)
    refuse(path, "no such database", "check the path (`actsweep run SPEC` creates one)");
  if (kind == FileKind::Empty)
    refuse(path, "an empty file, not an actsweep results database",
           "check the path (`actsweep run SPEC --db FILE` fills an empty file)");
}

// A database that holds no table at all is SQLite's empty database: a write
// command makes it ours, a read command has nothing to read.
void refuseTableless(const std::string& path, int version) {
  if (version == 0)
    refuse(path, "a SQLite database without tables, not an actsweep results database", kReadHint);
}

// The recognised database in memory, at the current schema: an older one is
// migrated there, never in the file.
SQLite::Database currentInMemory(Recognised& recognised, const std::string& path) {
  SQLite::Database copy =
      recognised.inMemory ? std::move(recognised.db) : copyIntoMemory(recognised.db, path);
  try {
    if (recognised.version < kSchemaVersion) schema::migrateToCurrent(copy, path);
  } catch (const SQLite::Exception& e) {
    refuseSqliteError(path, e);
  }
  return copy;
}

}  // namespace

std::string fileUri(const std::string& path, const std::string& query) {
  std::error_code error;
  const std::string absolute = fs::absolute(path, error).string();
  static const char* const kHex = "0123456789ABCDEF";
  std::string uri = "file://";
  for (const char c : error ? path : absolute) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::strchr("/-._~", c) != nullptr) {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 15];
    }
  }
  if (!query.empty()) uri += "?" + query;
  return uri;
}

SQLite::Database openForReading(const std::string& path, int busyTimeoutMs) {
  requireReadable(path);
  Recognised recognised = openRecognised(path, busyTimeoutMs);
  refuseTableless(path, recognised.version);
  if (recognised.version < kSchemaVersion || recognised.inMemory) return currentInMemory(recognised, path);
  return std::move(recognised.db);
}

void attachForReading(SQLite::Database& db, const std::string& path, const std::string& name) {
  requireReadable(path);
  Recognised recognised = openRecognised(path, 10000);
  refuseTableless(path, recognised.version);
  SQLite::Statement attach(db, "ATTACH DATABASE ? AS \"" + name + "\"");
  if (recognised.version == kSchemaVersion && !recognised.inMemory) {
    attach.bind(1, readUri(path, false));
    attach.exec();
    return;
  }
  SQLite::Database copy = currentInMemory(recognised, path);
  attach.bind(1, ":memory:");
  attach.exec();
  // A backup into an in-memory database needs the source's page size.
  db.exec("PRAGMA \"" + name + "\".page_size = " + copy.execAndGet("PRAGMA page_size").getString());
  SQLite::Backup(db, name, copy, "main").executeStep();
}

void checkBeforeWriting(const std::string& path, int busyTimeoutMs) {
  if (path.empty() || path == ":memory:") return;
  if (inspect(path, kWriteHint) != FileKind::SQLite) return;  // new: created by the writer
  // Root may write any file; a file without write permission is still one
  // its owner asked to keep as it is.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && ((info.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0))
    refuse(path, "write-protected",
           "make it writable (chmod u+w) if actsweep may add to it, or choose another database path");
  openRecognised(path, busyTimeoutMs);
}

}  // namespace actsweep::results
