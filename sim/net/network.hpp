#pragma once
// Simulated TCP-like connections between named clients and the broker.
//
// A connection is a pair of ordered byte streams. A write is cut into
// randomly sized segments; each segment waits for the link (bandwidth), may
// be lost (then retransmitted after an RTO that doubles each time), and
// arrives after latency + jitter, never before the segment ahead of it; the
// receiver gets bytes strictly in order, so a lost segment holds back the
// ones behind it (head-of-line blocking). Nothing is ever duplicated or
// reordered; bytes are lost only when the connection dies.
//
// Ends learn of a close the way TCP ends do:
//   close()  graceful: queued bytes go first, then a FIN; the peer learns
//            peer_closed when the FIN arrives (it is retransmitted like data).
//            The closing end reads no more: bytes on their way to it are
//            dropped, and bytes sent to it afterwards are answered with an RST
//            (as a real socket closed with unread data does).
//   abort()  the local queue is dropped and an RST is sent; the peer learns
//            `reset` when it arrives. RSTs are never retransmitted, but data
//            arriving at a closed end is answered with another RST.
//   timeout  a segment was retransmitted max_retransmits times: the sender
//            gives up (closes with `timeout`) and sends an RST.
// The handshake: the SYN is lost and retransmitted like data; the answer
// (accept or refusal) takes one latency and is not lost (simplification).
//
// Every connect, accept, refusal, delivered chunk, fault and close is appended
// to the trace. Events queued in the simulator point at the Network: destroy
// the Network only once the simulator will not run again (declare the
// Simulator first). All randomness comes from per-connection generators derived
// by client name and connection ordinal, so one connection's draws never
// shift another's.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.hpp"
#include "base/time.hpp"
#include "kernel/rng.hpp"
#include "kernel/simulator.hpp"
#include "net/faults.hpp"
#include "net/link_params.hpp"
#include "trace/trace.hpp"

namespace mqttsim::net {

using trace::CloseReason;
using trace::ConnectionId;
using ByteView = std::span<const std::uint8_t>;

// What one end's application hears. Any callback may be empty. After
// on_closed (or after the end itself calls close or abort) none is called again.
struct EndpointCallbacks {
  std::function<void()> on_open;
  std::function<void(ByteView)> on_bytes;
  std::function<void(CloseReason)> on_closed;
};

// The broker's accept: returns the callbacks of the broker end.
using AcceptHandler =
    std::function<EndpointCallbacks(ConnectionId connection, std::string_view client_name)>;

enum class ConnectError : std::uint8_t {
  invalid_link_params,
  too_many_connections,  // more than connections_max live, or 2^24 - 1 in the run
};
enum class SendError : std::uint8_t {
  unknown_connection,
  not_open,     // still connecting
  closed,       // this end closed, aborted or learnt of a close
  buffer_full,  // more than queued_bytes_per_direction_max unacknowledged bytes
};
std::string_view to_string(ConnectError error);
std::string_view to_string(SendError error);

enum class EndState : std::uint8_t { connecting, open, closed };

struct NetworkLimits {
  std::size_t connections_max = 4'096;  // connections with an end not yet closed
  std::size_t queued_bytes_per_direction_max = 16u << 20;
};

class Network {
 public:
  // Limits of the packed segment reference (TigerBeetle style): 2^24 - 1
  // connections per run, 2^39 segments per direction of one connection.
  static constexpr ConnectionId connection_id_max = (ConnectionId{1} << 24) - 1;
  static constexpr std::uint64_t segment_index_max = (std::uint64_t{1} << 39) - 1;

  // `rng` is the run's generator derived as "network"; `trace` outlives this.
  Network(kernel::Simulator& simulator, kernel::Rng rng, trace::Trace& trace,
          NetworkLimits limits = {});
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // The broker side. Without a handler, or while the broker is down,
  // connection attempts are refused.
  void listen(AcceptHandler on_accept);
  void set_broker_up(bool up);
  bool broker_up() const { return broker_up_; }

  // Starts a connection attempt; the client's on_open follows after the
  // handshake, or on_closed(refused / timeout).
  Expected<ConnectionId, ConnectError> connect(std::string client_name, const LinkParams& params,
                                               EndpointCallbacks client);
  // Queues bytes behind earlier ones; returns how many were queued.
  Expected<std::size_t, SendError> send(ConnectionId id, End from, ByteView bytes);
  // Graceful close and reset; both do nothing on an end already closed.
  void close(ConnectionId id, End end);
  void abort(ConnectionId id, End end);

