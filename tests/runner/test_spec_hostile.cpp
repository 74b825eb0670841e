// Hostile and careless sweep files: alias bombs, deep nesting, huge grids,
// long and binary text, and a deterministic random-mutation fuzz of the
// shipped and bad sweep files. Each must be read and expanded quickly, or
// refused with one line; nothing else may escape (issue 14).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "runner/expand.hpp"
#include "runner/spec.hpp"

using namespace actsweep::runner;
using actsweep::testing::readText;
using Catch::Matchers::Contains;

namespace {

const std::filesystem::path kSourceDir = ACTSWEEP_SOURCE_DIR;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The errors of reading and expanding `text` as validate does, or none.
std::vector<SpecError> errorsOf(const std::string& text, long maxRuns = kDefaultMaxRuns,
                                const std::vector<std::string>& overrides = {}) {
  try {
    expand(parseSpecText(text, "sweep.yaml", overrides), maxRuns);
  } catch (const SpecErrors& e) {
    return e.errors();
  }
  return {};
}

// `levels` levels of aliases, each a list of `width` uses of the one before:
// width^levels nodes once expanded, a few hundred bytes as text.
std::string aliasBomb(const std::string& key, int levels, int width) {
  std::string text = "name: bomb\n" + key + ":\n  a0: &a0 [x]\n";
  for (int level = 1; level <= levels; ++level) {
    text += "  a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < width; ++i) text += (i ? ", *a" : "*a") + std::to_string(level - 1);
    text += "]\n";
  }
  return text;
}

std::string numbers(int count, double step) {
  std::string list = "[";
  for (int i = 0; i < count; ++i) list += (i ? ", " : "") + std::to_string(step * (i + 1));
  return list + "]";
}

}  // namespace

TEST_CASE("an alias bomb is refused at once, wherever it is", "[spec][hostile]") {
  // 9^9 = 387 million nodes expanded: any walk of the tree would take minutes.
  for (const std::string key : {"junk", "description", "grid", "model"}) {
    INFO(key);
    const auto start = std::chrono::steady_clock::now();
    const auto errors = errorsOf(aliasBomb(key, 9, 9));
    CHECK(secondsSince(start) < 5);  // well under 0.1 s; generous for a loaded machine
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 2);
    CHECK(errors[0].column == 1);
    CHECK_THAT(errors[0].format(), Contains("aliases expand to more than 100000 nodes"));
  }
  // A few aliases of reasonable size are fine.
  CHECK(errorsOf("name: ok\ngrid:\n  model.alpha: &a [0.1, 0.2]\n  train.momentum: *a\n").empty());
}

TEST_CASE("nesting beyond yaml-cpp's depth limit is refused, not a stack overflow", "[spec][hostile]") {
  // yaml-cpp 0.7 throws DeepRecursion past depth ~500, for flow and block nesting alike.
  const std::string flow = "name: deep\nx: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  std::string mapping = "name: deep\nx: ", block = "name: deep\nx:\n  ";
  for (int depth = 0; depth < 4000; ++depth) mapping += "{a: ", block += "- ";
  mapping += std::string(4000, '}') + "\n";
  block += "leaf\n";
  for (const std::string* text : std::vector<const std::string*>{&flow, &mapping, &block}) {
    const auto errors = errorsOf(*text);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0].message, Contains("nested too deeply"));
  }
}

TEST_CASE("a sweep over the default --max-runs is refused from its sizes, at once", "[expand][hostile]") {
  // 100 x 100 x 100 = 10^6 points: under the old default, it took 27 s and 4 GB to expand.
  const std::string million =
      "name: million\nmodel: {activation: leaky_relu}\ngrid:\n  train.lr: " + numbers(100, 0.001) +
      "\n  model.alpha: " + numbers(100, 0.001) + "\n  train.momentum: " + numbers(100, 0.005) + "\n";
  const SweepSpec spec = parseSpecText(million, "million.yaml");
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(expand(spec), Contains("1000000 points") && Contains("limit of 20000 runs") &&
                                      Contains("--max-runs 1000000"));
  // 10^9 points, and 10^6 seeds of 10^9 points: the product is refused before anything is built.
  SweepSpec huge = spec;
  huge.grid.push_back(Axis{"train.epochs", std::vector<Value>(1000, Value(3))});
  huge.seeds.resize(1000000);
  CHECK_THROWS_WITH(expand(huge), Contains("1000000000000000 points"));
  CHECK(secondsSince(start) < 5);  // milliseconds

  // The default is one the machine expands quickly: 20,000 points.
  const std::string fifteen =
      "name: fifteen-thousand\nmodel: {activation: leaky_relu}\ngrid:\n  train.lr: " + numbers(150, 0.001) +
      "\n  model.alpha: " + numbers(100, 0.001) + "\n";
  start = std::chrono::steady_clock::now();
  CHECK(expand(parseSpecText(fifteen, "f.yaml")).runs.size() == 15000);
  CHECK(secondsSince(start) < 10);  // about 0.3 s on the 2-core build machine
}

