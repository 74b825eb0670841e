// `report --vs` (issue 16, item 2): one paired comparison per group of --by,
// runs without a partner counted and named, Holm's correction over the
// comparisons shown, and Cohen's d_z; on a synthetic database whose
// expectations are worked by hand below.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "../temp_dir.hpp"
#include "results/report.hpp"
#include "results/statistics.hpp"
#include "results/store.hpp"

using namespace actsweep;
using namespace actsweep::results;
using actsweep::testing::TempDatabase;
using Catch::Matchers::Contains;

namespace {

// Differences leaky_relu - relu per seed 0..2, in 64ths (exact in a double,
// so no rounding makes or breaks a tie):
//   norm=none:  1, 3, 5 -> mean 3/64, sd 2/64, d_z 1.5, t = 1.5 sqrt(3)
//   norm=batch: 1, 2, 9 -> mean 4/64, sd sqrt(19)/64, d_z 4/sqrt(19), t = 4 sqrt(3/19)
const double kNone[] = {1, 3, 5};
const double kBatch[] = {1, 2, 9};

struct Planned {
  std::string activation, norm;
  int seed;
  double accuracy;
};

// relu and leaky_relu (alpha 0.1) x norm none, batch x seeds 0..2, relu at
// 0.5 + seed/8; plus two relu runs with no leaky_relu partner: norm=batch
// seed 3 and norm=layer seed 0 (a group with one side only).
std::vector<Planned> planned() {
  std::vector<Planned> runs;
  for (const char* norm : {"none", "batch"})
    for (int seed = 0; seed < 3; ++seed) {
      const double relu = 0.5 + seed / 8.0;
      const double difference = (std::string(norm) == "none" ? kNone : kBatch)[seed] / 64.0;
      runs.push_back({"relu", norm, seed, relu});
      runs.push_back({"leaky_relu", norm, seed, relu + difference});
    }
  runs.push_back({"relu", "batch", 3, 0.9});
  runs.push_back({"relu", "layer", 0, 0.7});
  return runs;
}

void fill(const std::string& path) {
  Store store(path);
  const std::int64_t sweepId = store.recordSweep({"t", "spec", "0123456789abcdef", "[]", "host", "v", "rev"});
  const std::vector<Planned> plan = planned();
  std::vector<RunToAdd> runs;
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    nlohmann::json config = {{"model.activation", plan[i].activation},
                             {"model.norm", plan[i].norm},
                             {"model.hidden", {4}},
                             {"data.dataset", "xor"},
                             {"train.epochs", 1},
                             {"seed", plan[i].seed}};
    if (plan[i].activation == "leaky_relu") config["model.alpha"] = 0.1;
    runs.push_back({"run" + std::to_string(100 + i) + "000000000", config, 1});
    keys.push_back(runs.back().runKey);
  }
  store.addRuns(sweepId, runs);
  store.setClaimableKeys(keys);
  std::vector<RunRecord> records;
  for (const ClaimedRun& claimed : store.claim(100, {"host", 1, 60}, false)) {
    const Planned* run = nullptr;
    for (const Planned& candidate : plan)
      if (claimed.config["model.activation"] == candidate.activation &&
          claimed.config["model.norm"] == candidate.norm && claimed.config["seed"] == candidate.seed)
        run = &candidate;
    REQUIRE(run);
    RunRecord record;
    record.runId = claimed.runId;
    record.result.epochsCompleted = 1;
    record.result.final.epoch = 1;
    record.result.final.testAccuracy = run->accuracy;
    record.startedAt = record.finishedAt = isoUtcNow();
    records.push_back(record);
  }
  REQUIRE(records.size() == plan.size());
  store.finish(records);
}

// Two-sided p of Student's t with 2 degrees of freedom in closed form:
// F(t) = 1/2 + t / (2 sqrt(2 + t^2)), so p = 1 - |t| / sqrt(2 + t^2).
double tPTwoDegrees(double t) { return 1.0 - std::fabs(t) / std::sqrt(2.0 + t * t); }

}  // namespace

TEST_CASE("holmAdjusted: Holm's step-down worked by hand", "[stats][holm]") {
  // sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> running max 0.06
  const std::vector<double> adjusted = holmAdjusted({0.01, 0.04, 0.03, 0.005});
  REQUIRE(adjusted.size() == 4);
  CHECK(adjusted[0] == Approx(0.03));
  CHECK(adjusted[1] == Approx(0.06));
  CHECK(adjusted[2] == Approx(0.06));
  CHECK(adjusted[3] == Approx(0.02));
  // capped at 1; one p is its own family; NaN is no member (m = 2 here)
  CHECK(holmAdjusted({0.3, 0.6}) == std::vector<double>{0.6, 0.6});
  CHECK(holmAdjusted({0.7}) == std::vector<double>{0.7});
  const std::vector<double> withNaN = holmAdjusted({0.2, std::nan(""), 0.1});
  CHECK(withNaN[0] == Approx(0.2));
  CHECK(std::isnan(withNaN[1]));
  CHECK(withNaN[2] == Approx(0.2));
  CHECK(holmAdjusted({}).empty());
}

TEST_CASE("comparePaired: Cohen's d_z is the mean difference over the sd of the differences", "[stats]") {
  // differences 1, 2, 2, 0, 2: mean 1.4, sd sqrt(0.8)
  const PairedComparison c = comparePaired({1, 2, 3, 4, 5}, {2, 4, 5, 4, 7});
  CHECK(c.sdDifference == Approx(std::sqrt(0.8)));
  CHECK(c.effectDz == Approx(1.4 / std::sqrt(0.8)));
  CHECK(std::isnan(comparePaired({1}, {2}).effectDz));
  CHECK(std::isnan(comparePaired({1, 2}, {1, 2}).effectDz));  // 0 / 0
}

