// BoxedOptional keeps CONNECT's will on the heap with std::optional's
// meaning: copies are independent, equality compares values, and a packet
// no longer pays for a will it does not have.
#include <boost/test/unit_test.hpp>

#include "codec/packet.hpp"

using namespace mqttsim;
using codec::BoxedOptional;
using codec::Will;

BOOST_AUTO_TEST_SUITE(st_boxed_optional)

BOOST_AUTO_TEST_CASE(a_copy_is_deep_and_equal_until_changed) {
  BoxedOptional<Will> will = Will{.topic = "gone", .payload = {'x'}};
  BoxedOptional<Will> copy = will;
  BOOST_TEST((copy == will));
  copy->topic = "other";
  BOOST_TEST(will->topic == "gone");
  BOOST_TEST(!(copy == will));
}

BOOST_AUTO_TEST_CASE(empty_compares_as_nullopt) {
  BoxedOptional<Will> none;
  BOOST_TEST(!none.has_value());
  BOOST_TEST((none == std::nullopt));
  BOOST_TEST(!(none == BoxedOptional<Will>{Will{}}));
  BOOST_CHECK_THROW(none.value(), std::bad_optional_access);
  none.emplace().topic = "t";
  BOOST_TEST(none.value().topic == "t");
  none = std::nullopt;
  BOOST_TEST(!none);
  const std::optional<Will> from{Will{.topic = "o"}};
  none = from;
  BOOST_TEST(none->topic == "o");
}

BOOST_AUTO_TEST_CASE(made_from_what_its_value_is_made_of) {
  codec::Properties properties;
  properties.reason_string = "quota";
  BOOST_TEST(*properties.reason_string == "quota");
  BOOST_TEST(properties.response_topic.value_or("none") == "none");
  BOOST_TEST(!properties.empty());
  properties.reason_string.reset();
  BOOST_TEST(properties.empty());
}

BOOST_AUTO_TEST_CASE(a_packet_is_sized_by_its_publish_not_a_will) {
  // The point of the box: codec::Packet is as large as its largest
  // alternative, and every PUBLISH kept by a long run pays that size.
  BOOST_TEST(sizeof(codec::Connect) <= sizeof(codec::Publish) + 64);
  BOOST_TEST(sizeof(codec::Packet) <= sizeof(codec::Publish) + 64);
  // And a property list pays a pointer, not a string, for each rare one.
  BOOST_TEST(sizeof(codec::Properties) <= 256u);
}

BOOST_AUTO_TEST_SUITE_END()
