// PacketReader: framer + decoder for one receiving end. A server learns the
// protocol version from the CONNECT that must come first.

#include <boost/test/unit_test.hpp>
#include <vector>

#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"
#include "codec/rich_packets.hpp"
#include "codec/sample_packets.hpp"
#include "codec/stream_test_support.hpp"

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;
using mqttsim::SpecRef;
using mqttsim::codec::test::hex;
using mqttsim::codec::test::pseudo_random_chunk_sizes;
using mqttsim::codec::test::with;

namespace {

constexpr auto v311 = ProtocolVersion::v3_1_1;
constexpr auto v50 = ProtocolVersion::v5_0;

struct Outcome {
  std::vector<ReceivedPacket> packets;
  std::optional<ReadError> error;
};

Outcome read_all(PacketReader& reader, const Bytes& stream, const std::vector<std::size_t>& sizes) {
  Outcome outcome;
  std::size_t pos = 0;
  for (const std::size_t size : sizes) {
    reader.feed(ByteView{stream}.subspan(pos, size));
    pos += size;
    for (auto result = reader.next(); !result.need_more(); result = reader.next()) {
      if (result.has_error()) {
        outcome.error = result.error();
        return outcome;
      }
      outcome.packets.push_back(std::move(result.item()));
    }
  }
  return outcome;
}

Outcome read_whole(PacketReader& reader, const Bytes& stream) {
  return read_all(reader, stream, {stream.size()});
}

Publish publish_with_user_property() {
  return with<Publish>([](Publish& p) {
    p.qos = QoS::at_least_once;
    p.topic = "t/a";
    p.packet_id = 7;
    p.properties.user_properties = {{"a", "b"}};
    p.payload = Bytes{'h', 'i'};
  });
}

Connect connect_as(ProtocolVersion version) {
  return with<Connect>([version](Connect& p) {
    p.version = version;
    p.client_id = "c1";
  });
}

Publish qos0_publish(std::string topic) {
  return with<Publish>([&topic](Publish& p) {
    p.topic = topic;
    p.payload = Bytes{'x'};
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_packet_reader)

BOOST_AUTO_TEST_CASE(server_learns_5_0_from_connect_and_decodes_what_follows_as_5_0) {
  const Connect connect = connect_as(v50);
  const Publish publish = publish_with_user_property();
  Bytes stream = encode(connect, v50);
  const std::size_t connect_size = stream.size();
  encode_to(publish, v50, stream);

  auto reader = PacketReader::for_server();
  BOOST_TEST(!reader.version().has_value());
  BOOST_TEST((reader.receiver() == Receiver::server));
  const Outcome outcome = read_whole(reader, stream);
  BOOST_TEST(!outcome.error.has_value());
  BOOST_REQUIRE(outcome.packets.size() == 2u);
  BOOST_TEST((reader.version() == std::optional{v50}));
  BOOST_TEST((outcome.packets[0].packet == Packet{connect}));
  BOOST_TEST((outcome.packets[1].packet == Packet{publish}));  // properties kept: read as 5.0
  BOOST_TEST(outcome.packets[1].stream_offset == connect_size);
  BOOST_TEST((outcome.packets[1].raw ==
              Bytes(stream.begin() + static_cast<long>(connect_size), stream.end())));
}

BOOST_AUTO_TEST_CASE(server_learns_3_1_1_from_connect) {
  Bytes stream = encode(connect_as(v311), v311);
  encode_to(Pingreq{}, v311, stream);
  encode_to(qos0_publish("t"), v311, stream);
  auto reader = PacketReader::for_server();
  const Outcome outcome = read_all(reader, stream, std::vector<std::size_t>(stream.size(), 1));
  BOOST_TEST(!outcome.error.has_value());
  BOOST_TEST(outcome.packets.size() == 3u);
  BOOST_TEST((reader.version() == std::optional{v311}));
}

BOOST_AUTO_TEST_CASE(server_rejects_a_first_packet_that_is_not_connect) {
  const Bytes stream = encode(qos0_publish("t"), v311);
  auto reader = PacketReader::for_server();
  const Outcome outcome = read_whole(reader, stream);
  BOOST_TEST(outcome.packets.empty());
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST((outcome.error->error.spec == SpecRef{v311, "MQTT-3.1.0-1"}));
  BOOST_TEST((outcome.error->error.kind == DecodeErrorKind::unexpected_packet_type));
  BOOST_TEST((outcome.error->error.reason == ReasonCode::protocol_error));
  BOOST_TEST(outcome.error->error.message ==
             "the first packet on a connection must be CONNECT, not PUBLISH");
  BOOST_TEST(!reader.version().has_value());
}

BOOST_AUTO_TEST_CASE(client_decodes_with_its_own_version) {
  const Publish publish = publish_with_user_property();
  const Bytes stream = encode(publish, v50);
  auto reader = PacketReader::for_client(v50);
  const Outcome outcome = read_whole(reader, stream);
  BOOST_REQUIRE(outcome.packets.size() == 1u);
  BOOST_TEST((outcome.packets[0].packet == Packet{publish}));
  BOOST_TEST((reader.receiver() == Receiver::client));
}

BOOST_AUTO_TEST_CASE(every_sample_packet_reads_back_whatever_the_chunk_sizes) {
  for (const ProtocolVersion version : {v311, v50}) {
    Bytes stream;
    std::vector<Packet> expected;
    std::vector<Packet> packets = version == v50 ? test::packets_5_0() : test::packets_3_1_1();
    for (const auto& sample : test::sample_packets()) {
      if (sample.version == version) packets.push_back(sample.packet);
    }
    for (const Packet& packet : packets) {
      if (std::holds_alternative<Connect>(packet)) continue;  // a client never receives one
      encode_to(packet, version, stream);
      expected.push_back(packet);
    }
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
      BOOST_TEST_CONTEXT(mqttsim::to_string(version) << ", seed " << seed) {
        auto reader = PacketReader::for_client(version);
        const Outcome outcome =
            read_all(reader, stream, pseudo_random_chunk_sizes(stream.size(), seed * 3, seed));
        BOOST_TEST(!outcome.error.has_value());
        BOOST_REQUIRE(outcome.packets.size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
          BOOST_TEST((outcome.packets[i].packet == expected[i]), "packet " << i);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_error_carries_the_stream_offset_and_sticks) {
  // PINGREQ, a PUBLISH with QoS 3, then a PINGREQ that is never read.
  const Bytes stream = hex("c0 00 36 03 00 01 74 c0 00");
  auto reader = PacketReader::for_client(v311);
  const Outcome outcome = read_whole(reader, stream);
  BOOST_TEST(outcome.packets.size() == 1u);
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST(outcome.error->stream_offset == 2u);
  BOOST_TEST((outcome.error->error.spec == SpecRef{v311, "MQTT-3.3.1-4"}));
  BOOST_TEST(reader.failed());
  const Bytes more = hex("c0 00");
  reader.feed(more);  // ignored: the rest of the previous chunk is never read either
  auto again = reader.next();
  BOOST_REQUIRE(again.has_error());
  BOOST_TEST(again.error().stream_offset == 2u);
  BOOST_TEST((again.error().error.kind == outcome.error->error.kind));
}

BOOST_AUTO_TEST_CASE(framing_errors_become_decode_errors_for_the_reader_side) {
  // A 5.0 server with a 50-byte limit gets a 206-byte PUBLISH after CONNECT:
  // the client broke MQTT-3.2.2-15; the answer is reason 0x95.
  Bytes stream = encode(connect_as(v50), v50);
  const std::size_t connect_size = stream.size();
  Bytes big = hex("30 cb 01 00 01 78");
  big.resize(206, 'x');
  stream.insert(stream.end(), big.begin(), big.end());

  auto reader = PacketReader::for_server(50);
  const Outcome outcome = read_whole(reader, stream);
  BOOST_TEST(outcome.packets.size() == 1u);
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST((outcome.error->error.spec == SpecRef{v50, "MQTT-3.2.2-15"}));
  BOOST_TEST((outcome.error->error.reason == ReasonCode::packet_too_large));
  BOOST_TEST(outcome.error->stream_offset == connect_size);

  // Type 0 before any CONNECT: the server cites 3.1.1's table, not knowing better.
  auto fresh = PacketReader::for_server();
  const Outcome type_zero = read_whole(fresh, hex("00 00"));
  BOOST_REQUIRE(type_zero.error.has_value());
  BOOST_TEST((type_zero.error->error.spec == SpecRef{v311, "§2.2.1"}));
}

BOOST_AUTO_TEST_CASE(incomplete_packet_at_the_end_is_visible_as_partial) {
  auto reader = PacketReader::for_client(v311);
  const Bytes stream = hex("c0 00 32 0c 00 03");
  const Outcome outcome = read_whole(reader, stream);
  BOOST_TEST(outcome.packets.size() == 1u);
  BOOST_TEST(!outcome.error.has_value());
  const auto partial = reader.partial();
  BOOST_REQUIRE(partial.has_value());
  BOOST_TEST(partial->stream_offset == 2u);
  BOOST_TEST(partial->received_bytes == 4u);
  BOOST_TEST((partial->packet_size_bytes == std::optional<std::uint64_t>{14}));
}

BOOST_AUTO_TEST_SUITE_END()
