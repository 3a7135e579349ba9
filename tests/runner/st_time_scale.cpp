// --time-scale's mapping between scenario time and real time: exact integer
// arithmetic, rounded so that waiting for the real image of a scenario
// deadline always reaches that deadline.

#include <boost/test/unit_test.hpp>

#include "runner/time_scale.hpp"

using mqttsim::Duration;
using mqttsim::runner::TimeScale;

BOOST_AUTO_TEST_SUITE(st_time_scale)

BOOST_AUTO_TEST_CASE(real_time_is_the_identity) {
  const TimeScale scale;
  BOOST_TEST(scale.to_real(Duration::from_us(1'234'567)).count_us() == 1'234'567);
  BOOST_TEST(scale.to_scenario(Duration::from_us(1'234'567)).count_us() == 1'234'567);
}

BOOST_AUTO_TEST_CASE(ten_times_faster_runs_a_ten_second_wait_in_one) {
  const TimeScale scale{10'000};
  BOOST_TEST(scale.to_real(Duration::from_s(10)).count_us() == 1'000'000);
  BOOST_TEST(scale.to_scenario(Duration::from_s(1)).count_us() == 10'000'000);
}

BOOST_AUTO_TEST_CASE(half_speed_stretches) {
  const TimeScale scale{500};
  BOOST_TEST(scale.to_real(Duration::from_s(1)).count_us() == 2'000'000);
  BOOST_TEST(scale.to_scenario(Duration::from_s(2)).count_us() == 1'000'000);
}

BOOST_AUTO_TEST_CASE(rounding_never_stops_short_of_a_deadline) {
  // 3x: 1 us of scenario time is a third of a real microsecond; the real
  // deadline rounds up, and mapping it back lands at or after the scenario
  // deadline, never before it.
  const TimeScale scale{3'000};
  for (std::int64_t us = 0; us < 50; ++us) {
    const Duration real = scale.to_real(Duration::from_us(us));
    BOOST_TEST(scale.to_scenario(real).count_us() >= us);
    BOOST_TEST(scale.to_scenario(real - Duration::from_us(1)).count_us() < us);  // and no later
  }
}

BOOST_AUTO_TEST_CASE(the_longest_scenario_does_not_overflow) {
  const TimeScale slowest{TimeScale::per_mille_min};
  const Duration longest = Duration::from_s(4'294'967'295);
  BOOST_TEST(slowest.to_real(longest).count_us() == longest.count_us() * 1'000);
  BOOST_TEST(TimeScale{TimeScale::per_mille_max}.to_real(longest).count_us() ==
             longest.count_us() / 1'000);
}

BOOST_AUTO_TEST_CASE(factors_out_of_range_are_refused) {
  BOOST_CHECK_THROW(TimeScale{0}, std::invalid_argument);
  BOOST_CHECK_THROW(TimeScale{TimeScale::per_mille_max + 1}, std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
