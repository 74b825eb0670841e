// Expansion of a SweepSpec into runs: counts, order, excludes, collapsing,
// random draws, canonical JSON and run keys. Specs are built by hand so that
// these tests do not depend on the YAML parser.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "runner/expand.hpp"

using namespace actsweep::runner;
using Catch::Matchers::Contains;

namespace {

SweepSpec defaultSpec() {
  SweepSpec spec;
  spec.file = "test.yaml";
  spec.name = "test";
  spec.base = defaultSettings();
  spec.seeds = {0};
  return spec;
}

Axis axis(std::string key, std::vector<Value> values) { return Axis{std::move(key), std::move(values)}; }

std::vector<std::string> keysOf(const Expansion& expansion) {
  std::vector<std::string> keys;
  for (const RunConfig& run : expansion.runs) keys.push_back(run.runKey);
  return keys;
}

const AxisCount& countOf(const Expansion& expansion, const std::string& key) {
  const auto it = std::find_if(expansion.counts.begin(), expansion.counts.end(),
                               [&](const AxisCount& count) { return count.key == key; });
  REQUIRE(it != expansion.counts.end());
  return *it;
}

}  // namespace

TEST_CASE("expand: the grid is a cartesian product, first axis slowest, seeds fastest", "[expand]") {
  SweepSpec spec = defaultSpec();
  spec.base["model.activation"] = "leaky_relu";
  spec.grid = {axis("model.alpha", {0.01, 0.1, 0.3}), axis("model.init", {"he_normal", "xavier_normal"})};
  spec.seeds = {0, 1};
  const Expansion e = expand(spec);
  CHECK(e.points == 12);
  CHECK(e.collapsed == 0);
  CHECK(e.excluded == 0);
  REQUIRE(e.runs.size() == 12);
  CHECK(e.runs[0].settings.at("model.alpha") == 0.01);
  CHECK(e.runs[0].settings.at("model.init") == "he_normal");
  CHECK(e.runs[0].seed == 0);
  CHECK(e.runs[1].seed == 1);
  CHECK(e.runs[1].settings.at("model.init") == "he_normal");
  CHECK(e.runs[2].settings.at("model.init") == "xavier_normal");
  CHECK(e.runs[4].settings.at("model.alpha") == 0.1);
  CHECK(e.runs[11].settings.at("model.alpha") == 0.3);
  CHECK(e.runs[11].settings.at("seed") == 1);
  const std::vector<std::string> keys = keysOf(e);
  CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == 12);
  CHECK(e.sweptKeys == std::vector<std::string>{"model.alpha", "model.init"});
}

TEST_CASE("expand: a zip group advances together and crosses the grid", "[expand]") {
  SweepSpec spec = defaultSpec();
  spec.grid = {axis("model.activation", {"relu", "tanh"})};
  spec.zips = {{axis("model.hidden", {Value::array({8}), Value::array({16, 16}), Value::array({4, 4, 4})}),
                axis("train.lr", {0.1, 0.05, 0.01})}};
  const Expansion e = expand(spec);
  CHECK(e.points == 6);
  REQUIRE(e.runs.size() == 6);
  for (const RunConfig& run : e.runs) {
    const auto depth = run.settings.at("model.hidden").size();
    const double lr = run.settings.at("train.lr").get<double>();
    CHECK(lr == (depth == 1 ? 0.1 : depth == 2 ? 0.05 : 0.01));
  }
  CHECK(e.runs[0].settings.at("model.activation") == "relu");
  CHECK(e.runs[3].settings.at("model.activation") == "tanh");
  CHECK(e.sweptKeys == std::vector<std::string>{"model.activation", "model.hidden", "train.lr"});
}

TEST_CASE("expand: seeds multiply every point, as a count or a list", "[expand]") {
  SweepSpec spec = defaultSpec();
  spec.grid = {axis("model.init", {"he_normal", "xavier_normal"})};
  spec.seeds = {0, 1, 2};
  CHECK(expand(spec).runs.size() == 6);
  spec.seeds = {7, 42};
  const Expansion e = expand(spec);
  REQUIRE(e.runs.size() == 4);
  CHECK(e.runs[0].seed == 7);
  CHECK(e.runs[1].seed == 42);
  CHECK(e.runs[1].settings.at("seed") == 42);
  spec.seeds = {};
  CHECK(expand(spec).runs.empty());
}

