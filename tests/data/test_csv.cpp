#include <catch2/catch.hpp>
#include <chrono>

#include "model/data/csv.hpp"
#include "model/data/dataset.hpp"
#include "test_files.hpp"

using namespace actsweep::data;
using namespace actsweep::data::testing;
using Catch::Matchers::Contains;

namespace {

std::filesystem::path writeCsv(const TempDir& dir, const std::string& name, const std::string& text) {
  writeText(dir / name, text);
  return dir / name;
}

}  // namespace

TEST_CASE("csv: a header is detected and the label is the last column by default", "[data][csv]") {
  TempDir dir;
  const auto file = writeCsv(dir, "iris.csv", "length,width,species\n1.5,2,0\n-3,4e1,2\n");
  const CsvTable table = readCsv(file, "", false);
  CHECK(table.header == std::vector<std::string>{"length", "width", "species"});
  CHECK(table.columns == 3);
  CHECK(table.labelColumn == 2);
  CHECK(table.classes == 3);
  REQUIRE(table.split.features.rows() == 2);
  REQUIRE(table.split.size() == 2);
  CHECK(table.split.features(0, 0) == 1.5f);
  CHECK(table.split.features(1, 0) == 2.0f);
  CHECK(table.split.features(0, 1) == -3.0f);
  CHECK(table.split.features(1, 1) == 40.0f);
  CHECK(table.split.targets(0, 0) == 0.0f);
  CHECK(table.split.targets(0, 1) == 2.0f);
}

TEST_CASE("csv: without a header, the label by index", "[data][csv]") {
  TempDir dir;
  const auto file = writeCsv(dir, "plain.csv", "1,0.5,7\n0, 1.5 ,8\n");
  const CsvTable table = readCsv(file, "0", false);
  CHECK(table.header.empty());
  CHECK(table.labelColumn == 0);
  CHECK(table.classes == 2);
  CHECK(table.split.features(0, 1) == 1.5f);  // spaces around a field are ignored
  CHECK(table.split.features(1, 1) == 8.0f);
  CHECK(table.split.targets(0, 0) == 1.0f);
}

TEST_CASE("csv: the label by header name; CRLF, blank lines and quotes", "[data][csv]") {
  TempDir dir;
  const auto file = writeCsv(dir, "crlf.csv", "\"y\",a,b\r\n1,2,3\r\n\r\n0,5,6\r\n\r\n\r\n");
  const CsvTable table = readCsv(file, "y", false);
  CHECK(table.labelColumn == 0);
  REQUIRE(table.split.size() == 2);
  CHECK(table.split.features(0, 1) == 5.0f);
  CHECK(table.split.features(1, 1) == 6.0f);
  CHECK(table.split.targets(0, 1) == 0.0f);
}

TEST_CASE("csv: regression keeps the label as a value", "[data][csv]") {
  TempDir dir;
  const auto file = writeCsv(dir, "reg.csv", "x,y\n1,-0.25\n2,3.5\n");
  const CsvTable table = readCsv(file, "", true);
  CHECK(table.classes == 0);
  CHECK(table.split.targets(0, 0) == -0.25f);
  CHECK(table.split.targets(0, 1) == 3.5f);

  DataConfig config;
  config.source = Source::Csv;
  config.path = file.string();
  config.csvRegression = true;
  config.testFraction = 0;
  config.validation = 0;
  config.normalize = Normalize::None;
  const auto data = loadDataset(config);
  CHECK(data->task == Task::Regression);
  CHECK(data->classes == 0);
  CHECK(data->outputs() == 1);
  CHECK(data->train.size() == 2);
}

TEST_CASE("csv: a gzipped file reads the same", "[data][csv]") {
  TempDir dir;
  const std::string text = "a,b\n1,0\n2,1\n";
  writeGzip(dir / "data.csv.gz", Bytes(text.begin(), text.end()));
  const CsvTable table = readCsv(dir / "data.csv.gz", "b", false);
  CHECK(table.split.size() == 2);
  CHECK(table.classes == 2);
}

