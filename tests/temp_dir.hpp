#pragma once
// Files for tests: a fresh directory per test under the system's temp
// directory, removed (with everything in it) when the object goes out of
// scope; a database path in one; a whole file read as text.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace actsweep::testing {

struct TempDir {
  std::filesystem::path path;

  TempDir() {
    static int counter = 0;
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105329)
    // about "literal" + std::string chains.
    std::string name = "actsweep_test_";
    name += std::to_string(getpid());
    name += '_';
    name += std::to_string(counter++);
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to the file `name` in the directory; returns its path.
  std::string file(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// A database path in its own fresh directory, so that its -wal, -shm and
// -journal files go with it.
struct TempDatabase {
  TempDir dir;
  std::string path = dir / "results.db";
};

// The whole file as text ("" when it cannot be read).
inline std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace actsweep::testing
