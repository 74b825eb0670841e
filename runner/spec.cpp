#include "runner/spec.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/errors.hpp"
#include "runner/spec_yaml.hpp"

namespace actsweep::runner {

namespace {

// One line of text: control characters (a quoted "a\nb" is two lines) as
// escapes, and at most `limit` characters of what the user wrote.
std::string printable(std::string_view text, std::size_t limit = 300) {
  std::string result;
  for (const char c : specyaml::shortened(text, limit)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      result += c;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      result += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
    } else {
      result += fmt::format("\\x{:02x}", byte);
    }
  }
  return result;
}

}  // namespace

std::string SpecError::format() const {
  std::string text = printable(file);
  if (line > 0) text += fmt::format(":{}:{}", line, column);
  text += ": ";
  if (!keyPath.empty()) text += printable(keyPath, 120) + ": ";
  text += printable(message);
  // Not `" (" + printable(hint)`: a literal + std::string&& trips GCC 12's -Wrestrict (a false positive).
  if (!hint.empty()) {
    text += " (";
    text += printable(hint);
    text += ")";
  }
  return text;
}

namespace {

std::string joinLines(const std::vector<SpecError>& errors) {
  std::string text;
  for (const SpecError& error : errors) {
    if (!text.empty()) text += '\n';
    text += error.format();
  }
  return text;
}

}  // namespace

SpecErrors::SpecErrors(std::vector<SpecError> errors)
    : UserError(joinLines(errors)), errors_(std::move(errors)) {}

std::vector<std::string> SpecErrors::lines(const std::string&) const {
  std::vector<std::string> lines;
  for (const SpecError& error : errors_) lines.push_back(error.format());
  return lines;
}

SweepSpec parseSpec(const std::string& path, const std::vector<std::string>& overrides) {
  const auto cannotRead = [&](const std::string& why) {
    return SpecErrors(
        {SpecError{path, 0, 0, "", "cannot read: " + why, "give the path of a .yaml sweep file"}});
  };
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw cannotRead("it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cannotRead(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw cannotRead(std::strerror(errno));
  return parseSpecText(text.str(), path, overrides);
}

}  // namespace actsweep::runner