TEST_CASE("csv: every error names file, line and column", "[data][csv]") {
  TempDir dir;
  SECTION("non-numeric field") {
    const auto file = writeCsv(dir, "bad.csv", "a,b,c\n1,2,3\n4,five,6\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false),
                        Contains("bad.csv:3:3:") && Contains("'five' is not a number"));
  }
  SECTION("empty field") {
    const auto file = writeCsv(dir, "bad.csv", "1,2,3\n4,,6\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false), Contains("bad.csv:2:3:") && Contains("field 2 is empty"));
  }
  SECTION("too few fields") {
    const auto file = writeCsv(dir, "bad.csv", "a,b,c\n1,2,3\n4,5\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false),
                        Contains("bad.csv:3:4:") && Contains("2 fields but the first row has 3"));
  }
  SECTION("too many fields") {
    const auto file = writeCsv(dir, "bad.csv", "1,2,3\n4,5,6,7\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false),
                        Contains("bad.csv:2:7:") && Contains("4 fields but the first row has 3"));
  }
  SECTION("empty file") {
    const auto file = writeCsv(dir, "empty.csv", "\n\r\n  \n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false), Contains("empty.csv") && Contains("empty file"));
  }
  SECTION("header without data") {
    const auto file = writeCsv(dir, "head.csv", "a,b\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false), Contains("head.csv:1") && Contains("no data rows"));
  }
  SECTION("one column") {
    const auto file = writeCsv(dir, "one.csv", "1\n2\n");
    REQUIRE_THROWS_WITH(readCsv(file, "", false),
                        Contains("one.csv:1:1") && Contains("at least one feature"));
  }
  SECTION("unknown label name lists the columns") {
    const auto file = writeCsv(dir, "named.csv", "alpha,beta,gamma\n1,2,3\n");
    REQUIRE_THROWS_WITH(readCsv(file, "delta", false),
                        Contains("named.csv:1") && Contains("'delta'") && Contains("alpha, beta, gamma"));
  }
  SECTION("label index out of range") {
    const auto file = writeCsv(dir, "named.csv", "1,2,3\n");
    REQUIRE_THROWS_WITH(readCsv(file, "3", false),
                        Contains("named.csv") && Contains("out of range") && Contains("0..2"));
  }
  SECTION("label name without a header") {
    const auto file = writeCsv(dir, "plain.csv", "1,2,3\n");
    REQUIRE_THROWS_WITH(readCsv(file, "y", false), Contains("plain.csv") && Contains("no header"));
  }
  SECTION("labels that are not class indices") {
    const auto fraction = writeCsv(dir, "frac.csv", "1,2,0.5\n");
    REQUIRE_THROWS_WITH(readCsv(fraction, "", false),
                        Contains("frac.csv:1:5:") && Contains("'0.5' is not a class index") &&
                            Contains("turn on the regression setting") && !Contains("csvRegression"));
    const auto large = writeCsv(dir, "large.csv", "1,2,100000\n");
    REQUIRE_THROWS_WITH(readCsv(large, "", false), Contains("too large for a class index") &&
                                                       Contains("regression setting") &&
                                                       !Contains("csvRegression"));
    const auto negative = writeCsv(dir, "neg.csv", "1,2,-1\n");
    REQUIRE_THROWS_WITH(readCsv(negative, "", false),
                        Contains("neg.csv:1:5:") && Contains("not a class index"));
  }
  SECTION("missing file") {
    REQUIRE_THROWS_WITH(readCsv(dir / "absent.csv", "", false),
                        Contains("absent.csv") && Contains("no such file"));
  }
}

TEST_CASE("csv: NaN and infinite cells are refused as such, naming the cell", "[data][csv]") {
  TempDir dir;
  for (const std::string cell : {"nan", "NaN", "inf", "-inf"}) {
    const auto file = writeCsv(dir, "nan.csv", "a,b,y\n1,2,0\n3," + cell + ",1\n");
    INFO(cell);
    REQUIRE_THROWS_AS(readCsv(file, "", false), DataError);
    REQUIRE_THROWS_WITH(readCsv(file, "", false),
                        Contains("nan.csv:3:3:") && Contains("'" + cell + "' is not a finite number"));
  }
}

TEST_CASE("csv: hostile files give short messages: a 1 MB field, a 10^5-column header", "[data][csv]") {
  TempDir dir;
  const std::string huge(1'000'000, 'x');
  const auto field = writeCsv(dir, "field.csv", "a,b,y\n1,2,0\n3," + huge + ",1\n");
  try {
    readCsv(field, "", false);
    FAIL("a 1 MB non-numeric field was accepted");
  } catch (const DataError& e) {
    const std::string message = e.what();
    CHECK_THAT(message,
               Contains("field.csv:3:3:") && Contains("(1000000 bytes)") && Contains("is not a number"));
    CHECK(message.size() < 300);
  }

  std::string header, row;
  for (int c = 0; c < 100'000; ++c) {
    header += (c ? ",column" : "column") + std::to_string(c);
    row += c ? ",1" : "1";
  }
  const auto wide = writeCsv(dir, "wide.csv", header + "\n" + row + "\n");
  try {
    readCsv(wide, "absent", false);
    FAIL("an unknown label column was accepted");
  } catch (const DataError& e) {
    const std::string message = e.what();
    CHECK_THAT(message,
               Contains("'absent' is not in the header") && Contains("column19, ... (100000 columns)"));
    CHECK(message.size() < 600);
  }
  // The same wide file reads, in well under the bound (it takes ~0.1 s).
  const auto start = std::chrono::steady_clock::now();
  const CsvTable table = readCsv(wide, "", true);
  CHECK(table.split.features.rows() == 99'999);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("csv: a separate test file must have the same columns", "[data][csv]") {
  TempDir dir;
  const auto train = writeCsv(dir, "train.csv", "a,b,y\n1,2,0\n3,4,1\n5,6,1\n");
  DataConfig config;
  config.source = Source::Csv;
  config.path = train.string();
  config.csvLabel = std::string("y");
  config.validation = 0;
  config.normalize = Normalize::None;

  // A test file without a header takes the label column the training header named.
  config.testPath = writeCsv(dir, "test.csv", "7,8,2\n").string();
  const auto data = loadDataset(config);
  CHECK(data->name == std::string("csv:").append(train.string()));
  CHECK(data->train.size() == 3);
  REQUIRE(data->test.size() == 1);
  CHECK(data->test.features(1, 0) == 8.0f);
  CHECK(data->classes == 3);  // label 2 appears only in the test file

  config.testPath = writeCsv(dir, "narrow.csv", "a,y\n7,0\n").string();
  REQUIRE_THROWS_WITH(loadDataset(config),
                      Contains("narrow.csv") && Contains("2 columns") && Contains("train.csv has 3"));
  config.testPath = writeCsv(dir, "narrow-plain.csv", "7,0\n").string();
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("narrow-plain.csv") && Contains("2 columns") &&
                                               Contains("column 2 of the training file"));
  config.testPath = writeCsv(dir, "renamed.csv", "a,c,y\n1,2,0\n").string();
  REQUIRE_THROWS_WITH(loadDataset(config), Contains("renamed.csv") && Contains("differs"));
}
