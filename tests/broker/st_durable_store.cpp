// The durable store keeps a session's flights and queue as one record each,
// brought in step with the session on every save (broker/session_store.cpp).
// Whatever way the queue and the window changed between two saves, what
// the store loads must be the session as last saved.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "broker/session_store.hpp"

using namespace mqttsim;
using namespace mqttsim::broker;

namespace {

Delivery delivery(std::string payload, std::uint64_t sequence) {
  auto message = std::make_shared<Message>();
  message->topic = "q/a";
  message->payload = codec::Bytes(payload.begin(), payload.end());
  message->qos = codec::QoS::at_least_once;
  message->sequence = sequence;
  return {.message = std::move(message), .qos = codec::QoS::at_least_once};
}

std::string payload_of(const Delivery& d) {
  return {d.message->payload.begin(), d.message->payload.end()};
}

// The payloads of the queue and of the flights of `client` as the store
// gives them back.
std::pair<std::vector<std::string>, std::vector<std::string>> loaded(const DurableStore& store) {
  const StoredState state = store.load();
  BOOST_TEST_REQUIRE(state.sessions.size() == 1u);
  std::vector<std::string> queue;
  std::vector<std::string> flights;
  for (const Delivery& d : state.sessions[0].session.queue) queue.push_back(payload_of(d));
  for (const OutboundFlight& f : state.sessions[0].session.inflight) {
    flights.push_back(payload_of(f.delivery) + "#" + std::to_string(f.packet_id));
  }
  return {queue, flights};
}

using Payloads = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(st_durable_store)

BOOST_AUTO_TEST_CASE(the_queue_and_window_load_as_last_saved_however_they_changed) {
  DurableStore store;
  Session session;
  session.client_id = "sub";
  session.expiry_interval_s = Session::never_expires;
  std::uint64_t sequence = 1;
  for (const char* p : {"a", "b", "c", "d"}) session.queue.push_back(delivery(p, sequence++));
  store.save_session(session);
  BOOST_TEST(loaded(store).first == (Payloads{"a", "b", "c", "d"}));

  // Sent from the front into the window; queued at the back.
  session.add_flight({.packet_id = 1, .delivery = session.queue.front()});
  session.queue.pop_front();
  session.queue.push_back(delivery("e", sequence++));
  store.save_session(session);
  BOOST_TEST(loaded(store).first == (Payloads{"b", "c", "d", "e"}));
  BOOST_TEST(loaded(store).second == (Payloads{"a#1"}));

  // Taken from the middle (an expired message), and a flight acknowledged
  // while a later one stays.
  session.queue.erase(session.queue.begin() + 1);
  session.add_flight({.packet_id = 2, .delivery = session.queue.front()});
  session.queue.pop_front();
  session.erase_flight(session.inflight.begin());
  store.save_session(session);
  BOOST_TEST(loaded(store).first == (Payloads{"d", "e"}));
  BOOST_TEST(loaded(store).second == (Payloads{"b#2"}));

  // A flight moves on to its next stage; the queue empties, then refills.
  session.inflight.front().stage = OutboundFlight::Stage::awaiting_pubcomp;
  session.queue.clear();
  store.save_session(session);
  BOOST_TEST(loaded(store).first.empty());
  BOOST_TEST((store.load().sessions[0].session.inflight.front().stage ==
              OutboundFlight::Stage::awaiting_pubcomp));
  session.queue.push_back(delivery("f", sequence++));
  store.save_session(session);
  BOOST_TEST(loaded(store).first == (Payloads{"f"}));

  // What the store holds is what a whole serialization would say.
  const codec::Bytes whole = serialize_session(store.load().sessions[0].session);
  BOOST_TEST(whole == serialize_session(session));
}

BOOST_AUTO_TEST_SUITE_END()
