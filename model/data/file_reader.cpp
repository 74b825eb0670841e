#include "model/data/file_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "model/data/data_config.hpp"
#include "model/memory.hpp"

namespace actsweep::data {
namespace {

constexpr std::uint8_t kGzipMagic0 = 0x1f, kGzipMagic1 = 0x8b;

std::string hintSuffix(std::string_view hint) { return hint.empty() ? "" : "; " + std::string(hint); }

// "FILE: decompresses to more than 5.9 GiB, the most a data file may hold here (...)": raw and gzip alike.
DataError tooLarge(const std::filesystem::path& file, const std::string& what, std::size_t maxBytes) {
  return DataError(file.string() + ": " + what + " more than " +
                   model::formatBytes(static_cast<double>(maxBytes)) +
                   ", the most a data file may hold here (a quarter of this machine's memory: the loaded "
                   "values take up to 4 bytes per file byte); is it the right file?");
}

std::vector<std::uint8_t> readRaw(const std::filesystem::path& file, std::string_view missingHint,
                                  std::size_t maxBytes) {
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (!std::filesystem::exists(status))
    throw DataError(file.string() + ": no such file" + hintSuffix(missingHint));
  if (std::filesystem::is_directory(status))
    throw DataError(file.string() + ": is a directory, not a data file" + hintSuffix(missingHint));

  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!stream) throw DataError(file.string() + ": cannot open: " + std::strerror(errno));

  // One fread of the whole file; the size comes from the file system, and a
  // short read (a file that shrank meanwhile) is reported rather than trusted.
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(file, error));
  if (error) throw DataError(file.string() + ": cannot read its size: " + error.message());
  if (maxBytes > 0 && size > maxBytes)
    throw tooLarge(file, "holds " + std::to_string(size) + " bytes,", maxBytes);
  std::vector<std::uint8_t> bytes(size);
  const std::size_t got = size == 0 ? 0 : std::fread(bytes.data(), 1, size, stream.get());
  if (got != size)
    throw DataError(
        file.string() + ": read " + std::to_string(got) + " of " + std::to_string(size) +
        " bytes: " + (std::ferror(stream.get()) ? std::strerror(errno) : "file changed while reading"));
  return bytes;
}

// gzip's trailer ends with ISIZE, the uncompressed size mod 2^32 (little
// endian): the exact output size for the usual single member under 4 GiB.
std::size_t uncompressedSizeHint(const std::vector<std::uint8_t>& compressed) {
  const std::size_t n = compressed.size();
  if (n < 18) return 0;  // 10-byte header + 8-byte trailer
  const std::size_t size = std::size_t{compressed[n - 4]} | std::size_t{compressed[n - 3]} << 8 |
                           std::size_t{compressed[n - 2]} << 16 | std::size_t{compressed[n - 1]} << 24;
  // Deflate expands at most ~1032:1, so a larger claim is a damaged trailer: do not allocate it.
  return std::min(size, n * 1032);
}

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& compressed,
                                 const std::filesystem::path& file, std::size_t maxBytes) {
  // Never more than maxBytes + 1 bytes of output: one past the limit proves the file is over it.
  const std::size_t cap = maxBytes > 0 ? maxBytes + 1 : SIZE_MAX;
  const std::string corrupt = file.string() + ": corrupt gzip data";
  const std::string hint = "; the file is damaged or incomplete: download it again (gzip -t checks it)";

  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper (not zlib, not raw deflate) with the largest window.
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::bad_alloc();
  const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&stream, &inflateEnd);

  std::vector<std::uint8_t> output(
      std::min(std::max<std::size_t>(uncompressedSizeHint(compressed), 1024), cap));
  std::size_t produced = 0, consumed = 0;
  for (;;) {
    if (produced == output.size()) {  // hint wrong: a multi-member or > 4 GiB file, or a bomb
      if (produced >= cap) throw tooLarge(file, "decompresses to", maxBytes);
      output.resize(std::min(output.size() * 2, cap));
    }
    // avail_in/avail_out are 32-bit: feed at most UINT_MAX bytes per call.
    stream.next_in = const_cast<Bytef*>(compressed.data() + consumed);
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(compressed.size() - consumed, UINT_MAX));
    stream.next_out = output.data() + produced;
    stream.avail_out = static_cast<uInt>(std::min<std::size_t>(output.size() - produced, UINT_MAX));
    const uInt availIn = stream.avail_in, availOut = stream.avail_out;

    const int result = inflate(&stream, Z_NO_FLUSH);
    consumed += availIn - stream.avail_in;
    produced += availOut - stream.avail_out;

    if (result == Z_STREAM_END) {
      // Another member follows (gzip -c a b > ab.gz), or padding zeros, which gunzip also accepts.
      const auto rest = compressed.begin() + static_cast<std::ptrdiff_t>(consumed);
      if (rest == compressed.end() ||
          std::all_of(rest, compressed.end(), [](std::uint8_t b) { return b == 0; }))
        break;
      if (compressed.end() - rest >= 2 && rest[0] == kGzipMagic0 && rest[1] == kGzipMagic1) {
        inflateReset(&stream);
        continue;
      }
      throw DataError(file.string() + ": " + std::to_string(compressed.end() - rest) +
                      " bytes of trailing garbage after the gzip stream" + hint);
    }
    if (result == Z_MEM_ERROR) throw std::bad_alloc();
    if (result == Z_DATA_ERROR || result == Z_NEED_DICT || result == Z_STREAM_ERROR)
      throw DataError(corrupt + " (zlib: " + (stream.msg ? stream.msg : "invalid stream") + ")" + hint);
    // Z_OK or Z_BUF_ERROR: progress was possible only if input remained or output was full.
    if (consumed == compressed.size() && produced < output.size())
      throw DataError(corrupt + ": the compressed stream ends early after " + std::to_string(produced) +
                      " bytes of output" + hint);
  }
  if (produced >= cap) throw tooLarge(file, "decompresses to", maxBytes);
  output.resize(produced);
  return output;
}

}  // namespace

bool isGzip(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == kGzipMagic0 && bytes[1] == kGzipMagic1;
}

std::vector<std::uint8_t> readFileBytes(const std::filesystem::path& file, std::string_view missingHint,
                                        std::size_t maxBytes) {
  std::vector<std::uint8_t> bytes = readRaw(file, missingHint, maxBytes);
  return isGzip(bytes) ? gunzip(bytes, file, maxBytes) : bytes;
}

std::size_t defaultMaxFileBytes() { return static_cast<std::size_t>(model::physicalMemoryBytes() / 4); }

}  // namespace actsweep::data