TEST_CASE("the shipped studies validate under the default --max-runs", "[expand][hostile]") {
  for (const auto& folder : {kSourceDir / "experiments", kSourceDir / "experiments" / "studies"})
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().extension() != ".yaml") continue;
      INFO(entry.path().string());
      CHECK_NOTHROW(expand(parseSpec(entry.path().string())));
    }
  // The largest sweep the studies run: born_dead with 313 seeds, 10016 runs.
  const Expansion bornDead =
      expand(parseSpec((kSourceDir / "experiments" / "born_dead.yaml").string(), {"seeds=313"}));
  CHECK(bornDead.runs.size() == 10016);
}

TEST_CASE("an exclude that matches no point is a warning at the exclude", "[expand][hostile]") {
  const std::string text = R"(name: excludes
grid: {model.activation: [relu, elu], model.norm: [none, batch]}
exclude:
  - {model.activation: elu, model.norm: batch}
  - {model.activation: selu}
)";
  const Expansion expansion = expand(parseSpecText(text, "sweep.yaml"));
  CHECK(expansion.runs.size() == 3);
  REQUIRE(expansion.warnings.size() == 1);
  CHECK(
      expansion.warnings[0].format() ==
      "sweep.yaml:5:5: warning: exclude[1] matches no point of the sweep, so it removes nothing (compare its "
      "values with those of grid, zip and random, or remove it)");
  // A spec built by hand, without positions, still names the exclude.
  SweepSpec spec = parseSpecText(text, "sweep.yaml");
  spec.excludePlaces.clear();
  CHECK(expand(spec).warnings.at(0).format() ==
        "sweep.yaml: warning: exclude[1] matches no point of the sweep, "
        "so it removes nothing (compare its values with those of grid, zip "
        "and random, or remove it)");
}

TEST_CASE("a file too large to be a sweep file is refused before it is parsed", "[spec][hostile]") {
  const std::string text = "name: big\ndescription: " + std::string(300000, 'x') + "\n";
  const auto errors = errorsOf(text);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].format(), Contains("300024 bytes, more than the 262144 a sweep file may have"));
}

