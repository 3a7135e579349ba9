// The durable store and the serialized forms of sessions and messages.
//
// A record is a small versioned binary format. Messages travel inside it as
// MQTT 5.0 PUBLISH packets, so every property survives the round trip through
// the same codec that puts them on the wire.

#include "broker/session_store.hpp"

#include <stdexcept>

#include "codec/codec.hpp"

namespace mqttsim::broker {
namespace {

constexpr std::uint8_t session_format = 1;
constexpr std::uint8_t message_format = 1;

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { u64(v, 2); }
  void u32(std::uint32_t v) { u64(v, 4); }
  void u64(std::uint64_t v, int bytes = 8) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
      out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void flag(bool v) { u8(v ? 1 : 0); }
  void bytes(codec::ByteView v) {
    u32(static_cast<std::uint32_t>(v.size()));
    out_.insert(out_.end(), v.begin(), v.end());
  }
  void text(std::string_view v) {
    bytes(codec::ByteView{reinterpret_cast<const std::uint8_t*>(v.data()), v.size()});
  }
  void time_point(const std::optional<TimePoint>& t) {
    flag(t.has_value());
    if (t) i64(t->since_origin_us());
  }
  codec::Bytes take() { return std::move(out_); }

 private:
  codec::Bytes out_;
};

class Reader {
 public:
  explicit Reader(codec::ByteView in) : in_{in} {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(u64(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u64(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u64(4)); }
  std::uint64_t u64(int bytes = 8) {
    need(static_cast<std::size_t>(bytes));
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | in_[position_++];
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  bool flag() { return u8() != 0; }
  codec::ByteView bytes() {
    const std::size_t size = u32();
    need(size);
    const codec::ByteView view = in_.subspan(position_, size);
    position_ += size;
    return view;
  }
  std::string text() {
    const codec::ByteView view = bytes();
    return std::string{reinterpret_cast<const char*>(view.data()), view.size()};
  }
  std::optional<TimePoint> time_point() {
    if (!flag()) return std::nullopt;
    return TimePoint::from_us(i64());
  }
  bool at_end() const { return position_ == in_.size(); }

 private:
  void need(std::size_t size) const {
    if (in_.size() - position_ < size) throw std::runtime_error("stored record is truncated");
  }
  codec::ByteView in_;
  std::size_t position_ = 0;
};

void write_message(Writer& out, const Message& message) { out.bytes(serialize_message(message)); }
MessagePtr read_message(Reader& in) { return deserialize_message(in.bytes()); }

void write_delivery(Writer& out, const Delivery& delivery) {
  write_message(out, *delivery.message);
  out.u8(static_cast<std::uint8_t>(delivery.qos));
  out.flag(delivery.retain);
  out.u32(static_cast<std::uint32_t>(delivery.subscription_identifiers.size()));
  for (const std::uint32_t id : delivery.subscription_identifiers) out.u32(id);
}

Delivery read_delivery(Reader& in) {
  Delivery delivery;
  delivery.message = read_message(in);
  delivery.qos = static_cast<codec::QoS>(in.u8() & 3);
  delivery.retain = in.flag();
  const std::uint32_t ids = in.u32();
  for (std::uint32_t i = 0; i < ids; ++i) delivery.subscription_identifiers.push_back(in.u32());
  return delivery;
}

}  // namespace

codec::Bytes serialize_message(const Message& message) {
  Writer out;
  out.u8(message_format);
  codec::Publish publish{
      .dup = false,
      .qos = message.qos,
      .retain = message.retain,
      .topic = message.topic,
      .packet_id = message.qos == codec::QoS::at_most_once ? std::uint16_t{0} : std::uint16_t{1},
      .properties = message.properties_or_empty(),
      .payload = message.payload};
  out.bytes(codec::encode(publish, ProtocolVersion::v5_0));
  out.time_point(message.expires_at);
  out.text(message.publisher_client_id);
  out.u64(message.sequence);
  return out.take();
}

MessagePtr deserialize_message(codec::ByteView bytes) {
  Reader in{bytes};
  if (in.u8() != message_format) throw std::runtime_error("stored message has an unknown format");
  auto decoded = codec::decode(in.bytes(), ProtocolVersion::v5_0);
  if (!decoded)
    throw std::runtime_error("stored message does not decode: " +
                             codec::to_string(decoded.error()));
  auto& publish = std::get<codec::Publish>(*decoded);
  auto message = std::make_shared<Message>();
  message->topic = std::move(publish.topic);
  message->payload = std::move(publish.payload);
  message->qos = publish.qos;
  message->retain = publish.retain;
  if (!publish.properties.empty()) {
    message->properties = std::make_shared<const codec::Properties>(std::move(publish.properties));
  }
  message->expires_at = in.time_point();
  message->publisher_client_id = in.text();
  message->sequence = in.u64();
  return message;
}

namespace {

void write_session(Writer& out, const Session& session, bool whole);

bool same_delivery(const Delivery& a, const Delivery& b) {
  return a.message == b.message && a.qos == b.qos && a.retain == b.retain &&
         a.subscription_identifiers == b.subscription_identifiers;
}

// A flight or queued delivery as a record of its own (DurableStore).
template <typename Item, void (*write)(Writer&, const Item&)>
codec::Bytes serialize_record(const Item& item) {
  Writer out;
  write(out, item);
  return out.take();
}

template <typename Item, Item (*read)(Reader&)>
Item deserialize_record(codec::ByteView bytes) {
  Reader in{bytes};
  Item item = read(in);
  if (!in.at_end()) throw std::runtime_error("stored record has trailing bytes");
  return item;
}

void write_flight(Writer& out, const OutboundFlight& flight) {
  out.u16(flight.packet_id);
  out.u8(static_cast<std::uint8_t>(flight.stage));
  out.i64(flight.last_sent.since_origin_us());
  write_delivery(out, flight.delivery);
}

OutboundFlight read_flight(Reader& in) {
  OutboundFlight flight;
  flight.packet_id = in.u16();
  flight.stage = static_cast<OutboundFlight::Stage>(in.u8());
  flight.last_sent = TimePoint::from_us(in.i64());
  flight.delivery = read_delivery(in);
  return flight;
}

bool same_flight(const OutboundFlight& a, const OutboundFlight& b) {
  return a.packet_id == b.packet_id && a.stage == b.stage && a.last_sent == b.last_sent &&
         same_delivery(a.delivery, b.delivery);
}

// Brings `stored` in step with `current` (a session's flights or queue).
// Both change at their ends (sent, acknowledged or dropped at the front,
// added at the back), so the records that still stand for the first items
// are kept and only the rest is serialized; anything else (an expired
// message taken from the middle, a flight acknowledged out of order)
// rebuilds the records from the first difference on.
template <typename Item, typename Current, typename Same, typename Serialize>
void sync_records(std::deque<DurableStore::Record<Item>>& stored, const Current& current, Same same,
                  Serialize serialize) {
  std::size_t gone = 0;  // records of items that left the front
  while (gone < stored.size() && (current.empty() || !same(stored[gone].item, current.front()))) {
    ++gone;
  }
  stored.erase(stored.begin(), stored.begin() + static_cast<std::ptrdiff_t>(gone));
  std::size_t kept = 0;
  while (kept < stored.size() && kept < current.size() && same(stored[kept].item, current[kept])) {
    ++kept;
  }
  stored.resize(kept);
  for (std::size_t i = kept; i < current.size(); ++i) {
    stored.push_back({.item = current[i], .bytes = serialize(current[i])});
  }
}

}  // namespace

codec::Bytes serialize_session(const Session& session) {
  Writer out;
  write_session(out, session, /*whole=*/true);
  return out.take();
}

namespace {

// `whole`: with the flights and the queue; else they are written empty
// (DurableStore keeps them as records of their own).
void write_session(Writer& out, const Session& session, bool whole) {
  out.u8(session_format);
  out.text(session.client_id);
  out.u8(static_cast<std::uint8_t>(session.version));
  out.u32(static_cast<std::uint32_t>(session.subscriptions.size()));
  for (const auto& [filter, options] : session.subscriptions) {
    out.text(filter);
    out.u8(static_cast<std::uint8_t>(options.granted_qos));
    out.flag(options.no_local);
    out.flag(options.retain_as_published);
    out.u8(options.retain_handling);
    out.flag(options.subscription_identifier.has_value());
    out.u32(options.subscription_identifier.value_or(0));
  }
  if (whole) {
    out.u32(static_cast<std::uint32_t>(session.inflight.size()));
    for (const OutboundFlight& flight : session.inflight) write_flight(out, flight);
    out.u32(static_cast<std::uint32_t>(session.queue.size()));
    for (const Delivery& delivery : session.queue) write_delivery(out, delivery);
  } else {
    out.u32(0);
    out.u32(0);
  }
  out.u32(static_cast<std::uint32_t>(session.inbound_qos2.size()));
  for (const auto& [packet_id, held] : session.inbound_qos2) {
    out.u16(packet_id);
    out.flag(held != nullptr);
    if (held) write_message(out, *held);
  }
  out.u16(session.next_packet_id);
  out.u32(session.expiry_interval_s);
  out.time_point(session.expires_at);
  out.flag(session.will.has_value());
  if (session.will) {
    write_message(out, *session.will->message);
    out.u32(session.will->delay_interval_s);
  }
  out.time_point(session.will_due_at);
  out.flag(session.connection.has_value());
}

}  // namespace

Session deserialize_session(codec::ByteView bytes, bool& was_connected) {
  Reader in{bytes};
  if (in.u8() != session_format) throw std::runtime_error("stored session has an unknown format");
  Session session;
  session.client_id = in.text();
  session.version = static_cast<ProtocolVersion>(in.u8());
  for (std::uint32_t n = in.u32(); n > 0; --n) {
    std::string filter = in.text();
    SubscriptionOptions options;
    options.granted_qos = static_cast<codec::QoS>(in.u8() & 3);
    options.no_local = in.flag();
    options.retain_as_published = in.flag();
    options.retain_handling = in.u8();
    const bool has_identifier = in.flag();
    const std::uint32_t identifier = in.u32();
    if (has_identifier) options.subscription_identifier = identifier;
    session.subscriptions.emplace(std::move(filter), options);
  }
  for (std::uint32_t n = in.u32(); n > 0; --n) session.add_flight(read_flight(in));
  for (std::uint32_t n = in.u32(); n > 0; --n) session.queue.push_back(read_delivery(in));
  for (std::uint32_t n = in.u32(); n > 0; --n) {
    const std::uint16_t packet_id = in.u16();
    MessagePtr held = in.flag() ? read_message(in) : nullptr;
    session.inbound_qos2.emplace(packet_id, std::move(held));
  }
  session.next_packet_id = in.u16();
  session.expiry_interval_s = in.u32();
  session.expires_at = in.time_point();
  if (in.flag()) {
    MessagePtr message = read_message(in);
    session.will = WillMessage{.message = std::move(message), .delay_interval_s = in.u32()};
  }
  session.will_due_at = in.time_point();
  was_connected = in.flag();
  if (!in.at_end()) throw std::runtime_error("stored session has trailing bytes");
  return session;
}

void DurableStore::save_session(const Session& session) {
  StoredSession& stored = sessions_[session.client_id];
  Writer head;
  write_session(head, session, /*whole=*/false);
  stored.head = head.take();
  sync_records(stored.inflight, session.inflight, same_flight,
               serialize_record<OutboundFlight, write_flight>);
  sync_records(stored.queue, session.queue, same_delivery,
               serialize_record<Delivery, write_delivery>);
}

void DurableStore::erase_session(std::string_view client_id) {
  if (const auto found = sessions_.find(client_id); found != sessions_.end())
    sessions_.erase(found);
}

void DurableStore::save_retained(const Message& message) {
  retained_.insert_or_assign(message.topic, serialize_message(message));
}

void DurableStore::erase_retained(std::string_view topic) {
  if (const auto found = retained_.find(topic); found != retained_.end()) retained_.erase(found);
}

StoredState DurableStore::load() const {
  StoredState state;
  for (const auto& [client_id, record] : sessions_) {
    StoredState::StoredSession stored;
    stored.session = deserialize_session(record.head, stored.was_connected);
    for (const Record<OutboundFlight>& flight : record.inflight) {
      stored.session.add_flight(deserialize_record<OutboundFlight, read_flight>(flight.bytes));
    }
    for (const Record<Delivery>& queued : record.queue) {
      stored.session.queue.push_back(deserialize_record<Delivery, read_delivery>(queued.bytes));
    }
    state.sessions.push_back(std::move(stored));
  }
  for (const auto& [topic, bytes] : retained_) state.retained.push_back(deserialize_message(bytes));
  return state;
}

std::size_t DurableStore::stored_bytes() const {
  std::size_t total = 0;
  for (const auto& [key, record] : sessions_) {
    total += key.size() + record.head.size();
    for (const Record<OutboundFlight>& flight : record.inflight) total += flight.bytes.size();
    for (const Record<Delivery>& queued : record.queue) total += queued.bytes.size();
  }
  for (const auto& [key, bytes] : retained_) total += key.size() + bytes.size();
  return total;
}

}  // namespace mqttsim::broker
