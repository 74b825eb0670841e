#include "model/data/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "model/data/file_reader.hpp"
#include "model/format.hpp"

namespace actsweep::data {
namespace {

// A label above this is more likely a value column than a class index, and
// would silently build an output layer of that width.
constexpr double kMaxClasses = 100000;

// More columns than this is not a table of features (and would overflow the
// int widths of the network); 10^6 columns still read, in well under a second.
constexpr std::size_t kMaxColumns = 10'000'000;

using model::excerpt;  // file text in messages: a 1 MB field is not echoed whole

// The header's names for a message: the first 20, then how many more.
std::string headerText(const std::vector<std::string>& header) {
  constexpr std::size_t kShown = 20;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < std::min(header.size(), kShown); ++i) names.push_back(excerpt(header[i]));
  std::string text = model::joined(names);
  if (header.size() > kShown) text += ", ... (" + std::to_string(header.size()) + " columns)";
  return text;
}

struct Field {
  std::string_view text;  // trimmed, outer quotes removed
  int column;             // 1-based character column of the field's first character, for messages
};

std::string_view trim(std::string_view text) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<Field> splitFields(std::string_view line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = std::min(line.find(',', start), line.size());
    const std::string_view raw = line.substr(start, comma - start);
    const std::size_t leading = std::min(raw.find_first_not_of(" \t"), raw.size());
    std::string_view text = trim(raw);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    fields.push_back({text, static_cast<int>(start + leading) + 1});
    if (comma == line.size()) return fields;
    start = comma + 1;
  }
}

