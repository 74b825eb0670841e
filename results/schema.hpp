#pragma once
// The database's structure and how it gets there (internal to results/; the
// contract users write SQL against is docs/schema.md).
//
// A database's version is meta.schema_version; a fresh file is version 0.
// Each step from version v to v + 1 is one function in kMigrations, and
// migrateToCurrent() runs the missing steps in one transaction, so a
// database is at one version or the next, never in between. A new version
// is a new function appended to the list; released steps never change,
// because databases created by older builds went through them.

#include <SQLiteCpp/Database.h>

#include <string>

namespace actsweep::results::schema {

// The version the file is at: 0 for a file with no tables (new or empty).
// Throws StoreError (naming `path`) for a file that is not an actsweep
// database: tables but no meta, or a meta without a usable schema_version.
int versionOf(SQLite::Database& db, const std::string& path);

// Throws StoreError (naming `path`) when `version` is newer than kSchemaVersion.
void refuseNewer(const std::string& path, int version);

// Brings the database from its version to kSchemaVersion in one IMMEDIATE
// transaction (re-reading the version inside it: another process may have
// created the schema meanwhile). Throws StoreError for a newer version.
void migrateToCurrent(SQLite::Database& db, const std::string& path);

}  // namespace actsweep::results::schema