TEST_CASE("an error line is one line: control characters escaped, long text cut", "[spec][hostile]") {
  auto errors = errorsOf("name: \"two\\nlines\\u0007\"\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].format() ==
        "sweep.yaml:1:7: name: 'two\\nlines\\x07' is not a valid name (it names the results "
        "file results/<name>.db: letters, digits, '-', '_' and '.', e.g. name: dying-relu)");
  errors = errorsOf("name: long\nmodel: {activation: " + std::string(100000, 'r') + "}\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].format().size() < 400);
  CHECK_THAT(errors[0].format(), Contains("unknown value 'rrrr") && Contains("...'"));
}

// ---- the fuzz ----------------------------------------------------------------

namespace {

std::vector<std::string> fuzzSeeds() {
  std::vector<std::string> texts;
  for (const auto& folder : {kSourceDir / "experiments", kSourceDir / "experiments" / "studies",
                             kSourceDir / "tests" / "data" / "bad-specs"})
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().extension() == ".yaml") texts.push_back(readText(entry.path()));
  std::sort(texts.begin(), texts.end());  // directory order is not fixed; the cases must be
  return texts;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// One random change of `text`: lines deleted, duplicated or swapped; bytes,
// long runs, deep brackets, aliases, huge numbers or tags inserted.
std::string mutate(const std::string& text, std::mt19937_64& rng) {
  const auto below = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  std::vector<std::string> lines = linesOf(text);
  if (lines.empty()) lines.push_back("");
  const std::size_t at = below(lines.size());
  std::string& line = lines[at];
  const std::size_t column = below(line.size() + 1);
  static const std::vector<std::string> snippets = {"&a ",
                                                    "*a",
                                                    "&b [1, 2]",
                                                    " *b",
                                                    "<<: *a",
                                                    "!!str ",
                                                    "!!binary ",
                                                    "!foo ",
                                                    "!!map ",
                                                    "~",
                                                    "null",
                                                    "1e999999",
                                                    "-99999999999999999999",
                                                    ".nan",
                                                    "-.inf",
                                                    "0x1F",
                                                    "[",
                                                    "]",
                                                    "{",
                                                    "}",
                                                    ": ",
                                                    "- ",
                                                    "? ",
                                                    "'",
                                                    "\"",
                                                    "#",
                                                    "|",
                                                    ">",
                                                    "---\n",
                                                    "...\n",
                                                    "\t",
                                                    "é",
                                                    "\xef\xbb\xbf",
                                                    "%YAML 1.2\n",
                                                    "seeds: 100000",
                                                    "grid: {model.alpha: [0.1, 0.2]}",
                                                    "exclude: [{model.activation: relu}]",
                                                    "zip: [{train.lr: [0.1]}]"};
  switch (below(10)) {
    case 0:
      lines.erase(lines.begin() + static_cast<long>(at));
      break;
    case 1:
      lines.insert(lines.begin() + static_cast<long>(at), line);
      break;
    case 2:
      std::swap(line, lines[below(lines.size())]);
      break;
    case 3: {  // random bytes, NUL and 0xff included
      std::string bytes;
      for (std::size_t n = 1 + below(4); n-- > 0;) bytes += static_cast<char>(below(256));
      line.insert(column, bytes);
      break;
    }
    case 4:  // a very long run of one character (rarely: it is the slowest case)
      line.insert(column, std::string(below(20) == 0 ? 100000 : 1 + below(300), "ax9 [{-:"[below(8)]));
      break;
    case 5: {  // deep nesting
      const std::size_t depth = below(4) == 0 ? 10000 : 1 + below(600);
      const bool flow = below(2) == 0;
      line.insert(column, std::string(depth, flow ? '[' : '{') + std::string(depth, flow ? ']' : '}'));
      break;
    }
    case 6:
      line.insert(column, std::to_string(rng()) + std::string(below(40), '9') + (below(2) ? ".5e308" : ""));
      break;
    default:
      line.insert(column, snippets[below(snippets.size())]);
      break;
  }
  return joinLines(lines);
}

}  // namespace

TEST_CASE("fuzz: mutated sweep files are read and expanded quickly, or refused with one-line errors",
          "[spec][fuzz]") {
  const std::vector<std::string> seeds = fuzzSeeds();
  REQUIRE(seeds.size() >= 40);
  std::mt19937_64 rng(14);  // fixed: the same cases every run
  constexpr int kCases = 3000;
  const auto start = std::chrono::steady_clock::now();
  double slowest = 0;
  int refused = 0;
  for (int i = 0; i < kCases; ++i) {
    std::string text = seeds[rng() % seeds.size()];
    for (std::size_t n = 1 + rng() % 3; n-- > 0;) text = mutate(text, rng);
    INFO("case " << i << ":\n" << text.substr(0, 2000));
    const auto caseStart = std::chrono::steady_clock::now();
    try {
      expand(parseSpecText(text, "fuzz.yaml"), 2000);
    } catch (const SpecErrors& e) {
      ++refused;
      REQUIRE_FALSE(e.errors().empty());
      for (const SpecError& error : e.errors()) REQUIRE(error.format().find('\n') == std::string::npos);
    } catch (const SweepTooLarge&) {
      ++refused;
    } catch (const std::exception& e) {
      FAIL("unexpected exception: " << e.what());
    }
    const double seconds = secondsSince(caseStart);
    slowest = std::max(slowest, seconds);
    REQUIRE(seconds < 2);  // each well under 0.1 s; generous for a loaded machine
  }
  INFO("slowest case: " << slowest << " s; " << refused << " of " << kCases << " refused");
  CHECK(refused > kCases / 4);      // the mutations do reach the checks
  CHECK(refused < kCases);          // and some files survive them
  CHECK(secondsSince(start) < 60);  // a few seconds
}
