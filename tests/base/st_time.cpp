#include <boost/test/unit_test.hpp>

#include "base/time.hpp"

using mqttsim::Duration;
using mqttsim::TimePoint;

BOOST_AUTO_TEST_SUITE(st_time)

BOOST_AUTO_TEST_CASE(units_convert_to_microseconds) {
  BOOST_TEST(Duration::from_s(3).count_us() == 3'000'000);
  BOOST_TEST(Duration::from_ms(7).count_us() == 7'000);
  BOOST_TEST((Duration::from_s(1) + Duration::from_ms(500)).count_us() == 1'500'000);
  BOOST_TEST((Duration::from_s(10) * 3 / 2).count_us() == 15'000'000);
}

BOOST_AUTO_TEST_CASE(time_points_and_durations_combine) {
  const TimePoint start = TimePoint::from_us(250);
  const TimePoint later = start + Duration::from_ms(2);
  BOOST_TEST(later.since_origin_us() == 2'250);
  BOOST_TEST((later - start).count_us() == 2'000);
  BOOST_TEST(start < later);
}

BOOST_AUTO_TEST_CASE(printed_as_seconds_with_microsecond_precision) {
  BOOST_TEST(mqttsim::to_string(Duration::from_us(1'204'500)) == "1.204500s");
  BOOST_TEST(mqttsim::to_string(Duration::from_us(-5)) == "-0.000005s");
  BOOST_TEST(mqttsim::to_string(TimePoint::from_us(42)) == "0.000042s");
}

BOOST_AUTO_TEST_SUITE_END()