TEST_CASE("report --vs --by: one paired comparison per group, Holm over the family", "[db][report][vs]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.vs = "activation=relu,activation=leaky_relu";
  options.by = {"norm"};
  const VsReport report = compareSides(file.path, options);
  CHECK(report.by == std::vector<std::string>{"norm"});
  // Groups in key order: batch, then none; layer has no leaky_relu run, no row.
  REQUIRE(report.rows.size() == 2);
  const PairedRow &batch = report.rows[0], &none = report.rows[1];
  CHECK(batch.group == std::vector<nlohmann::json>{"batch"});
  CHECK(none.group == std::vector<nlohmann::json>{"none"});
  CHECK(batch.context == "model.alpha=0.1");
  CHECK(batch.comparison.n == 3);  // seed 3 has no partner
  CHECK(none.comparison.n == 3);

  CHECK(none.comparison.meanDifference == Approx(3.0 / 64));
  CHECK(none.comparison.sdDifference == Approx(2.0 / 64));
  CHECK(none.comparison.effectDz == Approx(1.5));
  const double tNone = 1.5 * std::sqrt(3.0);
  CHECK(none.comparison.tStatistic == Approx(tNone));
  // CI: mean -+ t(0.975, 2) sd / sqrt(3), t(0.975, 2) = 4.302653
  CHECK(none.comparison.ciLow == Approx(3.0 / 64 - 4.302653 * (2.0 / 64) / std::sqrt(3.0)).epsilon(1e-5));
  CHECK(batch.comparison.meanDifference == Approx(4.0 / 64));
  CHECK(batch.comparison.effectDz == Approx(4.0 / std::sqrt(19.0)));
  const double tBatch = 4.0 * std::sqrt(3.0 / 19.0);
  CHECK(batch.comparison.tStatistic == Approx(tBatch));

  // Raw p from the closed form; Holm over m = 2: the smaller p (none,
  // 0.1217) doubled is 0.2434, the larger (batch, 0.2529) times 1 stays.
  const double pNone = tPTwoDegrees(tNone), pBatch = tPTwoDegrees(tBatch);
  CHECK(pNone == Approx(0.121690).epsilon(1e-4));
  CHECK(none.comparison.tPValue == Approx(pNone));
  CHECK(batch.comparison.tPValue == Approx(pBatch));
  CHECK(none.tPHolm == Approx(2 * pNone));
  CHECK(batch.tPHolm == Approx(std::max(2 * pNone, pBatch)));
  // Wilcoxon, 3 positive differences without ties: exact p = 2 / 2^3 = 0.25
  // each; Holm: 0.25 * 2 = 0.5, then max(0.5, 0.25) = 0.5.
  CHECK(none.comparison.wilcoxonPValue == Approx(0.25));
  CHECK(none.wilcoxonPHolm == Approx(0.5));
  CHECK(batch.wilcoxonPHolm == Approx(0.5));

  // The two relu runs without a partner, by group.
  REQUIRE(report.unpaired.size() == 2);
  CHECK(report.unpaired[0].group == std::vector<nlohmann::json>{"batch"});
  CHECK(report.unpaired[0].a == 1);
  CHECK(report.unpaired[0].b == 0);
  CHECK(report.unpaired[0].runs == std::vector<std::string>{"activation=relu norm=batch seed=3"});
  CHECK(report.unpaired[1].group == std::vector<nlohmann::json>{"layer"});
  CHECK(report.unpaired[1].runs == std::vector<std::string>{"activation=relu norm=layer seed=0"});
}

TEST_CASE("report --vs without --by pools the groups, still pairs on every setting", "[db][report][vs]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.vs = "activation=relu,activation=leaky_relu";
  const VsReport report = compareSides(file.path, options);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].group.empty());
  CHECK(report.rows[0].comparison.n == 6);  // never a relu of one norm with a leaky_relu of another
  CHECK(report.rows[0].comparison.meanDifference == Approx((1 + 3 + 5 + 1 + 2 + 9) / 6.0 / 64));
  CHECK(report.rows[0].tPHolm == report.rows[0].comparison.tPValue);  // a family of one
  REQUIRE(report.unpaired.size() == 1);
  CHECK(report.unpaired[0].a == 2);
  CHECK(report.unpaired[0].b == 0);
  CHECK(report.unpaired[0].runs ==
        std::vector<std::string>{"activation=relu norm=batch seed=3", "activation=relu norm=layer seed=0"});
}

TEST_CASE("report --vs refuses a --by that would split the sides", "[db][report][vs]") {
  TempDatabase file;
  fill(file.path);
  ReportOptions options;
  options.vs = "activation=relu,activation=leaky_relu";
  options.by = {"activation"};
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("cannot group by the setting --vs compares"));
  options.by = {"model.activation"};
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("cannot group by the setting --vs compares"));
  options.by = {"alpha"};  // only leaky_relu has it: already the context
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("only the runs with activation=leaky_relu"));
  options.by = {"colour"};
  CHECK_THROWS_WITH(compareSides(file.path, options), Contains("unknown --by column"));
  // A group where one side has no run at all: every run of it is unpaired.
  options.by = {"norm"};
  options.where = {"norm = layer"};
  const VsReport layer = compareSides(file.path, options);
  CHECK(layer.rows.empty());
  CHECK_THAT(layer.noPairs, Contains("no done run with activation=leaky_relu"));
}
