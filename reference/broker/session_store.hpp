#pragma once
// Where the broker's persistent state lives: sessions and retained messages.
// The broker writes every change here before the outputs that acknowledge it
// leave `Broker` (they are only handed out when the call that made them
// returns), so a durable store loses nothing the broker acknowledged,
// whenever the broker is restarted.
//
//   VolatileStore: keeps nothing; a restart loses every session and retained
//                  message (and CONNACK's session present says so).
//   DurableStore:  keeps each session and retained message as serialized
//                  bytes, and a restart rebuilds the broker from those bytes.
//                  A session's in-flight window and queue are kept as one
//                  record per flight and per delivery, brought in step with
//                  the session on each save, so that a message queued or
//                  acknowledged costs a record, not the serializing of a
//                  long queue or window again.

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "broker/message.hpp"
#include "broker/session.hpp"
#include "codec/codec.hpp"

namespace mqttsim::broker {

// What a broker finds in its store when it starts.
struct StoredState {
  struct StoredSession {
    Session session;
    bool was_connected = false;  // its connection was open when the broker stopped
  };
  std::vector<StoredSession> sessions;
  std::vector<MessagePtr> retained;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual void save_session(const Session& session) = 0;
  virtual void erase_session(std::string_view client_id) = 0;
  virtual void save_retained(const Message& message) = 0;
  virtual void erase_retained(std::string_view topic) = 0;
  virtual StoredState load() const = 0;
  virtual bool durable() const = 0;
};

class VolatileStore final : public SessionStore {
 public:
  void save_session(const Session&) override {}
  void erase_session(std::string_view) override {}
  void save_retained(const Message&) override {}
  void erase_retained(std::string_view) override {}
  StoredState load() const override { return {}; }
  bool durable() const override { return false; }
};

class DurableStore final : public SessionStore {
 public:
  void save_session(const Session& session) override;
  void erase_session(std::string_view client_id) override;
  void save_retained(const Message& message) override;
  void erase_retained(std::string_view topic) override;
  StoredState load() const override;
  bool durable() const override { return true; }

  std::size_t stored_bytes() const;

  // A flight or queued delivery as the session holds it (sharing its
  // message, to tell which one it is) and as serialized.
  template <typename Item>
  struct Record {
    Item item;
    codec::Bytes bytes;
  };

 private:
  struct StoredSession {
    codec::Bytes head;  // the session without its flights and queue
    std::deque<Record<OutboundFlight>> inflight;
    std::deque<Record<Delivery>> queue;
  };

  std::map<std::string, StoredSession, std::less<>> sessions_;
  std::map<std::string, codec::Bytes, std::less<>> retained_;
};

// The serialized forms (versioned, self-describing enough to reject a
// corrupt record). Exposed so a file-backed store can reuse them.
codec::Bytes serialize_session(const Session& session);
Session deserialize_session(codec::ByteView bytes, bool& was_connected);
codec::Bytes serialize_message(const Message& message);
MessagePtr deserialize_message(codec::ByteView bytes);

}  // namespace mqttsim::broker
