#pragma once
// The reference broker as a process on the simulated network: it accepts
// connections, feeds the broker the bytes that arrive, carries out what the
// broker asks (send, close), keeps the broker's next deadline scheduled in
// the simulator, and writes into the trace every packet the broker receives
// and sends (raw bytes and a readable description) and every note the broker
// makes. A restart
// kills the process (every connection is reset from the broker's side) and
// starts a new broker from the same store.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "broker/broker.hpp"
#include "codec/packet_reader.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "trace/trace.hpp"

namespace mqttsim::runner {

enum class StoreKind : std::uint8_t { volatile_store, durable };

// Alters what the broker receives and sends: the tests build deliberately
// broken brokers from the reference one with it, to show that each checker
// of the oracle catches the break it is for. The trace records what crossed
// the broker's socket: packets as the client sent them (before
// to_broker) and as they left (after from_broker).
class PacketInterceptor {
 public:
  virtual ~PacketInterceptor() = default;
  // The packets the broker reads instead of `packet` (none drops it).
  virtual std::vector<codec::Packet> to_broker(net::ConnectionId connection, codec::Packet packet,
                                               ProtocolVersion version) {
    (void)connection;
    (void)version;
    return {std::move(packet)};
  }
  // The bytes the broker reads instead of `bytes`: the rest of the inbound
  // stream from the start of a packet that does not decode (`error` says
  // why). Return them unchanged to let the broker judge them; a broken
  // broker repairs or drops them. Later chunks of that connection reach the
  // broker as they arrive.
  virtual codec::Bytes undecodable(net::ConnectionId connection, codec::Bytes bytes,
                                   const codec::DecodeError& error) {
    (void)connection;
    (void)error;
    return bytes;
  }
  // The packets sent instead of `packet`.
  virtual std::vector<codec::Packet> from_broker(net::ConnectionId connection, codec::Packet packet,
                                                 ProtocolVersion version) {
    (void)connection;
    (void)version;
    return {std::move(packet)};
  }
  // The scripted faults the simulated world applies (the steps `partition`,
  // `heal` and `broker_restart`, not a `faults` step's random ones): for a
  // broken broker that misbehaves only under one combination of faults.
  // An empty `clients` heal heals every partition.
  virtual void partitioned(const std::set<std::string>& clients) { (void)clients; }
  virtual void healed(const std::set<std::string>& clients) { (void)clients; }
  virtual void restarted(bool lost_state) { (void)lost_state; }
};

class BrokerHost {
 public:
  BrokerHost(kernel::Simulator& simulator, net::Network& network, trace::Trace& trace,
             Profile profile, StoreKind store, const broker::Authenticator& authenticator);
  ~BrokerHost();
  BrokerHost(const BrokerHost&) = delete;
  BrokerHost& operator=(const BrokerHost&) = delete;

  // The broker process dies now. Connections are reset from the broker's
  // end, new ones are refused for `down_for`, then a broker starts from the
  // store: with a durable store every session and retained message comes
  // back, with a volatile one nothing does. `lose_state` makes this one
  // restart lose everything whatever the store (a scenario's
  // `broker_restart: volatile` on a durable broker: the disk was wiped).
  void restart(Duration down_for = Duration::zero(), bool lose_state = false);
  bool running() const { return broker_ != nullptr; }
  void set_interceptor(std::shared_ptr<PacketInterceptor> interceptor) {
    interceptor_ = std::move(interceptor);
  }

  const broker::Broker& broker() const { return *broker_; }

 private:
  net::EndpointCallbacks accept(net::ConnectionId connection, std::string_view client_name);
  void start();
  void carry_out_outputs();
  // Records what arrived and returns the packets the broker should read
  // (only used with an interceptor; without one the broker reads the bytes).
  std::vector<codec::Bytes> record_received(net::ConnectionId connection, net::ByteView bytes);
  void send(net::ConnectionId network_id, broker::ConnectionId broker_id, const codec::Bytes& bytes,
            ProtocolVersion version);
  void record_packet(net::ConnectionId connection, trace::Direction direction,
                     ProtocolVersion version, codec::Bytes raw);
  void arm_timer();

  kernel::Simulator& simulator_;
  net::Network& network_;
  trace::Trace& trace_;
  Profile profile_;
  const broker::Authenticator& authenticator_;
  std::unique_ptr<broker::SessionStore> store_;
  std::unique_ptr<broker::Broker> broker_;
  // Callbacks of a dead broker's connections must not reach its successor.
  std::uint64_t generation_ = 0;
  std::map<net::ConnectionId, broker::ConnectionId> broker_ids_;
  std::map<broker::ConnectionId, net::ConnectionId> network_ids_;
  // The trace's own reading of each connection's inbound stream (the broker
  // keeps its reader to itself).
  std::map<net::ConnectionId, codec::PacketReader> readers_;
  // With an interceptor only: each connection's inbound bytes from the start
  // of the packet being read, so an undecodable one reaches the broker
  // whole (at most one partial packet each; entries of closed connections
  // stay until the broker restarts).
  std::map<net::ConnectionId, codec::Bytes> unread_;
  std::optional<kernel::EventId> timer_;
  std::optional<TimePoint> timer_at_;
  std::shared_ptr<PacketInterceptor> interceptor_;
};

}  // namespace mqttsim::runner