TEST_CASE("expand: excludes remove points, a list meaning any of its values", "[expand]") {
  SweepSpec spec = defaultSpec();
  spec.grid = {axis("model.activation", {"relu", "leaky_relu", "elu"}),
               axis("model.norm", {"none", "batch", "layer"})};

  SECTION("every key of one mapping must match") {
    spec.excludes = {{{"model.activation", "elu"}, {"model.norm", "batch"}}};
    const Expansion e = expand(spec);
    CHECK(e.points == 9);
    CHECK(e.excluded == 1);
    CHECK(e.runs.size() == 8);
    for (const RunConfig& run : e.runs)
      CHECK_FALSE((run.settings.at("model.activation") == "elu" && run.settings.at("model.norm") == "batch"));
  }
  SECTION("a list in an exclude is any of its values") {
    spec.excludes = {{{"model.activation", Value::array({"relu", "elu"})}, {"model.norm", "layer"}}};
    const Expansion e = expand(spec);
    CHECK(e.excluded == 2);
    CHECK(e.runs.size() == 7);
  }
  SECTION("several excludes each remove their points") {
    spec.excludes = {{{"model.activation", "relu"}}, {{"model.norm", "none"}}};
    CHECK(expand(spec).runs.size() == 4);  // {leaky_relu, elu} x {batch, layer}
  }
  SECTION("excludes see settings that do not apply to the run") {
    spec.grid.push_back(axis("model.alpha", {0.01, 0.1}));
    spec.excludes = {{{"model.activation", "relu"}, {"model.alpha", 0.1}}};
    const Expansion e = expand(spec);
    CHECK(e.points == 18);
    CHECK(e.excluded == 3);   // relu x 3 norms at alpha 0.1
    CHECK(e.collapsed == 0);  // relu's alpha 0.01 points remain, one per norm
    CHECK(e.runs.size() == 15);
  }
  SECTION("an exclude's numbers compare by value: 1 matches 1.0") {
    spec.grid = {axis("model.activation", {"leaky_relu"}), axis("model.alpha", {1.0, 0.5})};
    spec.excludes = {{{"model.alpha", 1}}};
    const Expansion e = expand(spec);
    REQUIRE(e.runs.size() == 1);
    CHECK(e.runs[0].settings.at("model.alpha") == 0.5);
  }
  SECTION("for model.hidden a list of integers is the value, a list of lists any of them") {
    spec.grid = {axis("model.hidden", {Value::array({8}), Value::array({16, 16}), Value::array({4, 4, 4})})};
    spec.excludes = {{{"model.hidden", Value::array({16, 16})}}};
    CHECK(expand(spec).runs.size() == 2);
    spec.excludes = {{{"model.hidden", Value::array({Value::array({8}), Value::array({4, 4, 4})})}}};
    const Expansion e = expand(spec);
    REQUIRE(e.runs.size() == 1);
    CHECK(e.runs[0].settings.at("model.hidden") == Value::array({16, 16}));
  }
}

TEST_CASE("expand: settings that do not apply are dropped, so duplicates collapse", "[expand]") {
  SECTION("3 alphas x {relu, leaky_relu} is 4 runs") {
    SweepSpec spec = defaultSpec();
    spec.grid = {axis("model.activation", {"relu", "leaky_relu"}), axis("model.alpha", {0.01, 0.1, 0.3})};
    const Expansion e = expand(spec);
    CHECK(e.points == 6);
    CHECK(e.collapsed == 2);
    REQUIRE(e.runs.size() == 4);
    CHECK(e.runs[0].settings.count("model.alpha") == 0);  // relu: no alpha in its config
    CHECK(e.runs[0].settings.at("model.activation") == "relu");
    CHECK(e.runs[1].settings.at("model.alpha") == 0.01);
    const AxisCount& alpha = countOf(e, "model.alpha");
    CHECK(alpha.notApplicable == 1);
    REQUIRE(alpha.values.size() == 3);
    for (const auto& [value, runs] : alpha.values) CHECK(runs == 1);
    const AxisCount& activation = countOf(e, "model.activation");
    CHECK(activation.values[0].second == 1);
    CHECK(activation.values[1].second == 3);
  }
  SECTION("momentum does not apply to adam") {
    SweepSpec spec = defaultSpec();
    spec.grid = {axis("train.optimizer", {"sgd", "adam"}), axis("train.momentum", {0.9, 0.5})};
    const Expansion e = expand(spec);
    CHECK(e.collapsed == 1);
    REQUIRE(e.runs.size() == 3);
    CHECK(e.runs[2].settings.at("train.optimizer") == "adam");
    CHECK(e.runs[2].settings.count("train.momentum") == 0);
    CHECK(e.runs[2].settings.count("train.beta1") == 1);
  }
  SECTION("collapsing keeps seeds apart") {
    SweepSpec spec = defaultSpec();
    spec.grid = {axis("model.activation", {"tanh"}), axis("model.alpha", {0.01, 0.1})};
    spec.seeds = {0, 1, 2};
    const Expansion e = expand(spec);
    CHECK(e.points == 6);
    REQUIRE(e.runs.size() == 3);
    CHECK(e.runs[0].seed == 0);
    CHECK(e.runs[2].seed == 2);
  }
}

