// The bad-input checker: the reference broker closes on every malformed or
// forbidden packet of scenarios/errors/ and is not reported; brokers broken
// to keep such a connection open, to act on a wildcard-topic PUBLISH, to
// answer a second CONNECT's followers, to soften a 5.0 DISCONNECT's reason
// or to leave out the 3.1.1 CONNACK 0x01 are caught, with the statements
// they break.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// A broker that misreads what does not decode: `repair` says what it reads
// instead of the bad bytes (empty: it drops them and carries on).
class UndecodableBreak final : public runner::PacketInterceptor {
 public:
  using Repair = std::function<codec::Bytes(codec::Bytes, const codec::DecodeError&)>;
  explicit UndecodableBreak(Repair repair) : repair_{std::move(repair)} {}
  codec::Bytes undecodable(net::ConnectionId, codec::Bytes bytes,
                           const codec::DecodeError& error) override {
    return repair_(std::move(bytes), error);
  }

 private:
  Repair repair_;
};

std::shared_ptr<runner::PacketInterceptor> drops_bad_packets() {
  return std::make_shared<UndecodableBreak>(
      [](codec::Bytes, const codec::DecodeError&) { return codec::Bytes{}; });
}

// Reads a PUBLISH with a wildcard in its topic as if the wildcard were 'x'
// and keeps the connection: the message is forwarded.
std::shared_ptr<runner::PacketInterceptor> forwards_wildcard_publish() {
  return std::make_shared<UndecodableBreak>(
      [](codec::Bytes bytes, const codec::DecodeError& error) {
        if (error.kind == codec::DecodeErrorKind::wildcard_in_topic_name) {
          for (std::uint8_t& byte : bytes) {
            if (byte == '#' || byte == '+') byte = 'x';
          }
          return bytes;
        }
        return codec::Bytes{};
      });
}

// Ignores every CONNECT after a connection's first (and so keeps the
// connection and serves what follows).
std::shared_ptr<runner::PacketInterceptor> ignores_second_connect() {
  auto seen = std::make_shared<std::set<net::ConnectionId>>();
  return std::make_shared<InboundBreak>([seen](net::ConnectionId connection, codec::Packet packet) {
    if (std::holds_alternative<codec::Connect>(packet) && !seen->insert(connection).second) {
      return std::vector<codec::Packet>{};
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

bool judged(const runner::RunResult& result, ProtocolVersion version, std::string id) {
  return result.verdict.judged.count({version, std::move(id)}) == 1;
}

constexpr ProtocolVersion v311 = ProtocolVersion::v3_1_1;
constexpr ProtocolVersion v5 = ProtocolVersion::v5_0;

}  // namespace

BOOST_AUTO_TEST_SUITE(st_bad_input)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported_on_the_error_scenarios) {
  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator{std::string{MQTTSIM_SCENARIOS_DIR} + "/errors"}) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string relative = "errors/" + entry.path().filename().string();
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto result = play_library(relative, nullptr, seed);
      BOOST_TEST(result.passed(), relative << " seed " << seed);
      for (const auto& v : violations_of(result, "bad-input")) {
        BOOST_ERROR(relative << " seed " << seed << ": " << v.message << "\n" << v.excerpt);
      }
    }
  }
  BOOST_TEST(files >= 10u);
}

BOOST_AUTO_TEST_CASE(the_statements_each_offence_exercises_are_judged) {
  const auto qos3 = play_library("errors/publish-qos3.yaml", nullptr);
  BOOST_TEST(judged(qos3, v311, "MQTT-3.3.1-4"));
  BOOST_TEST(judged(qos3, v311, "MQTT-4.8.0-1"));
  BOOST_TEST(judged(qos3, v5, "MQTT-3.3.1-4"));
  BOOST_TEST(judged(qos3, v5, "MQTT-4.13.1-1"));
  BOOST_TEST(judged(qos3, v5, "MQTT-4.13.2-1"));  // the broker sent DISCONNECT 0x81, then closed
  const auto flags = play_library("errors/reserved-flags.yaml", nullptr);
  BOOST_TEST(judged(flags, v311, "MQTT-2.2.2-2"));
  BOOST_TEST(judged(flags, v311, "MQTT-3.6.1-1"));
  BOOST_TEST(judged(flags, v311, "MQTT-3.14.1-1"));
  BOOST_TEST(judged(flags, v5, "MQTT-3.15.1-1"));
  const auto level = play_library("errors/connect-protocol-level.yaml", nullptr);
  BOOST_TEST(judged(level, v311, "MQTT-3.1.2-2"));
  BOOST_TEST(judged(level, v311, "MQTT-3.1.4-5"));
  const auto second = play_library("errors/connect-second.yaml", nullptr);
  BOOST_TEST(judged(second, v311, "MQTT-3.1.0-2"));
  BOOST_TEST(judged(second, v5, "MQTT-3.1.0-2"));
  // A run without bad input judges none of it.
  const auto plain = play_library("sessions/persistent-session-queues-qos1.yaml", nullptr);
  BOOST_TEST(!judged(plain, v311, "MQTT-4.8.0-1"));
}

