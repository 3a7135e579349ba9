// Wills: what happens to the will when a connection ends, and publishing it
// (3.1.1 §3.1.2.5, 5.0 §3.1.2.5 and §3.1.3.2 Will Delay Interval).

#include "broker/broker.hpp"

namespace mqttsim::broker {

// Called when the session loses its connection. `will_wanted` is false when
// the client ended it with a DISCONNECT that deletes the will.
void Broker::connection_ended_will(Session& session, TimePoint now, bool will_wanted) {
  if (!session.will) return;
  if (!will_wanted) {
    cite(session.version, "MQTT-3.1.2-10", "MQTT-3.1.2-10");
    note(NoteKind::will_discarded, session.client_id, "DISCONNECT deleted the will");
    session.will.reset();
    return;
  }
  const std::uint32_t delay_s =
      session.version == ProtocolVersion::v5_0 ? session.will->delay_interval_s : 0;
  if (delay_s == 0) {
    publish_will(session, now);
    return;
  }
  // 5.0: after the delay, or when the session ends if that is sooner
  // (MQTT-3.1.2-8); a reconnect in between cancels it (MQTT-3.1.3-9).
  session.will_due_at = now + Duration::from_s(delay_s);
  hint_deadline(session);
}

void Broker::publish_will(Session& session, TimePoint now) {
  if (!session.will) return;
  MessagePtr message = session.will->message;
  if (const auto expiry = message->properties_or_empty().message_expiry_interval) {
    // The will's Message Expiry Interval runs from when it is published.
    auto timed = std::make_shared<Message>(*message);
    timed->expires_at = now + Duration::from_s(*expiry);
    message = std::move(timed);
  }
  session.will.reset();
  session.will_due_at.reset();
  mark_dirty(session);
  // 3.1.1 MQTT-3.1.2-8/-16/-17, 5.0 MQTT-3.1.2-8/-14/-15: published with its
  // QoS and RETAIN flag, as if the client had sent it.
  cite(session.version, "MQTT-3.1.2-8", "MQTT-3.1.2-8");
  cite(session.version, message->retain ? "MQTT-3.1.2-17" : "MQTT-3.1.2-16",
       message->retain ? "MQTT-3.1.2-15" : "MQTT-3.1.2-14");
  note(NoteKind::will_published, session.client_id, message->topic);
  route(message, now);
}

}  // namespace mqttsim::broker
