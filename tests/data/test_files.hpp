#pragma once
// Helpers for the data tests: writers for raw, gzipped and IDX files (and
// the tests' shared TempDir).

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../temp_dir.hpp"

namespace actsweep::data::testing {

using actsweep::testing::TempDir;  // a fresh directory per test

using Bytes = std::vector<std::uint8_t>;

inline void writeBytes(const std::filesystem::path& file, const Bytes& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline void writeText(const std::filesystem::path& file, const std::string& text) {
  writeBytes(file, Bytes(text.begin(), text.end()));
}

inline void writeGzip(const std::filesystem::path& file, const Bytes& bytes) {
  gzFile out = gzopen(file.c_str(), "wb");
  if (!out) throw std::runtime_error("gzopen failed for " + file.string());
  const int written = bytes.empty() ? 0 : gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(out);
  if (written != static_cast<int>(bytes.size()))
    throw std::runtime_error("gzwrite failed for " + file.string());
}

inline Bytes readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// An IDX file of unsigned bytes: zero, zero, 0x08, rank, big-endian dims, data.
inline Bytes makeIdx(const std::vector<std::uint32_t>& dims, const Bytes& data, std::uint8_t type = 0x08) {
  Bytes bytes{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t dim : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(dim >> shift));
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

}  // namespace actsweep::data::testing