TEST_CASE("expand: every run carries every applicable setting, defaults included", "[expand]") {
  const Expansion e = expand(defaultSpec());
  REQUIRE(e.runs.size() == 1);
  const Settings& settings = e.runs[0].settings;
  CHECK(settings == applicableOnly([] {
          Settings s = defaultSettings();
          s["seed"] = 0;
          return s;
        }()));
  CHECK(settings.count("train.epochs") == 1);
  CHECK(settings.count("model.alpha") == 0);  // the default activation is relu
}

TEST_CASE("expand: random samples are reproducible and within their ranges", "[expand]") {
  SweepSpec spec = defaultSpec();
  spec.base["model.activation"] = "leaky_relu";
  RandomSpec random;
  random.samples = 40;
  random.seed = 11;
  random.axes = {{"train.lr", RandomAxis::Kind::LogUniform, 1e-4, 1e-1, {}},
                 {"model.alpha", RandomAxis::Kind::Uniform, 0.0, 0.5, {}},
                 {"model.init", RandomAxis::Kind::Choice, 0, 1, {"he_normal", "xavier_normal", "rai"}},
                 {"train.batch_size", RandomAxis::Kind::LogUniform, 16, 256, {}}};
  spec.random = random;
  spec.seeds = {0, 1};

  const Expansion e = expand(spec);
  CHECK(e.points == 80);
  REQUIRE(e.runs.size() == 80);
  std::set<double> rates;
  for (const RunConfig& run : e.runs) {
    const double lr = run.settings.at("train.lr").get<double>();
    CHECK(lr >= 1e-4);
    CHECK(lr <= 1e-1);
    rates.insert(lr);
    const double alpha = run.settings.at("model.alpha").get<double>();
    CHECK(alpha >= 0.0);
    CHECK(alpha <= 0.5);
    const Value& batch = run.settings.at("train.batch_size");
    CHECK(batch.is_number_integer());  // an integer setting draws integers
    CHECK(batch.get<long>() >= 16);
    CHECK(batch.get<long>() < 256);
    const std::string init = run.settings.at("model.init");
    CHECK((init == "he_normal" || init == "xavier_normal" || init == "rai"));
  }
  CHECK(rates.size() == 40);  // one draw per sample, shared by the seeds
  CHECK(e.runs[0].settings.at("train.lr") == e.runs[1].settings.at("train.lr"));
  // Log-uniform: about as many draws below the geometric middle (3.16e-3) as above.
  const auto below =
      std::count_if(rates.begin(), rates.end(), [](double lr) { return lr < std::sqrt(1e-4 * 1e-1); });
  CHECK(below > 8);
  CHECK(below < 32);

  CHECK(keysOf(expand(spec)) == keysOf(e));  // the same seed draws the same values
  SweepSpec other = spec;
  other.random->seed = 12;
  CHECK(keysOf(expand(other)) != keysOf(e));
  // Draws are per setting: removing another random axis does not move them.
  SweepSpec fewer = spec;
  fewer.random->axes.erase(fewer.random->axes.begin() + 1);
  const Expansion f = expand(fewer);
  for (std::size_t i = 0; i < e.runs.size(); ++i)
    CHECK(f.runs[i].settings.at("train.lr") == e.runs[i].settings.at("train.lr"));
  const AxisCount& init = countOf(e, "model.init");
  REQUIRE(init.values.size() == 3);
  for (const auto& [value, runs] : init.values) CHECK(runs > 0);  // 40 draws of 3 names: each drawn
  CHECK(std::find(e.sweptKeys.begin(), e.sweptKeys.end(), "train.lr") != e.sweptKeys.end());
}

TEST_CASE("expand: the canonical JSON is sorted, compact and normalized by setting type", "[expand]") {
  const Settings settings = {{"train.lr", 0.1},     {"model.activation", "elu"},
                             {"model.alpha", 1},    {"model.hidden", Value::array({8.0, 4})},
                             {"train.epochs", 3.0}, {"seed", 5}};
  CHECK(
      canonicalJsonOf(settings) ==
      R"({"model.activation":"elu","model.alpha":1.0,"model.hidden":[8,4],"seed":5,"train.epochs":3,"train.lr":0.1})");

  Settings same = settings;
  same["model.alpha"] = 1.0;
  same["train.lr"] = 1e-1;
  same["model.hidden"] = Value::array({8, 4});
  same["train.epochs"] = 3;
  CHECK(runKeyOf(canonicalJsonOf(same)) == runKeyOf(canonicalJsonOf(settings)));

  CHECK(normalizedValue("model.alpha", -0.0).dump() == "0.0");
  CHECK(normalizedValue("model.alpha", 2).is_number_float());
  CHECK(normalizedValue("train.epochs", 2.0).is_number_integer());
  CHECK(normalizedValue("train.epochs", 2.5)
            .is_number_float());  // not an integer: left for the checks to refuse
  CHECK(normalizedValue("seed", 3) == 3);

  // In a sweep: an alpha written as 1 and one written as 1.0 are one run.
  SweepSpec spec = defaultSpec();
  spec.grid = {axis("model.activation", {"elu"}), axis("model.alpha", {1, 1.0, 0.1, 1e-1})};
  const Expansion e = expand(spec);
  CHECK(e.runs.size() == 2);
  CHECK(e.collapsed == 2);
}