  // Faults, now.
  void reset(ConnectionId id, Duration client_notice_delay, Duration broker_notice_delay);
  void half_open(ConnectionId id, End learner);
  void partition(const std::set<std::string>& clients);
  void heal(const std::set<std::string>& clients);  // empty: heal all
  void inject(const Fault& fault);
  // Faults, later.
  void schedule(const ScheduledFault& fault);
  // Draws fault times in [from, until) now (from the generator derived as
  // "faults"); targets are drawn when each fires. Throws std::invalid_argument
  // for rates that would exceed random_faults_per_kind_max in the window.
  void schedule_random_faults(const FaultRates& rates, TimePoint from, TimePoint until);
  // Replaces the loss rate of these clients' links (empty: every client),
  // live ones and those opened later, until the returned override is
  // lifted. A later override wins over an earlier one while both last.
  using LossOverrideId = std::uint64_t;
  LossOverrideId override_loss(const std::set<std::string>& clients, std::uint32_t loss_ppm);
  void lift_loss_override(LossOverrideId id);

  // Inspection.
  std::optional<EndState> state(ConnectionId id, End end) const;
  // Connections with at least one end not closed, by id.
  std::vector<ConnectionId> live_connections() const;
  std::vector<ConnectionId> live_connections_of(std::string_view client) const;
  bool partitioned(std::string_view client) const { return partitioned_.count(client) > 0; }

 private:
  struct Segment {
    std::vector<std::uint8_t> bytes;
    bool fin = false;
    std::uint32_t retransmits = 0;
  };
  // One direction of a connection.
  struct Pipe {
    std::uint64_t next_index = 0;                // the next segment to be queued
    std::uint64_t next_deliver = 0;              // the next segment the receiver gets
    TimePoint link_free_at;                      // when the link finishes serialising
    TimePoint last_arrival;                      // no segment arrives before this
    std::map<std::uint64_t, Segment> in_flight;  // queued, not yet arrived
    std::map<std::uint64_t, Segment> arrived;    // arrived, waiting for a gap
    std::size_t queued_bytes = 0;
  };
  struct Endpoint {
    std::string name;
    EndpointCallbacks callbacks;
    EndState state = EndState::connecting;
  };
  struct Connection {
    Connection(ConnectionId id_, std::string client, const LinkParams& params_, kernel::Rng rng_)
        : id{id_}, client_name{std::move(client)}, params{params_}, rng{rng_} {}
    ConnectionId id = 0;
    std::string client_name;
    LinkParams params;
    kernel::Rng rng;
    Endpoint ends[2];  // indexed by End
    Pipe pipes[2];     // indexed by the sending End
    std::uint32_t syn_retransmits = 0;
    bool blackholed = false;  // reset or half-open: nothing gets through
    bool retiring = false;
  };

  Connection* find(ConnectionId id);
  const Connection* find(ConnectionId id) const;
  bool cut_off(const Connection& c) const;
  Duration one_way_delay(Connection& c);
  Duration backoff(const Connection& c, std::uint32_t retransmits) const;

  void record(trace::TraceEvent event);
  void record_close(const Connection& c, End end, CloseReason reason);

  void syn_attempt(ConnectionId id);
  void syn_arrive(ConnectionId id);
  void handshake_answer(ConnectionId id, bool accepted);
  void queue_segment(Connection& c, End from, Segment segment);
  // (connection, sending end, segment index) in one word, so the events of
  // a segment capture 16 bytes and live inline in the simulator's slots.
  struct SegmentRef {
    std::uint64_t packed;
    ConnectionId id() const { return packed >> 40; }
    End from() const { return static_cast<End>((packed >> 39) & 1); }
    std::uint64_t index() const { return packed & segment_index_max; }
  };
  static SegmentRef segment_ref(ConnectionId id, End from, std::uint64_t index);
  void transmit(SegmentRef ref);
  void arrive(SegmentRef ref);
  void deliver_ready(ConnectionId id, End to);
  void send_rst(Connection& c, End from);
  void rst_arrive(ConnectionId id, End to);
  void abandon_handshake(Connection& c, End closing);
  void discard(Pipe& pipe);
  // Closes `end` abnormally: its queue is dropped and its application is told.
  void close_end(Connection& c, End end, CloseReason reason);
  void maybe_retire(Connection& c);
  void fire_random(trace::FaultKind kind, const FaultRates& rates);
  // The loss rate in force on `c`: the newest override naming its client,
  // else its own.
  std::uint32_t loss_ppm(const Connection& c) const;

  kernel::Simulator& sim_;
  kernel::Rng rng_;
  kernel::Rng fault_rng_;
  trace::Trace& trace_;
  NetworkLimits limits_;
  AcceptHandler on_accept_;
  bool broker_up_ = true;
  ConnectionId next_id_ = 1;
  std::map<ConnectionId, Connection> connections_;  // node-based: stable references
  struct LossOverride {
    std::set<std::string> clients;  // empty: every client
    std::uint32_t loss_ppm = 0;
  };
  std::map<LossOverrideId, LossOverride> loss_overrides_;  // by id: newest last
  LossOverrideId next_loss_override_ = 1;
  std::map<std::string, std::uint64_t, std::less<>> connects_by_client_;
  std::set<std::string, std::less<>> partitioned_;
};

}  // namespace mqttsim::net
