// Keeping the store in step with the broker, and starting again from it.

#include <algorithm>
#include <cassert>

#include "broker/broker.hpp"

namespace mqttsim::broker {

// Writes every session and retained topic changed by the call that is ending.
// Called before the call returns, so before the driver can send anything that
// acknowledges those changes.
void Broker::flush() {
  for (const std::string& client_id : dirty_sessions_) {
    const auto session = sessions_.find(client_id);
    if (session != sessions_.end()) {
      store_.save_session(session->second);
    } else {
      store_.erase_session(client_id);
    }
  }
  dirty_sessions_.clear();
  for (const std::string& topic : dirty_retained_) {
    const auto& retained = retained_.all();
    if (const auto message = retained.find(topic); message != retained.end()) {
      store_.save_retained(*message->second);
    } else {
      store_.erase_retained(topic);
    }
  }
  dirty_retained_.clear();
}

// A (re)start: sessions come back without connections. Those whose
// connection was open when the broker stopped lost it at that moment: their
// wills and lifetimes follow as for any connection that ended without
// DISCONNECT.
void Broker::restore(TimePoint now) {
  StoredState state = store_.load();
  std::uint64_t last_sequence = 0;
  const auto saw = [&last_sequence](const MessagePtr& message) {
    if (message) last_sequence = std::max(last_sequence, message->sequence);
  };

  for (MessagePtr& message : state.retained) {
    saw(message);
    retained_.restore(std::move(message));
  }
  std::vector<std::string> were_connected;
  for (StoredState::StoredSession& stored : state.sessions) {
    Session& session = stored.session;
    for (const OutboundFlight& flight : session.inflight) saw(flight.delivery.message);
    for (const Delivery& delivery : session.queue) saw(delivery.message);
    for (const auto& [id, held] : session.inbound_qos2) saw(held);
    if (session.will) saw(session.will->message);
    if (stored.was_connected) were_connected.push_back(session.client_id);
    std::string client_id = session.client_id;
    Session& restored = sessions_.emplace(std::move(client_id), std::move(session)).first->second;
    adopt(restored);
    for (const auto& [filter, options] : restored.subscriptions) {
      subscriptions_.insert(filter, restored.client_id, restored.ordinal);
    }
    hint_deadline(restored);
  }
  next_message_sequence_ = last_sequence + 1;

  // Only once every session is back, so a will reaches all its subscribers.
  for (const std::string& client_id : were_connected) {
    // Publishing a will routes into sessions but never ends one, so the
    // session is still there.
    const auto session = sessions_.find(client_id);
    assert(session != sessions_.end());
    Session& state_of = session->second;
    connection_ended_will(state_of, now, /*will_wanted=*/true);
    mark_dirty(state_of);
    if (state_of.expiry_interval_s == 0) {
      end_session(session, NoteKind::session_discarded, now);
    } else if (state_of.expiry_interval_s != Session::never_expires) {
      state_of.expires_at = now + Duration::from_s(state_of.expiry_interval_s);
      hint_deadline(state_of);
    }
  }
}

}  // namespace mqttsim::broker
