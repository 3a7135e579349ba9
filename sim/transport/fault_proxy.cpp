#include "transport/fault_proxy.hpp"

#include <algorithm>

namespace mqttsim::transport {

namespace {

std::string_view direction_name(std::size_t direction) {
  return direction == 0 ? "client->broker" : "broker->client";
}

trace::CloseReason close_reason(StreamEnd end) {
  switch (end) {
    case StreamEnd::peer_closed:
      return trace::CloseReason::peer_closed;
    case StreamEnd::reset:
    case StreamEnd::error:
      return trace::CloseReason::reset;
    case StreamEnd::refused:
      return trace::CloseReason::refused;
    case StreamEnd::timeout:
      return trace::CloseReason::timeout;
  }
  return trace::CloseReason::reset;
}

// How the broker's end saw its socket end, when the broker (or the network
// under it) ended it.
trace::CloseReason broker_view(StreamEnd end) {
  switch (end) {
    case StreamEnd::peer_closed:
      return trace::CloseReason::graceful;
    case StreamEnd::reset:
      return trace::CloseReason::aborted;
    case StreamEnd::refused:
      return trace::CloseReason::refused;
    case StreamEnd::timeout:
      return trace::CloseReason::timeout;
    case StreamEnd::error:
      return trace::CloseReason::reset;
  }
  return trace::CloseReason::reset;
}

}  // namespace

FaultProxy::FaultProxy(EventLoop& loop, const StreamOptions& stream, LinkShape shape,
                       kernel::Rng rng, bool cut, ProxyCallbacks callbacks)
    : loop_{loop}, shape_{shape}, rng_{rng}, cut_{cut}, callbacks_{std::move(callbacks)} {
  for (Pipe& pipe : pipes_) pipe.link_free_at = pipe.last_arrival = loop_.now();
  StreamCallbacks on_stream;
  on_stream.on_open = [this] {
    broker_opened_ = true;
    enqueue(to_client, Segment{.kind = SegmentKind::open});
  };
  on_stream.on_bytes = [this](std::span<const std::uint8_t> bytes) {
    if (callbacks_.on_broker_bytes)
      callbacks_.on_broker_bytes(trace::Direction::broker_to_client, bytes);
    if (blackholed_ || client_ == EndState::closed) return;  // nobody reads them
    enqueue(to_client, Segment{.bytes = {bytes.begin(), bytes.end()}});
  };
  on_stream.on_closed = [this](StreamEnd end, std::string detail) {
    stream_.reset();  // safe inside its callback: the pending handler keeps its state alive
    note("broker connection ended: " + std::string{to_string(end)} +
         (detail.empty() ? "" : " (" + detail + ")"));
    if (broker_opened_ && callbacks_.on_broker_closed) {
      callbacks_.on_broker_closed(broker_view(end), detail, false);
    }
    if (blackholed_ || client_ == EndState::closed) return;
    enqueue(
        to_client,
        Segment{.kind = SegmentKind::end, .end_reason = close_reason(end), .end_detail = detail});
  };
  stream_ = BrokerStream::open(loop_, stream, std::move(on_stream));
}

FaultProxy::~FaultProxy() {
  for (const EventLoop::TimerId id : timers_) loop_.cancel(id);
  if (stream_) stream_->reset();
}

bool FaultProxy::finished() const { return client_ == EndState::closed && !stream_; }

void FaultProxy::schedule(TimePoint at, std::function<void()> action) {
  // The id is known only after scheduling; the action finds itself by a
  // shared slot.
  auto slot = std::make_shared<EventLoop::TimerId>(0);
  *slot = loop_.schedule_at(at, [this, slot, action = std::move(action)] {
    timers_.erase(*slot);
    action();
  });
  timers_.insert(*slot);
}

void FaultProxy::note(std::string detail) {
  if (callbacks_.on_note) callbacks_.on_note(std::move(detail));
}

Duration FaultProxy::one_way_delay() {
  const auto jitter_us = rng_.uniform(0, static_cast<std::uint64_t>(shape_.jitter.count_us()));
  return shape_.latency + Duration::from_us(static_cast<std::int64_t>(jitter_us));
}

Duration FaultProxy::backoff(std::uint32_t retransmits) const {
  // rto_initial * 2^(retransmits - 1), capped (as sim/net does); bounded by
  // max_retransmits.
  Duration rto = shape_.rto_initial;
  for (std::uint32_t i = 1; i < retransmits && rto < shape_.rto_max; ++i) rto = rto * 2;
  return std::min(rto, shape_.rto_max);
}

void FaultProxy::enqueue(std::size_t direction, Segment segment) {
  Pipe& pipe = pipes_[direction];
  const std::uint64_t index = pipe.next_index++;
  pipe.segments.emplace(index, std::move(segment));
  attempt(direction, index);
}

void FaultProxy::attempt(std::size_t direction, std::uint64_t index) {
  if (blackholed_) return;
  Pipe& pipe = pipes_[direction];
  const auto found = pipe.segments.find(index);
  if (found == pipe.segments.end()) return;
  Segment& segment = found->second;
  const std::uint32_t loss_ppm = loss_override_ppm_.value_or(shape_.loss_ppm);
  const bool lost = cut_ || (loss_ppm > 0 && rng_.chance(loss_ppm));
  if (lost) {
    if (segment.retransmits >= shape_.max_retransmits) {
      // The last retransmission went unanswered for one more RTO.
      schedule(loop_.now() + backoff(segment.retransmits + 1), [this, direction, index] {
        if (pipes_[direction].segments.count(index) > 0) give_up(direction);
      });
      return;
    }
    ++segment.retransmits;
    const Duration wait = backoff(segment.retransmits);
    note(std::string{direction_name(direction)} + " segment " + std::to_string(index) + " lost" +
         (cut_ ? " (partition)" : "") + ", retransmission " + std::to_string(segment.retransmits) +
         " in " + to_string(wait));
    schedule(loop_.now() + wait, [this, direction, index] { attempt(direction, index); });
    return;
  }
  const TimePoint now = loop_.now();
  TimePoint sent = now;
  if (shape_.bandwidth_bytes_per_s > 0 && !segment.bytes.empty()) {
    const auto serialise_us =
        static_cast<std::int64_t>(segment.bytes.size() * 1'000'000 / shape_.bandwidth_bytes_per_s);
    pipe.link_free_at = std::max(pipe.link_free_at, now) + Duration::from_us(serialise_us);
    sent = pipe.link_free_at;
  }
  const TimePoint arrival = std::max(pipe.last_arrival, sent + one_way_delay());
  pipe.last_arrival = arrival;
  schedule(arrival, [this, direction, index] { arrive(direction, index); });
}

void FaultProxy::arrive(std::size_t direction, std::uint64_t index) {
  if (blackholed_) return;
  Pipe& pipe = pipes_[direction];
  const auto found = pipe.segments.find(index);
  if (found == pipe.segments.end()) return;
  found->second.arrived = true;
  // In order: a segment waits for every one ahead of it.
  while (!blackholed_) {
    const auto next = pipe.segments.find(pipe.next_deliver);
    if (next == pipe.segments.end() || !next->second.arrived) break;
    Segment segment = std::move(next->second);
    pipe.segments.erase(next);
    ++pipe.next_deliver;
    hand_over(direction, segment);
  }
}

void FaultProxy::hand_over(std::size_t direction, Segment& segment) {
  if (direction == to_broker) {
    if (!stream_) return;
    if (segment.kind == SegmentKind::end) {
      record_unread("at the client's close");
      stream_->close();  // the FIN: the stream finishes writing, then closes
      stream_.reset();
      note("connection closed towards the broker (FIN)");
      if (callbacks_.on_broker_closed) {
        // The broker may write on until it reads the FIN; we no longer read.
        callbacks_.on_broker_closed(trace::CloseReason::peer_closed, "the client closed", true);
      }
    } else {
      if (callbacks_.on_broker_bytes) {
        callbacks_.on_broker_bytes(trace::Direction::client_to_broker, segment.bytes);
      }
      stream_->write(std::move(segment.bytes));
    }
    return;
  }
  if (client_ == EndState::closed) return;
  switch (segment.kind) {
    case SegmentKind::open:
      client_ = EndState::open;
      if (callbacks_.on_open) callbacks_.on_open();
      break;
    case SegmentKind::data:
      if (callbacks_.on_bytes) callbacks_.on_bytes(segment.bytes);
      break;
    case SegmentKind::end:
      tell_client_closed(segment.end_reason, std::move(segment.end_detail));
      break;
  }
}

void FaultProxy::give_up(std::size_t direction) {
  note(std::string{direction_name(direction)} + ": retransmissions ran out after " +
       std::to_string(shape_.max_retransmits) + "; the sender resets the connection");
  const bool rst_gets_through = !cut_;
  blackhole();
  if (direction == to_broker) {
    tell_client_closed(trace::CloseReason::timeout, "retransmissions ran out");
    if (rst_gets_through) {
      reset_broker_socket("the client's RST after its retransmissions ran out");
    } else {
      note("the client's RST is lost in the partition; the broker's socket stays open");
    }
  } else {
    reset_broker_socket("the broker's retransmissions ran out");
    if (rst_gets_through) tell_client_closed(trace::CloseReason::reset, "the broker gave up");
  }
}

void FaultProxy::tell_client_closed(trace::CloseReason reason, std::string detail) {
  if (client_ == EndState::closed) return;
  client_ = EndState::closed;
  pipes_[to_client].segments.clear();
  if (callbacks_.on_closed) callbacks_.on_closed(reason, std::move(detail));
}

void FaultProxy::record_unread(std::string_view when) {
  // The broker wrote these before we end its connection; they are lost on
  // the way, but the broker sent them, and a resend of them rightly carries
  // DUP=1.
  const std::vector<std::uint8_t> unread = stream_->take_unread();
  if (unread.empty()) return;
  note(std::to_string(unread.size()) + " bytes the broker sent were in flight " +
       std::string{when});
  if (callbacks_.on_broker_bytes) {
    callbacks_.on_broker_bytes(trace::Direction::broker_to_client, unread);
  }
}

void FaultProxy::reset_broker_socket(std::string why) {
  if (!stream_) return;
  record_unread("at the reset");
  stream_->reset();
  stream_.reset();
  note("RST sent to the broker: " + why);
  // Bytes still in the broker's own send queue are beyond reach (see
  // trace::Mark::output_may_be_unseen).
  if (callbacks_.on_broker_closed) {
    callbacks_.on_broker_closed(trace::CloseReason::reset, std::move(why), true);
  }
}

void FaultProxy::blackhole() {
  blackholed_ = true;
  for (Pipe& pipe : pipes_) pipe.segments.clear();
}

void FaultProxy::send(std::vector<std::uint8_t> bytes) {
  if (client_ != EndState::open || blackholed_) return;  // a dead link swallows them
  enqueue(to_broker, Segment{.bytes = std::move(bytes)});
}

void FaultProxy::close() {
  if (client_ == EndState::closed) return;
  client_ = EndState::closed;
  pipes_[to_client].segments.clear();
  if (blackholed_) return;
  enqueue(to_broker, Segment{.kind = SegmentKind::end});
}

void FaultProxy::abort(std::optional<Duration> broker_notice_delay) {
  if (client_ == EndState::closed && !stream_) return;
  client_ = EndState::closed;
  const bool already_dead = blackholed_;
  blackhole();
  if (already_dead || !stream_) return;
  if (cut_) {
    note("the client's RST is lost in the partition; the broker's socket stays open");
    return;
  }
  const Duration delay = broker_notice_delay.value_or(one_way_delay());
  schedule(loop_.now() + delay, [this] { reset_broker_socket("the client reset the connection"); });
}

void FaultProxy::reset(Duration client_notice_delay, Duration broker_notice_delay) {
  if (blackholed_ && !stream_ && client_ == EndState::closed) return;
  if (callbacks_.on_fault) {
    callbacks_.on_fault(trace::FaultKind::reset,
                        "client_notice_us=" + std::to_string(client_notice_delay.count_us()) +
                            " broker_notice_us=" + std::to_string(broker_notice_delay.count_us()));
  }
  blackhole();
  schedule(loop_.now() + broker_notice_delay,
           [this] { reset_broker_socket("the link was reset"); });
  schedule(loop_.now() + client_notice_delay,
           [this] { tell_client_closed(trace::CloseReason::reset, "the link was reset"); });
}

void FaultProxy::half_open(LinkSide learner) {
  if (blackholed_) return;
  if (callbacks_.on_fault) {
    callbacks_.on_fault(trace::FaultKind::half_open,
                        learner == LinkSide::client ? "learner=client" : "learner=broker");
  }
  blackhole();
  if (learner == LinkSide::client) {
    note("the broker's socket stays open and silent");
    tell_client_closed(trace::CloseReason::reset, "half-open link");
  } else {
    reset_broker_socket("half-open link, noticed by the broker");
  }
}

void FaultProxy::set_cut(bool cut) { cut_ = cut; }

void FaultProxy::set_loss_override(std::optional<std::uint32_t> loss_ppm) {
  loss_override_ppm_ = loss_ppm;
}

}  // namespace mqttsim::transport
