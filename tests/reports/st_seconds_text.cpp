#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "reports/seconds_text.hpp"

using mqttsim::Duration;
using mqttsim::reports::seconds_text;
using mqttsim::reports::wall_time;

BOOST_AUTO_TEST_SUITE(st_seconds_text)

BOOST_AUTO_TEST_CASE(exact_decimal_seconds_with_trailing_zeros_trimmed) {
  BOOST_TEST(seconds_text(Duration::zero()) == "0.0");
  BOOST_TEST(seconds_text(Duration::from_s(3)) == "3.0");
  BOOST_TEST(seconds_text(Duration::from_ms(12'500)) == "12.5");
  BOOST_TEST(seconds_text(Duration::from_us(1)) == "0.000001");
  BOOST_TEST(seconds_text(Duration::from_us(1'000'010)) == "1.00001");
  BOOST_TEST(seconds_text(Duration::from_us(-250'000)) == "-0.25");
  BOOST_TEST(seconds_text(Duration::from_us(std::numeric_limits<std::int64_t>::max())) ==
             "9223372036854.775807");
  BOOST_TEST(seconds_text(Duration::from_us(std::numeric_limits<std::int64_t>::min())) ==
             "-9223372036854.775808");
}

BOOST_AUTO_TEST_CASE(wall_times_round_to_microseconds) {
  BOOST_TEST(wall_time(0.0042)->count_us() == 4'200);
  BOOST_TEST(wall_time(1.0000004)->count_us() == 1'000'000);
  BOOST_TEST(wall_time(1.0000006)->count_us() == 1'000'001);
  BOOST_TEST(wall_time(-2.5)->count_us() == -2'500'000);
}

BOOST_AUTO_TEST_CASE(wall_times_that_are_not_numbers_or_too_large_are_refused) {
  BOOST_TEST(!wall_time(std::nan("")));
  BOOST_TEST(!wall_time(std::numeric_limits<double>::infinity()));
  BOOST_TEST(!wall_time(-std::numeric_limits<double>::infinity()));
  BOOST_TEST(!wall_time(1e13));  // 1e19 microseconds does not fit an int64
  BOOST_TEST(wall_time(1e12).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
