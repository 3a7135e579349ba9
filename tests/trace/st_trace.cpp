#include <boost/test/unit_test.hpp>
#include <string>

#include "trace/determinism.hpp"
#include "trace/trace.hpp"

using mqttsim::ProtocolVersion;
using mqttsim::TimePoint;
namespace trace = mqttsim::trace;

namespace {

trace::TraceEvent note(std::int64_t us, std::string detail) {
  trace::TraceEvent event;
  event.time = TimePoint::from_us(us);
  event.kind = trace::EventKind::note;
  event.actor = "test";
  event.detail = std::move(detail);
  return event;
}

trace::Trace three_notes() {
  trace::Trace t;
  t.append(note(1, "one"));
  t.append(note(2, "two"));
  t.append(note(3, "three"));
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_trace)

BOOST_AUTO_TEST_CASE(events_render_to_one_stable_line) {
  trace::TraceEvent packet;
  packet.time = TimePoint::from_us(1'500);
  packet.kind = trace::EventKind::packet;
  packet.connection = 7;
  packet.actor = "client/sub-1";
  packet.direction = trace::Direction::client_to_broker;
  packet.protocol = ProtocolVersion::v5_0;
  packet.detail = "PINGREQ \"x\"\n";
  packet.bytes = {0xc0, 0x00};
  BOOST_TEST(trace::render(packet) ==
             "1500 packet conn=7 actor=\"client/sub-1\" dir=c2b protocol=5.0 "
             "detail=\"PINGREQ \\\"x\\\"\\x0a\" bytes=2:c000");

  trace::TraceEvent close;
  close.time = TimePoint::from_us(9);
  close.kind = trace::EventKind::close;
  close.connection = 3;
  close.actor = "broker";
  close.close_reason = trace::CloseReason::reset;
  BOOST_TEST(trace::render(close) ==
             "9 close conn=3 actor=\"broker\" close=reset detail=\"\" bytes=0:");

  trace::TraceEvent fault;
  fault.kind = trace::EventKind::fault;
  fault.actor = "network";
  fault.fault = trace::FaultKind::partition;
  fault.detail = "clients=a,b";
  BOOST_TEST(trace::render(fault) ==
             "0 fault conn=0 actor=\"network\" fault=partition detail=\"clients=a,b\" bytes=0:");
}

BOOST_AUTO_TEST_CASE(serialisation_is_one_line_per_event) {
  const trace::Trace t = three_notes();
  BOOST_TEST(trace::serialise(t) ==
             "1 note conn=0 actor=\"test\" detail=\"one\" bytes=0:\n"
             "2 note conn=0 actor=\"test\" detail=\"two\" bytes=0:\n"
             "3 note conn=0 actor=\"test\" detail=\"three\" bytes=0:\n");
}

BOOST_AUTO_TEST_CASE(a_packet_is_described_from_its_bytes_when_rendered) {
  // Recorders store a packet's bytes only; its text comes on demand.
  trace::TraceEvent packet;
  packet.time = TimePoint::from_us(2);
  packet.kind = trace::EventKind::packet;
  packet.connection = 1;
  packet.actor = "broker";
  packet.direction = trace::Direction::broker_to_client;
  packet.protocol = ProtocolVersion::v3_1_1;
  packet.bytes = {0x40, 0x02, 0x00, 0x07};
  BOOST_TEST(trace::describe(packet) == "PUBACK id=7");
  BOOST_TEST(trace::render(packet) ==
             "2 packet conn=1 actor=\"broker\" dir=b2c protocol=3.1.1 detail=\"PUBACK id=7\" "
             "bytes=4:40020007");
  // Bytes that do not decode say why, as the recorder once wrote it.
  packet.bytes = {0x40, 0x03, 0x00, 0x07};
  BOOST_TEST(trace::describe(packet).starts_with("undecodable: "), trace::describe(packet));
  // Any other event's detail is its own.
  BOOST_TEST(trace::describe(note(1, "one")) == "one");
}

BOOST_AUTO_TEST_CASE(a_mark_is_typed_and_rendered) {
  // The oracle reads the mark, never the detail; readers see both.
  trace::TraceEvent restart = note(5, "restart, losing its state, down for 2s");
  restart.actor = "broker";
  restart.mark = trace::Mark::restart_loses_state;
  restart.down_for = mqttsim::Duration::from_s(2);
  BOOST_TEST(trace::render(restart) ==
             "5 note conn=0 actor=\"broker\" mark=restart_loses_state down_for_us=2000000 "
             "detail=\"restart, losing its state, down for 2s\" bytes=0:");
  trace::Trace plain;
  plain.append(note(5, "restart, losing its state, down for 2s"));
  trace::Trace marked;
  marked.append(restart);
  BOOST_TEST(trace::hash(plain) != trace::hash(marked));
}

BOOST_AUTO_TEST_CASE(hash_is_fnv1a_of_a_binary_encoding_and_pinned) {
  const trace::Trace empty;
  BOOST_TEST(trace::hash(empty) == 0xcbf29ce484222325ULL);  // FNV-1a offset basis
  const trace::Trace t = three_notes();
  // Pinned, cross-checked with an independent FNV-1a (Python) over the
  // encoding trace.hpp documents: per event the time (8 bytes), the kind
  // (note = 8), the connection (8), the actor with its length (4), the
  // direction, fault, close reason and protocol (a byte each), the detail
  // and the bytes, each after its length, then the mark (a byte) and
  // down_for (8), all little-endian.
  BOOST_TEST(trace::hash_hex(trace::hash(t)) == "61a0ee00d4a4503a");
  BOOST_TEST(trace::hash_hex(0x1f) == "000000000000001f");
  trace::Trace changed = three_notes();
  changed.append(note(4, "four"));
  BOOST_TEST(trace::hash(changed) != trace::hash(t));
}

BOOST_AUTO_TEST_CASE(first_difference_names_the_right_index) {
  const trace::Trace a = three_notes();
  BOOST_TEST(!trace::first_difference(a, three_notes()).has_value());

  trace::Trace b;
  b.append(note(1, "one"));
  b.append(note(2, "TWO"));
  b.append(note(3, "three"));
  const auto diff = trace::first_difference(a, b);
  BOOST_TEST_REQUIRE(diff.has_value());
  BOOST_TEST(diff->index == 1u);
  BOOST_TEST(diff->left == trace::render(a[1]));
  BOOST_TEST(diff->right == trace::render(b[1]));

  trace::Trace prefix;
  prefix.append(note(1, "one"));
  const auto shorter = trace::first_difference(prefix, a);
  BOOST_TEST_REQUIRE(shorter.has_value());
  BOOST_TEST(shorter->index == 1u);
  BOOST_TEST(shorter->left == "<end of trace>");
  BOOST_TEST(shorter->right == trace::render(a[1]));
}

BOOST_AUTO_TEST_CASE(check_determinism_reports_the_first_divergence) {
  const auto steady = trace::check_determinism([] { return three_notes(); });
  BOOST_TEST(steady.deterministic());
  BOOST_TEST(steady.first_hash == steady.second_hash);
  BOOST_TEST(steady.describe().find("deterministic (3 events") == 0u);

  int run = 0;
  const auto drifting = trace::check_determinism([&run] {
    trace::Trace t = three_notes();
    t.append(note(4, "run " + std::to_string(run++)));
    return t;
  });
  BOOST_TEST(!drifting.deterministic());
  BOOST_TEST(drifting.difference->index == 3u);
  BOOST_TEST(drifting.describe().find("differ at event 3") != std::string::npos);
  BOOST_TEST(drifting.describe().find("run 0") != std::string::npos);
  BOOST_TEST(drifting.describe().find("run 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(levels_keep_what_they_promise) {
  trace::TraceEvent broker_packet = note(1, "PUBLISH");
  broker_packet.kind = trace::EventKind::packet;
  broker_packet.actor = std::string{trace::broker_actor};
  trace::TraceEvent client_packet = broker_packet;
  client_packet.actor = "sub";
  trace::TraceEvent broker_up;
  broker_up.time = TimePoint::from_us(2);
  broker_up.kind = trace::EventKind::fault;
  broker_up.fault = trace::FaultKind::broker_up;
  broker_up.actor = "network";
  trace::TraceEvent reset = broker_up;
  reset.fault = trace::FaultKind::reset;
  trace::TraceEvent outside = note(3, "broker 127.0.0.1:1883");
  outside.mark = trace::Mark::observed_from_outside;
  const trace::TraceEvent client_note = note(3, "delivered");
  const auto kept = [&](trace::Level level) {
    trace::Trace t{level};
    for (const auto& e : {broker_packet, client_packet, broker_up, reset, outside, client_note}) {
      t.append(e);
    }
    std::string actors;
    for (const auto& e : t.events()) actors += e.actor + "/" + std::string{to_string(e.kind)} + " ";
    return actors;
  };
  BOOST_TEST(kept(trace::Level::full) ==
             "broker/packet sub/packet network/fault network/fault test/note test/note ");
  BOOST_TEST(kept(trace::Level::judged) == "broker/packet network/fault test/note ");
  BOOST_TEST(kept(trace::Level::none).empty());
  // The run ends when it ends, whatever was kept.
  for (const auto level : {trace::Level::full, trace::Level::judged, trace::Level::none}) {
    trace::Trace t{level};
    t.append(broker_packet);
    t.append(client_note);
    BOOST_TEST(t.end_time() == TimePoint::from_us(3));
  }
  BOOST_TEST(trace::Trace{trace::Level::judged}.keeps_client_events() == false);
  BOOST_TEST(trace::Trace{}.keeps_client_events());
}

BOOST_AUTO_TEST_CASE(levels_parse_by_name_only) {
  BOOST_TEST((trace::parse_level("judged") == trace::Level::judged));
  BOOST_TEST((trace::parse_level("none") == trace::Level::none));
  BOOST_TEST((trace::parse_level("full") == trace::Level::full));
  BOOST_TEST(!trace::parse_level("Full").has_value());
  BOOST_TEST(!trace::parse_level("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
