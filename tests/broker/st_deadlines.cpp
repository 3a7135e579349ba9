// next_deadline() keeps hints rather than scanning every connection and
// session after every packet (broker/timers.cpp). It must still name the
// earliest deadline exactly when deadlines move later (a packet arrives)
// and when one moves nearer than every hint (a CONNECT with a short
// keep-alive after the CONNECT timeout, a session that starts to expire,
// a delayed will).

#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
using mqttsim::Duration;
using mqttsim::TimePoint;

namespace {

std::int64_t next_us(BrokerHarness& h) {
  const auto deadline = h.broker().next_deadline();
  return deadline ? deadline->since_origin_us() : -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_deadlines)

BOOST_AUTO_TEST_CASE(the_earliest_deadline_follows_packets_closes_and_expiry) {
  BrokerHarness h;
  h.broker().accept("idle", h.now());  // no CONNECT: closed at 30 s
  BOOST_TEST(next_us(h) == 30'000'000);
  // A keep-alive of 10 s is due at 15 s, nearer than the CONNECT timeout.
  h.connect("fast", h.connect_packet(ProtocolVersion::v3_1_1, "fast", true, 10));
  BOOST_TEST(next_us(h) == 15'000'000);
  h.connect("slow", h.connect_packet(ProtocolVersion::v5_0, "slow", false, 40));
  h.advance(Duration::from_s(5));
  h.send("fast", Pingreq{});  // moves its deadline on to 20 s
  BOOST_TEST(next_us(h) == 20'000'000);
  h.drop("fast");  // gone: the idle connection's 30 s is next
  BOOST_TEST(next_us(h) == 30'000'000);
  h.advance(Duration::from_s(26));  // the idle connection is closed at 30 s
  BOOST_TEST(h.broker().connection_count() == 1u);
  BOOST_TEST(next_us(h) == 60'000'000);  // "slow": 1.5 x 40 s
  // A session of 5.0 that ends its connection with a 3 s expiry expires at
  // 34 s, long before the hint of any connection.
  Disconnect disconnect;
  disconnect.properties.session_expiry_interval = 3;
  h.send("slow", disconnect);
  BOOST_TEST(next_us(h) == 34'000'000);
  h.advance(Duration::from_s(3));
  BOOST_TEST(h.broker().sessions().empty());
  BOOST_TEST(next_us(h) == -1);
}

BOOST_AUTO_TEST_SUITE_END()
