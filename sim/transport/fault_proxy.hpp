#pragma once
// The fault proxy: it sits on one connection between an in-process MQTT
// client and an external broker and makes a scenario's network real. The
// client hands it bytes instead of writing a socket; the proxy carries them
// to the broker's socket (a BrokerStream) and the broker's bytes back, each
// way as the simulated network (sim/net/network.hpp) would:
//
//  - every chunk is a segment that arrives after latency + jitter (+ its
//    serialisation time at `bandwidth_bytes_per_s`), never before the one
//    ahead of it: nothing is reordered;
//  - a segment transmitted while the client is partitioned, or drawn lost
//    (loss_ppm), is retransmitted after the RTO, doubling up to rto_max;
//    the segments behind it wait (head-of-line blocking, as in TCP). After
//    max_retransmits the sender gives up: its end closes with `timeout` and
//    the RST it sends is lost if the partition still holds. So a partition
//    is a black hole, but a *TCP* black hole: bytes are held back, not
//    silently deleted from the middle of a stream (which no TCP does), and
//    a partition longer than the retransmission budget kills the connection;
//  - reset: nothing more gets through; the broker gets a real RST (SO_LINGER
//    0, then close) after `broker_notice_delay`, the client learns after
//    `client_notice_delay`;
//  - half-open: nothing more gets through and only `learner` is told. The
//    client learning means its session sees the connection close while the
//    broker's socket stays open and silent (the broker finds out by its
//    keep-alive); the broker learning means an RST to the broker while the
//    client is told nothing and its writes vanish until its keep-alive
//    gives up.
//
// Times here are real times: the caller has already applied --time-scale.
// Everything the proxy does to the connection is reported through on_fault
// and on_note, for the trace.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "kernel/rng.hpp"
#include "trace/trace_event.hpp"
#include "transport/broker_stream.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::transport {

// How one link behaves, in real time (sim/net/link_params.hpp's meaning).
struct LinkShape {
  Duration latency = Duration::zero();
  Duration jitter = Duration::zero();
  std::uint64_t bandwidth_bytes_per_s = 0;  // 0: unlimited
  std::uint32_t loss_ppm = 0;
  Duration rto_initial = Duration::from_ms(200);
  Duration rto_max = Duration::from_s(60);
  std::uint32_t max_retransmits = 8;
};

enum class LinkSide : std::uint8_t { client, broker };

struct ProxyCallbacks {
  // The in-process client's end of the connection.
  std::function<void()> on_open;
  std::function<void(std::span<const std::uint8_t>)> on_bytes;
  std::function<void(trace::CloseReason, std::string detail)> on_closed;
  // What the proxy did, for the trace.
  std::function<void(trace::FaultKind, std::string detail)> on_fault;
  std::function<void(std::string detail)> on_note;
  // The broker's side of the connection, for the trace (the oracle judges
  // the broker by what crossed its socket): bytes as they were written to
  // or read from the broker's socket, and how that socket ended, from the
  // broker's point of view (peer_closed: our FIN; reset: our RST; graceful:
  // the broker closed it; aborted: the broker reset it), and whether we
  // ended it while the broker could still be writing
  // (trace::Mark::output_may_be_unseen).
  std::function<void(trace::Direction, std::span<const std::uint8_t>)> on_broker_bytes;
  std::function<void(trace::CloseReason, std::string detail, bool output_may_be_unseen)>
      on_broker_closed;
};

class FaultProxy {
 public:
  // Opens the broker connection at once. `cut`: the client is partitioned
  // now (set_cut changes it).
  FaultProxy(EventLoop& loop, const StreamOptions& stream, LinkShape shape, kernel::Rng rng,
             bool cut, ProxyCallbacks callbacks);
  // Resets the broker connection if it is still open; no callback follows.
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // --- the client's end ---
  void send(std::vector<std::uint8_t> bytes);
  // Graceful: what was sent goes first, then the broker's socket is closed
  // (FIN). The client reads nothing more.
  void close();
  // The client resets the connection (a reconnect, a crash): nothing queued
  // goes through; the broker's socket gets an RST after
  // `broker_notice_delay` (by default one trip's latency), or never if the
  // partition swallows it.
  void abort(std::optional<Duration> broker_notice_delay = std::nullopt);

  // --- faults ---
  void reset(Duration client_notice_delay, Duration broker_notice_delay);
  void half_open(LinkSide learner);
  void set_cut(bool cut);
  // Replaces the link's loss rate (a `faults` window's loss:); nullopt: back
  // to the link's own.
  void set_loss_override(std::optional<std::uint32_t> loss_ppm);

  // The client's end is open (told on_open, not yet closed).
  bool client_open() const { return client_ == EndState::open; }
  // The broker's socket is connected and not yet closed.
  bool broker_open() const { return broker_opened_ && stream_ != nullptr; }
  // Both ends are closed: nothing more will happen on this connection.
  bool finished() const;

 private:
  enum class EndState : std::uint8_t { opening, open, closed };
  enum class SegmentKind : std::uint8_t { open, data, end };
  struct Segment {
    SegmentKind kind = SegmentKind::data;
    std::vector<std::uint8_t> bytes;
    trace::CloseReason end_reason = trace::CloseReason::none;  // kind end
    std::string end_detail;
    std::uint32_t retransmits = 0;
    bool arrived = false;
  };
  // One direction.
  struct Pipe {
    std::uint64_t next_index = 0;
    std::uint64_t next_deliver = 0;
    TimePoint link_free_at;
    TimePoint last_arrival;
    std::map<std::uint64_t, Segment> segments;  // queued, not yet handed over
  };
  static constexpr std::size_t to_broker = 0;
  static constexpr std::size_t to_client = 1;

  void enqueue(std::size_t direction, Segment segment);
  void attempt(std::size_t direction, std::uint64_t index);
  void arrive(std::size_t direction, std::uint64_t index);
  void hand_over(std::size_t direction, Segment& segment);
  void give_up(std::size_t direction);
  void tell_client_closed(trace::CloseReason reason, std::string detail);
  // Records what the broker sent that has arrived but was not read yet.
  void record_unread(std::string_view when);
  void reset_broker_socket(std::string why);
  void blackhole();
  Duration one_way_delay();
  Duration backoff(std::uint32_t retransmits) const;
  void schedule(TimePoint at, std::function<void()> action);
  void note(std::string detail);

  EventLoop& loop_;
  LinkShape shape_;
  kernel::Rng rng_;
  bool cut_ = false;
  bool blackholed_ = false;  // reset or half-open: nothing gets through
  std::optional<std::uint32_t> loss_override_ppm_;
  ProxyCallbacks callbacks_;
  EndState client_ = EndState::opening;
  std::unique_ptr<BrokerStream> stream_;  // null once the broker's end is closed
  bool broker_opened_ = false;
  Pipe pipes_[2];
  std::set<EventLoop::TimerId> timers_;
};

}  // namespace mqttsim::transport
