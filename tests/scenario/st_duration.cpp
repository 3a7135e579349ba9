// Durations and loss rates are parsed exactly from their decimal digits.

#include <boost/test/unit_test.hpp>

#include "scenario/units.hpp"

using namespace mqttsim;
using mqttsim::scenario::parse_duration;
using mqttsim::scenario::parse_loss_ppm;

namespace {

std::int64_t us(std::string_view text) {
  const auto parsed = parse_duration(text);
  if (!parsed) BOOST_FAIL(std::string{text} << ": " << parsed.error());
  return parsed->count_us();
}

std::string error_of(std::string_view text) {
  const auto parsed = parse_duration(text);
  BOOST_REQUIRE_MESSAGE(!parsed.has_value(), std::string{text} << " parsed");
  return parsed.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_duration)

BOOST_AUTO_TEST_CASE(every_unit) {
  BOOST_TEST(us("250us") == 250);
  BOOST_TEST(us("500ms") == 500'000);
  BOOST_TEST(us("3s") == 3'000'000);
  BOOST_TEST(us("2m") == 120'000'000);
  BOOST_TEST(us("1h") == 3'600'000'000);
  BOOST_TEST(us("0") == 0);
  BOOST_TEST(us("000") == 0);
  BOOST_TEST(us("0s") == 0);
}

BOOST_AUTO_TEST_CASE(fractions_are_exact) {
  BOOST_TEST(us("1.5s") == 1'500'000);
  BOOST_TEST(us("0.000001s") == 1);
  BOOST_TEST(us("1.0000010s") == 1'000'001);  // trailing zeros past the microsecond are fine
  BOOST_TEST(us("2.5ms") == 2'500);
  BOOST_TEST(us("0.25h") == 900'000'000);
  BOOST_TEST(us("1.5m") == 90'000'000);
  BOOST_TEST(us("0.1s") == 100'000);  // no binary rounding: 0.1 is not 0.099999...
}

BOOST_AUTO_TEST_CASE(the_limit_is_2_to_the_32_seconds) {
  BOOST_TEST(us("4294967295s") == 4'294'967'295'000'000);
  BOOST_TEST(error_of("4294967296s").find("longer than the limit") != std::string::npos);
  BOOST_TEST(error_of("1193047h").find("longer than the limit") != std::string::npos);
  BOOST_TEST(error_of("99999999999999999999999999us").find("longer than the limit") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_durations_say_why) {
  BOOST_TEST(error_of("5").find("has no unit") != std::string::npos);
  BOOST_TEST(error_of("1.5").find("has no unit") != std::string::npos);
  BOOST_TEST(error_of("0.5us").find("finer than a microsecond") != std::string::npos);
  BOOST_TEST(error_of("1.0000001s").find("finer than a microsecond") != std::string::npos);
  BOOST_TEST(error_of("3sec").find("unknown unit 'sec'") != std::string::npos);
  BOOST_TEST(error_of("3 s").find("unknown unit ' s'") != std::string::npos);
  BOOST_TEST(error_of("-1s").find("is not a duration") != std::string::npos);
  BOOST_TEST(error_of("").find("is not a duration") != std::string::npos);
  BOOST_TEST(error_of("s").find("is not a duration") != std::string::npos);
  BOOST_TEST(error_of(".5s").find("is not a duration") != std::string::npos);
  BOOST_TEST(error_of("5.s").find("is not a duration") != std::string::npos);
  BOOST_TEST(error_of("1e3ms").find("unknown unit 'e3ms'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(loss_as_percent_or_ppm) {
  BOOST_TEST(*parse_loss_ppm("1%") == 10'000U);
  BOOST_TEST(*parse_loss_ppm("0.25%") == 2'500U);
  BOOST_TEST(*parse_loss_ppm("0.0001%") == 1U);
  BOOST_TEST(*parse_loss_ppm("100%") == 1'000'000U);
  BOOST_TEST(*parse_loss_ppm("2500ppm") == 2'500U);
  BOOST_TEST(*parse_loss_ppm("0") == 0U);
  BOOST_TEST(parse_loss_ppm("100.5%").error().find("above 100%") != std::string::npos);
  BOOST_TEST(parse_loss_ppm("1000001ppm").error().find("above 100%") != std::string::npos);
  BOOST_TEST(parse_loss_ppm("0.00001%").error().find("finer than one part per million") !=
             std::string::npos);
  BOOST_TEST(parse_loss_ppm("5").error().find("is not a loss rate") != std::string::npos);
  BOOST_TEST(parse_loss_ppm("0.5").error().find("is not a loss rate") != std::string::npos);
  BOOST_TEST(parse_loss_ppm("2.5ppm").error().find("finer than one part per million") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