// A number written the way from_chars reads it, with an optional '+' (finite or not: see parseNumber).
bool parseAnyNumber(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// A finite number: NaN and infinities cannot be trained on.
bool parseNumber(std::string_view text, double& value) {
  return parseAnyNumber(text, value) && std::isfinite(value);
}

bool isIndex(std::string_view text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int resolveLabel(const std::string& file, int lineNumber, const std::vector<std::string>& header, int columns,
                 std::string_view label, int fallback) {
  if (label.empty()) return columns - 1;
  const auto named = std::find(header.begin(), header.end(), label);
  if (named != header.end()) return static_cast<int>(named - header.begin());
  if (isIndex(label)) {
    const int index = std::stoi(std::string(label));
    if (index >= columns)
      throw DataError(file + ": label column " + std::string(label) + " is out of range: the file has " +
                      std::to_string(columns) + " columns (indices 0.." + std::to_string(columns - 1) + ")");
    return index;
  }
  if (!header.empty())
    throw DataError(file + ":" + std::to_string(lineNumber) + ": label column '" + excerpt(label) +
                    "' is not in the header (columns: " + headerText(header) + ")");
  if (fallback >= columns)
    throw DataError(file + ": " + std::to_string(columns) + " columns, but the label column '" +
                    excerpt(label) + "' is column " + std::to_string(fallback) +
                    " of the training file (0-based); the files must have the same columns");
  if (fallback >= 0) return fallback;
  throw DataError(file + ": label column '" + excerpt(label) +
                  "' is a name but the file has no header (its first row is all numbers); give a 0-based "
                  "column index instead");
}

// Field c (0-based) of a row as a number: every field must be a finite
// number; a class label also a non-negative integer below kMaxClasses.
// "FILE:LINE:COL:" is built only for an error message, never per field read.
double fieldValue(const Field& field, int c, bool classLabel, bool afterHeader, const std::string& file,
                  int lineNumber) {
  const auto at = [&] {
    return file + ":" + std::to_string(lineNumber) + ":" + std::to_string(field.column) + ": ";
  };
  double value;
  if (field.text.empty())
    throw DataError(at() + "field " + std::to_string(c + 1) + " is empty; every field must be a number");
  if (parseAnyNumber(field.text, value) && !std::isfinite(value))
    throw DataError(at() + "field " + std::to_string(c + 1) + " '" + excerpt(field.text) +
                    "' is not a finite number; NaN and infinities cannot be trained on: fill in or drop "
                    "the row");
  if (!parseNumber(field.text, value))
    throw DataError(at() + "field " + std::to_string(c + 1) + " '" + excerpt(field.text) +
                    "' is not a number" + (afterHeader ? "" : " (only the first row may be a header)"));
  if (!classLabel) return value;
  if (value < 0 || value != std::floor(value))
    throw DataError(at() + "label '" + excerpt(field.text) +
                    "' is not a class index (a non-negative integer); if the label column holds values "
                    "to predict, turn on the regression setting");
  if (value >= kMaxClasses)
    throw DataError(at() + "label " + model::formatNumber(value) +
                    " is too large for a class index (at most " + model::formatNumber(kMaxClasses - 1) +
                    "); if the label column holds values to predict, turn on the regression setting");
  return value;
}

}  // namespace

CsvTable readCsv(const std::filesystem::path& path, std::string_view label, bool regression,
                 int fallbackLabelColumn) {
  const std::string file = path.string();
  const std::vector<std::uint8_t> bytes = readFileBytes(path);
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());

  CsvTable table;
  std::vector<Scalar> features;  // sample after sample: the column-major (features x N) layout
  std::vector<Scalar> labels;
  double largestLabel = -1;
  int headerLine = 0;
  bool sawFirstRow = false;

  std::size_t lineStart = 0;
  for (int lineNumber = 1; lineStart < text.size(); ++lineNumber) {
    const std::size_t lineEnd = std::min(text.find('\n', lineStart), text.size());
    std::string_view line = text.substr(lineStart, lineEnd - lineStart);
    lineStart = lineEnd + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const std::vector<Field> fields = splitFields(line);
    // "FILE:LINE:": built only for an error message, never per field read.
    const auto where = [&] { return file + ":" + std::to_string(lineNumber) + ":"; };

    if (fields.size() > kMaxColumns)
      throw DataError(where() + "1: " + std::to_string(fields.size()) + " fields; at most " +
                      std::to_string(kMaxColumns) + " columns are supported (is it a CSV table?)");
    if (!sawFirstRow) {
      sawFirstRow = true;
      table.columns = static_cast<int>(fields.size());
      if (table.columns < 2)
        throw DataError(where() + "1: the first row has 1 field; a CSV dataset needs at least one feature " +
                        "and a label, separated by commas");
      double unused;
      const bool isHeader = std::any_of(fields.begin(), fields.end(),
                                        [&](const Field& field) { return !parseNumber(field.text, unused); });
      if (isHeader)
        for (const Field& field : fields) table.header.emplace_back(field.text);
      table.labelColumn =
          resolveLabel(file, lineNumber, table.header, table.columns, label, fallbackLabelColumn);
      if (isHeader) {
        headerLine = lineNumber;
        continue;
      }
    }

    if (static_cast<int>(fields.size()) != table.columns) {
      const bool tooMany = static_cast<int>(fields.size()) > table.columns;
      const int column = tooMany ? fields[static_cast<std::size_t>(table.columns)].column
                                 : static_cast<int>(line.size()) + 1;
      throw DataError(where() + std::to_string(column) + ": " + std::to_string(fields.size()) +
                      " fields but the first row has " + std::to_string(table.columns));
    }
    for (int c = 0; c < table.columns; ++c) {
      const Field& field = fields[static_cast<std::size_t>(c)];
      const bool isLabel = c == table.labelColumn;
      const double value = fieldValue(field, c, isLabel && !regression, headerLine != 0, file, lineNumber);
      if (!isLabel) {
        features.push_back(static_cast<Scalar>(value));
        continue;
      }
      if (!regression) largestLabel = std::max(largestLabel, value);
      labels.push_back(static_cast<Scalar>(value));
    }
  }

  if (!sawFirstRow) throw DataError(file + ": empty file (no rows); a CSV dataset needs a row per sample");
  if (labels.empty())
    throw DataError(file + ":" + std::to_string(headerLine) + ": no data rows after the header");

  const auto count = static_cast<Eigen::Index>(labels.size());
  table.split.features = Eigen::Map<const Matrix>(features.data(), table.columns - 1, count);
  table.split.targets = Eigen::Map<const Matrix>(labels.data(), 1, count);
  table.classes = regression ? 0 : static_cast<int>(largestLabel) + 1;
  return table;
}

RawData loadCsvDataset(const DataConfig& config) {
  if (config.path.empty()) throw DataError("path: csv needs the path of its training file");
  CsvTable train = readCsv(config.path, config.csvLabel, config.csvRegression);

  RawData raw;
  raw.name = "csv:" + config.path;
  raw.task = config.csvRegression ? Task::Regression : Task::Classification;
  raw.classes = train.classes;
  if (!config.testPath.empty()) {
    CsvTable test = readCsv(config.testPath, config.csvLabel, config.csvRegression, train.labelColumn);
    if (test.columns != train.columns)
      throw DataError(config.testPath + ": " + std::to_string(test.columns) +
                      " columns but the training file " + config.path + " has " +
                      std::to_string(train.columns));
    if (!test.header.empty() && !train.header.empty() && test.header != train.header)
      throw DataError(config.testPath + ": header (" + headerText(test.header) +
                      ") differs from the training file's (" + headerText(train.header) + ")");
    // The output width must cover every label the network is scored on.
    raw.classes = std::max(raw.classes, test.classes);
    raw.test = std::move(test.split);
  }
  raw.train = std::move(train.split);
  return raw;
}

}  // namespace actsweep::data
