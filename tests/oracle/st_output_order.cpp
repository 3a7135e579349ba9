// Seen from outside (mqttsim check, explore --broker), the harness reads
// each of its sockets in whatever order it gets to them, so what a broker
// wrote on two connections can be recorded in the other order. Found by
// explore --broker against an ASan-built mqttsim serve (seed 16): the
// first copy of a message, written (DUP=0) on a client's old connection
// before its takeover, was recorded after the DUP=1 resend on the new one.
// That is no fault. The DUP flag and takeover checkers must order a
// session's connections as the broker served them, and still catch a
// broker that writes on the old connection what it could only have
// received after accepting the new one.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"
#include "oracle/oracle.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// m1..m3 go out (DUP=0) into a half-open link; the takeover gets them
// again with DUP=1, and m4 is published after it.
const std::string library_case = "qos/dup-set-on-resend-after-takeover-qos1.yaml";

enum class Seen : bool { from_inside, from_outside };

bool is_sent_publish(const trace::TraceEvent& event, std::string_view payload) {
  if (event.actor != "broker" || event.kind != trace::EventKind::packet ||
      event.direction != trace::Direction::broker_to_client) {
    return false;
  }
  const auto packet = codec::decode(event.bytes, *event.protocol);
  const auto* publish = packet ? std::get_if<codec::Publish>(&*packet) : nullptr;
  return publish != nullptr &&
         std::string_view{reinterpret_cast<const char*>(publish->payload.data()),
                          publish->payload.size()} == payload;
}

enum class Late : bool {
  moved,  // the old connection's copy of the message, recorded late
  added,  // a copy on the old connection that the broker never wrote there
};

// `played` with a PUBLISH of `payload` on the session's old connection
// (the one m1 first went out on) recorded just after the first copy of
// `payload` on the new connection, and the old connection's close after
// it. `late` says whether that is the old connection's own copy moved
// there, or a copy of the new one's added there. From outside, a note
// says so first.
trace::Trace recorded(const trace::Trace& played, std::string_view payload, Late late,
                      Seen seen) {
  const auto& events = played.events();
  const trace::ConnectionId old = first_sent_on(played, "m1");
  std::optional<std::size_t> old_copy;
  std::optional<std::size_t> new_copy;
  for (std::size_t i = 0; i < events.size() && !new_copy; ++i) {
    if (!is_sent_publish(events[i], payload)) continue;
    if (events[i].connection == old) {
      if (!old_copy) old_copy = i;
    } else {
      new_copy = i;
    }
  }
  BOOST_TEST_REQUIRE(new_copy.has_value());
  BOOST_TEST_REQUIRE((late == Late::added || old_copy.has_value()));
  trace::TraceEvent placed = late == Late::moved ? events[*old_copy] : events[*new_copy];
  placed.connection = old;
  placed.time = events[*new_copy].time;
  std::optional<trace::TraceEvent> close;

  trace::Trace out;
  if (seen == Seen::from_outside) {
    out.append(observed_from_outside_note());
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    const trace::TraceEvent& event = events[i];
    if (late == Late::moved && i == *old_copy) continue;
    if (event.actor == "broker" && event.kind == trace::EventKind::close &&
        event.connection == old && i < *new_copy) {
      close = event;
      continue;
    }
    out.append(event);
    if (i == *new_copy) {
      out.append(placed);
      if (close) {
        close->time = placed.time;  // read late as well: a trace's time never goes back
        out.append(*close);
      }
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_output_order)

BOOST_AUTO_TEST_CASE(a_first_copy_read_after_the_resend_on_the_new_connection_is_no_fault) {
  const auto played = play_library(library_case, nullptr);
  BOOST_TEST_REQUIRE(played.verdict.violations.empty());
  const oracle::Verdict outside = oracle::judge(
      recorded(played.trace, "m1", Late::moved, Seen::from_outside), Profile{});
  for (const auto& v : outside.violations) BOOST_TEST(false, v.check + ": " + v.message);
}

BOOST_AUTO_TEST_CASE(recorded_by_the_broker_itself_the_same_order_is_a_fault) {
  // The broker's own record is the order it wrote in: a DUP=1 first
  // attempt, a DUP=0 resend, and a PUBLISH on a connection it had replaced.
  const auto played = play_library(library_case, nullptr);
  const oracle::Verdict inside =
      oracle::judge(recorded(played.trace, "m1", Late::moved, Seen::from_inside), Profile{});
  BOOST_TEST(count_of(inside, "dup-flag") == 2u);
  BOOST_TEST(count_of(inside, "takeover") == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_received_after_the_takeover_on_the_old_connection_is_caught) {
  // m4 reached the broker after it had accepted the new connection: a copy
  // on the old one was written after the takeover, whatever the order the
  // harness read its sockets in (MQTT-3.1.4-2).
  const auto played = play_library(library_case, nullptr);
  const oracle::Verdict outside = oracle::judge(
      recorded(played.trace, "m4", Late::added, Seen::from_outside), Profile{});
  std::size_t caught = 0;
  for (const auto& v : outside.violations) {
    if (v.check != "takeover") continue;
    ++caught;
    BOOST_TEST(v.message.find("\"m4\"") != std::string::npos, v.message);
    BOOST_TEST(cites(v, {ProtocolVersion::v3_1_1, "MQTT-3.1.4-2"}));
  }
  BOOST_TEST(caught == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_received_before_the_takeover_on_the_old_connection_is_not_judged) {
  // m1 reached the broker before the new CONNECT: an added copy on the old
  // connection recorded late may have been written before the takeover.
  const auto played = play_library(library_case, nullptr);
  const oracle::Verdict outside = oracle::judge(
      recorded(played.trace, "m1", Late::added, Seen::from_outside), Profile{});
  BOOST_TEST(count_of(outside, "takeover") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
