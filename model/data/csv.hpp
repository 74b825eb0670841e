#pragma once
// Numeric CSV files: one sample per line, comma-separated numbers, one column
// the label. A first row with any non-numeric field is a header. CRLF line
// ends and blank lines are accepted; quotes around a whole field are removed,
// but quoted commas are not supported. The file may be gzipped.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/data/data_config.hpp"
#include "model/data/raw_data.hpp"

namespace actsweep::data {

struct CsvTable {
  Split split;  // features (columns - 1 x N) in file order without the label; targets (1 x N)
  std::vector<std::string> header;  // the column names; empty when the file has no header
  int columns = 0;                  // fields per row, label included
  int labelColumn = 0;              // 0-based
  int classes = 0;                  // largest label + 1; 0 for regression
};

// label: a header name, or else a 0-based column index; empty = the last
// column. regression: the label is a value, not a class index.
// fallbackLabelColumn: the column to use when `label` is a name and this file
// has no header (a test file whose training file has one); -1 makes that an error.
// Throws DataError "file:line:column: what is wrong" for an empty file, a
// header without data, a non-numeric or empty field, a row with the wrong
// number of fields, an unknown label column (listing the available ones) and
// a classification label that is not a non-negative integer.
CsvTable readCsv(const std::filesystem::path& file, std::string_view label, bool regression,
                 int fallbackLabelColumn = -1);

// config.path (and config.testPath when set, with the same columns) as a dataset named "csv:<path>".
RawData loadCsvDataset(const DataConfig& config);

}  // namespace actsweep::data
