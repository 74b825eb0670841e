// Learning-rate schedules against values worked out by hand.

#include <catch2/catch.hpp>
#include <limits>
#include <stdexcept>

#include "model/lr_schedule.hpp"

namespace actsweep::model {
namespace {

LrSchedule stepSchedule(double baseLr, int stepEpochs, double gamma) {
  LrSchedule schedule;
  schedule.kind = ScheduleKind::Step;
  schedule.baseLr = baseLr;
  schedule.stepEpochs = stepEpochs;
  schedule.gamma = gamma;
  return schedule;
}

LrSchedule cosineSchedule(double baseLr, int totalEpochs, double minLr) {
  LrSchedule schedule;
  schedule.kind = ScheduleKind::Cosine;
  schedule.baseLr = baseLr;
  schedule.totalEpochs = totalEpochs;
  schedule.minLr = minLr;
  return schedule;
}

}  // namespace

TEST_CASE("schedule names parse, and an unknown name lists the allowed ones", "[schedule]") {
  CHECK(parseSchedule("constant") == ScheduleKind::Constant);
  CHECK(parseSchedule("step") == ScheduleKind::Step);
  CHECK(parseSchedule("cosine") == ScheduleKind::Cosine);
  CHECK(nameOf(scheduleNames(), ScheduleKind::Cosine) == "cosine");
  REQUIRE_THROWS_AS(parseSchedule("cosin"), ConfigError);
  REQUIRE_THROWS_WITH(parseSchedule("cosin"),
                      Catch::Contains("allowed") && Catch::Contains("constant, step, cosine"));
}

TEST_CASE("constant schedule: base lr at every epoch", "[schedule]") {
  LrSchedule schedule;
  schedule.baseLr = 0.05;
  CHECK(schedule.at(0) == 0.05);
  CHECK(schedule.at(7) == 0.05);
  CHECK(schedule.at(1000) == 0.05);
}

TEST_CASE("step schedule: base * gamma^floor(epoch / stepEpochs)", "[schedule]") {
  const LrSchedule schedule = stepSchedule(0.1, 3, 0.5);
  CHECK(schedule.at(0) == Approx(0.1));
  CHECK(schedule.at(2) == Approx(0.1));   // floor(2/3) = 0
  CHECK(schedule.at(3) == Approx(0.05));  // floor(3/3) = 1: 0.1 * 0.5
  CHECK(schedule.at(5) == Approx(0.05));
  CHECK(schedule.at(6) == Approx(0.025));                  // 0.1 * 0.5^2
  CHECK(schedule.at(9) == Approx(0.0125));                 // 0.1 * 0.5^3
  CHECK(stepSchedule(0.1, 3, 1.0).at(30) == Approx(0.1));  // gamma 1: no decay
}

TEST_CASE("cosine schedule: min + (base-min)(1 + cos(pi epoch/total))/2", "[schedule]") {
  // base 0.1, min 0.01, total 4: (base-min) = 0.09, cos(pi/4) = 0.7071068.
  const LrSchedule schedule = cosineSchedule(0.1, 4, 0.01);
  CHECK(schedule.at(0) == Approx(0.1));                     // (1 + 1)/2 = 1
  CHECK(schedule.at(1) == Approx(0.0868198));               // 0.01 + 0.09 * 1.7071068/2
  CHECK(schedule.at(2) == Approx(0.055));                   // 0.01 + 0.09 * 1/2
  CHECK(schedule.at(3) == Approx(0.0231802));               // 0.01 + 0.09 * 0.2928932/2
  CHECK(schedule.at(4) == Approx(0.01));                    // (1 - 1)/2 = 0
  CHECK(schedule.at(10) == Approx(0.01));                   // past the end: stays at min
  CHECK(cosineSchedule(0.2, 2, 0.0).at(1) == Approx(0.1));  // halfway to 0
}

TEST_CASE("a negative epoch is a caller's bug", "[schedule]") {
  CHECK_THROWS_AS(LrSchedule{}.at(-1), std::out_of_range);
}

TEST_CASE("validate rejects schedule settings out of range", "[schedule]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_NOTHROW(validate(LrSchedule{}));
  CHECK_NOTHROW(validate(stepSchedule(0.1, 1, 1.0)));
  CHECK_NOTHROW(validate(cosineSchedule(0.1, 1, 0.1)));  // min = base is allowed

  for (double baseLr : {0.0, -0.01, nan, inf}) {
    LrSchedule schedule;
    schedule.baseLr = baseLr;
    CHECK_THROWS_WITH(validate(schedule), Catch::Contains("base lr") && Catch::Contains("allowed"));
  }
  CHECK_THROWS_WITH(validate(stepSchedule(0.1, 0, 0.5)), Catch::Contains("step epochs"));
  for (double gamma : {0.0, -0.5, 1.5, nan})
    CHECK_THROWS_WITH(validate(stepSchedule(0.1, 3, gamma)), Catch::Contains("gamma"));
  CHECK_THROWS_WITH(validate(cosineSchedule(0.1, 0, 0.0)), Catch::Contains("total epochs"));
  for (double minLr : {-0.001, 0.2, nan})
    CHECK_THROWS_WITH(validate(cosineSchedule(0.1, 10, minLr)), Catch::Contains("min lr"));
}

}  // namespace actsweep::model