BOOST_AUTO_TEST_CASE(a_broker_that_ignores_a_malformed_packet_is_caught) {
  const auto result = play_library("errors/publish-qos3.yaml", drops_bad_packets());
  const auto found = violations_of(result, "bad-input");
  BOOST_TEST_REQUIRE(found.size() == 2u);  // the 3.1.1 and the 5.0 publisher
  BOOST_TEST(cites(found[0], {v311, "MQTT-4.8.0-1"}));
  BOOST_TEST(cites(found[0], {v311, "MQTT-3.3.1-4"}));
  BOOST_TEST(found[0].message.find("client \"pub\" sent bytes that are not a valid packet") == 0u);
  BOOST_TEST(found[0].message.find("never closed the connection") != std::string::npos);
  BOOST_TEST(cites(found[1], {v5, "MQTT-4.13.1-1"}));
  BOOST_TEST(cites(found[1], {v5, "MQTT-3.3.1-4"}));
}

BOOST_AUTO_TEST_CASE(a_broker_that_forwards_a_wildcard_topic_publish_is_caught) {
  const auto result =
      play_library("errors/publish-invalid-topic.yaml", forwards_wildcard_publish());
  const auto found = violations_of(result, "bad-input");
  bool delivered = false;
  for (const auto& v : found) {
    if (v.message.find("delivered its payload \"wildcard-hash\" (topic \"a/#\") to client "
                       "\"watcher\"") != std::string::npos) {
      delivered = cites(v, {v311, "MQTT-3.3.2-2"}) && cites(v, {v311, "MQTT-4.7.1-1"});
    }
  }
  BOOST_TEST(delivered);
  BOOST_TEST(any_cites(found, {v5, "MQTT-4.7.0-1"}));  // the 5.0 "a/+" reached watcher5
  // The other bad topics (empty, U+0000) were dropped: the connections stayed open.
  BOOST_TEST(any_cites(found, {v311, "MQTT-4.7.3-1"}));
}

BOOST_AUTO_TEST_CASE(a_broker_that_serves_a_second_connect_is_caught) {
  const auto result = play_library("errors/connect-second.yaml", ignores_second_connect());
  const auto found = violations_of(result, "bad-input");
  BOOST_TEST(any_cites(found, {v311, "MQTT-3.1.0-2"}));
  BOOST_TEST(any_cites(found, {v5, "MQTT-3.1.0-2"}));
  bool forwarded = false;
  for (const auto& v : found) {
    forwarded = forwarded || v.message.find("forwarded the PUBLISH \"after-second-connect\"") !=
                                 std::string::npos;
  }
  BOOST_TEST(forwarded);
}

BOOST_AUTO_TEST_CASE(a_5_0_disconnect_with_a_success_code_is_caught) {
  const auto softened =
      std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
        if (auto* disconnect = std::get_if<codec::Disconnect>(&packet)) {
          disconnect->reason_code = codec::ReasonCode::success;
        }
        return std::vector<codec::Packet>{std::move(packet)};
      });
  const auto found = violations_of(play_library("errors/publish-qos3.yaml", softened), "bad-input");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {v5, "MQTT-4.13.1-1"}));
  BOOST_TEST(found[0].message.find("DISCONNECT with reason code 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_3_1_1_level_refusal_without_connack_is_caught) {
  const auto silent = std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (std::holds_alternative<codec::Connack>(packet) &&
        std::get<codec::Connack>(packet).code == 0x01) {
      return std::vector<codec::Packet>{};
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
  const auto found =
      violations_of(play_library("errors/connect-protocol-level.yaml", silent), "bad-input");
  BOOST_TEST_REQUIRE(found.size() == 1u);  // level 6
  BOOST_TEST(cites(found[0], {v311, "MQTT-3.1.2-2"}));
  BOOST_TEST(found[0].message.find("without CONNACK 0x01") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_3_1_1_broker_that_accepts_a_malformed_connect_is_caught) {
  // The CONNECT with the reserved flag is read as a valid one.
  const auto lenient =
      std::make_shared<UndecodableBreak>([](codec::Bytes bytes, const codec::DecodeError& error) {
        if (error.kind == codec::DecodeErrorKind::reserved_connect_flag) bytes[9] &= 0xFE;
        return bytes;
      });
  const auto found =
      violations_of(play_library("errors/connect-reserved-flag.yaml", lenient), "bad-input");
  BOOST_TEST(any_cites(found, {v311, "MQTT-3.1.4-1"}));
  BOOST_TEST(any_cites(found, {v311, "MQTT-3.2.2-6"}));
  BOOST_TEST(any_cites(found, {v5, "MQTT-3.1.4-1"}));    // CONNACK 0 to the 5.0 client
  BOOST_TEST(any_cites(found, {v311, "MQTT-3.1.4-5"}));  // its pipelined PUBLISH delivered
}

BOOST_AUTO_TEST_SUITE_END()
