#pragma once
// Whole-file reading with transparent gzip, for the data loaders.

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace actsweep::data {

// The contents of `file`, gunzipped when it starts with the gzip magic
// 1f 8b (the name does not matter: "x.gz" may be raw and "x" compressed).
// The file is read in one call and inflated in one pass into a buffer sized
// from the gzip trailer, which is what makes Fashion-MNIST load in well under
// a second. Concatenated gzip members are joined, as gunzip does.
// Throws DataError naming the file: missing (with `missingHint` appended),
// unreadable, a directory, or corrupt gzip data.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& file, std::string_view missingHint = {});

// True when `bytes` start with the gzip magic 1f 8b.
bool isGzip(const std::vector<std::uint8_t>& bytes);

}  // namespace actsweep::data
