#pragma once
// Whole-file reading with transparent gzip, for the data loaders.

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace actsweep::data {

// The largest data file (decompressed) worth reading: a quarter of this
// machine's memory, since the loaders turn each byte into up to a 4-byte
// float next to it (0 when the memory size is unknown: no limit).
std::size_t defaultMaxFileBytes();

// The contents of `file`, gunzipped when it starts with the gzip magic
// 1f 8b (the name does not matter: "x.gz" may be raw and "x" compressed).
// The file is read in one call and inflated in one pass into a buffer sized
// from the gzip trailer, which is what makes Fashion-MNIST load in well under
// a second. Concatenated gzip members are joined, as gunzip does.
// Throws DataError naming the file: missing (with `missingHint` appended),
// unreadable, a directory, corrupt gzip data, or contents (decompressed)
// larger than `maxBytes`, found before they are allocated: a gzip bomb or the
// wrong file must not take the machine's memory. 0 = no limit.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& file, std::string_view missingHint = {},
                                        std::size_t maxBytes = defaultMaxFileBytes());

// True when `bytes` start with the gzip magic 1f 8b.
bool isGzip(const std::vector<std::uint8_t>& bytes);

}  // namespace actsweep::data