TEST_CASE("expand: run keys are FNV-1a 64 of the canonical JSON, pinned by golden values", "[expand]") {
  // FNV-1a 64 reference vectors: the empty string is the offset basis.
  CHECK(runKeyOf("") == "cbf29ce484222325");
  CHECK(runKeyOf("a") == "af63dc4c8601ec8c");
  CHECK(runKeyOf("foobar") == "85944171f73967e8");

  // GOLDEN: every results database stores run keys computed this way. If this
  // value changes, every stored database's runs stop matching their specs
  // (a resumed sweep would run everything again). Change it only with a
  // migration, and say so in docs/run-identity.md.
  const Settings fixed = {{"data.dataset", "fashion-mnist"},
                          {"model.activation", "leaky_relu"},
                          {"model.alpha", 0.01},
                          {"model.hidden", Value::array({64, 64})},
                          {"train.epochs", 5},
                          {"train.lr", 0.05},
                          {"train.nesterov", false},
                          {"seed", 3}};
  const std::string json = canonicalJsonOf(fixed);
  CHECK(
      json ==
      R"({"data.dataset":"fashion-mnist","model.activation":"leaky_relu","model.alpha":0.01,"model.hidden":[64,64],)"
      R"("seed":3,"train.epochs":5,"train.lr":0.05,"train.nesterov":false})");
  CHECK(runKeyOf(json) == "b50116296ab71333");
}

TEST_CASE("expand: a sweep over the limit is refused before it is built", "[expand]") {
  SweepSpec spec = defaultSpec();
  std::vector<Value> alphas, lrs;
  for (int i = 0; i < 10; ++i) alphas.push_back(0.01 * (i + 1));
  for (int i = 0; i < 50; ++i) lrs.push_back(0.001 * (i + 1));
  spec.grid = {axis("model.alpha", alphas), axis("train.lr", lrs)};
  spec.seeds = {0, 1};  // 10 x 50 x 2 = 1000 points
  CHECK_THROWS_AS(expand(spec, 999), SweepTooLarge);
  CHECK_THROWS_WITH(expand(spec, 999), Contains("1000 points") && Contains("999") && Contains("--max-runs"));
  CHECK(expand(spec, 1000).points == 1000);

  // A product past 2^63 is reported, not wrapped.
  std::vector<Value> many;
  for (int i = 0; i < 100000; ++i) many.push_back(i + 1);
  spec.grid = {axis("train.epochs", many), axis("train.batch_size", many), axis("data.train_size", many),
               axis("diagnostics.probe_size", many)};
  CHECK_THROWS_WITH(expand(spec), Contains("2e+20 points"));

  // Under a raised --max-runs, no more than the machine's memory: 2 x 10^15
  // points are refused with the arithmetic (they were a std::bad_alloc).
  spec.grid = {axis("train.epochs", many), axis("train.batch_size", many), axis("data.train_size", many)};
  CHECK_THROWS_WITH(expand(spec, std::numeric_limits<long>::max()),
                    Contains("2000000000000000 x 4096 bytes") && Contains("more than this machine's"));
}

TEST_CASE("expand: each run's canonical JSON and key are canonicalJsonOf and runKeyOf of its settings",
          "[expand]") {
  // expand writes the JSON directly from normalized values; it must be the same bytes.
  SweepSpec spec = defaultSpec();
  spec.grid = {axis("model.activation", {"relu", "leaky_relu", "rrelu"}), axis("model.alpha", {1, 0.5, -0.0}),
               axis("model.hidden", {Value::array({8}), Value::array({16.0, 16})})};
  spec.random = RandomSpec{3, 7, {RandomAxis{"model.dropout", RandomAxis::Kind::Uniform, -0.5, 0.5, {}}}};
  spec.seeds = {0, 5};
  const Expansion e = expand(spec);
  REQUIRE(e.runs.size() > 20);
  for (const RunConfig& run : e.runs) {
    CHECK(run.canonicalJson == canonicalJsonOf(run.settings));
    CHECK(run.runKey == runKeyOf(run.canonicalJson));
  }
}
