#pragma once
// One scenario client against a real broker (`mqttsim check`): the same
// protocol::ClientSession a VirtualClient runs, but its bytes go through a
// transport::FaultProxy (the scenario's link made real) to a TCP or TLS
// connection to the broker. Like VirtualClient it records in the trace every
// packet it sends and receives (decoded, with its bytes), every connection
// attempt and end, and keeps the inbox, events and connection ends the
// player judges.
//
// Two clocks: the session and the trace run on real time (keep-alive,
// expiry and will delays are MQTT intervals the broker keeps in real time,
// and the oracle judges them from the trace's times), while connection ends
// are stamped in scenario time (real time x --time-scale), the player's.
//
// --settle: a SUBACK or UNSUBACK reaches events() only `settle` after it
// arrived, so the step that waits for it ends once the broker has had time
// to apply the subscription (brokers may route by it slightly later).
//
// send_raw writes bytes past the session, as VirtualClient does. With a new
// connection the client is in *raw mode* until that connection ends: the
// session is offline and never told of it, every byte the broker sends is
// recorded in the trace (decoded where it decodes; undecodable bytes are
// noted and the rest of the stream left unread, the connection kept), and a
// CONNACK's code or a DISCONNECT's reason is kept for the connection's end.
// Raw bytes written before the connection is up wait for it, in order.
// Whatever connection they travel on, the bytes that reach the broker's
// socket are recorded as `bytes` events of the broker's side, from which
// the oracle reads bad input as it does in simulation.

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/packet_reader.hpp"
#include "kernel/rng.hpp"
#include "protocol/client_session.hpp"
#include "runner/client_port.hpp"
#include "runner/inbound_packets.hpp"
#include "runner/time_scale.hpp"
#include "trace/trace.hpp"
#include "transport/event_loop.hpp"
#include "transport/fault_proxy.hpp"

namespace mqttsim::runner {

// What every client of one TcpWorld shares.
struct TcpClientContext {
  transport::EventLoop& loop;
  trace::Trace& trace;
  transport::StreamOptions stream;
  TimeScale scale;
  TimePoint origin_real;  // real time at which the run's scenario time is 0
  Duration settle_real = Duration::zero();
  // Inbound packets announcing more than this are refused by closing the
  // connection (the session alone would buffer up to the protocol's 256 MiB).
  std::uint32_t inbound_packet_bytes_max = 16 * 1024 * 1024;
  std::function<bool(const std::string& client)> partitioned;
  std::function<trace::ConnectionId()> next_connection_id;

  // The player's clock: real time since the origin, times the scale.
  TimePoint scenario_now() const {
    return TimePoint::origin() + scale.to_scenario(loop.now() - origin_real);
  }
  // The trace's clock: real time since the origin, unscaled, so the oracle
  // judges MQTT intervals (which the broker keeps in real time) correctly.
  TimePoint trace_now() const { return TimePoint::origin() + (loop.now() - origin_real); }
};

class TcpClient final : public ClientPort {
 public:
  TcpClient(TcpClientContext& context, std::string name, protocol::ClientOptions options,
            transport::LinkShape shape, kernel::Rng rng);
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  const std::string& name() const override { return name_; }
  std::optional<std::string> open_connection() override;
  void abort_connection() override;
  void crash(protocol::ClientOptions options, Duration broker_notice_delay) override;
  bool has_connection() const override { return proxy_ != nullptr; }
  std::optional<std::string> send_raw(const std::vector<std::uint8_t>& bytes,
                                      bool new_connection) override;

  protocol::ClientSession& session() override { return session_; }
  TimePoint session_now() const override { return context_.loop.now(); }
  void pump() override;

  const std::vector<protocol::Delivered>& inbox() const override { return inbox_; }
  const std::vector<protocol::Action>& events() const override { return events_; }
  const std::vector<ConnectionEnd>& connection_ends() const override { return ends_; }

  // The current connection's proxy, for the world's faults (null without one).
  transport::FaultProxy* proxy() { return proxy_.get(); }
  // A `faults` window's loss rate, for this connection and later ones.
  void set_loss_override(std::optional<std::uint32_t> loss_ppm);
  // The broker process is restarted now: its end of the current connection
  // is gone at this instant (the trace says so before the socket's own
  // close, which reaches us a little later in real time).
  void broker_restarts();

 private:
  // Gives up the open connection and opens a new one; `raw`: the session
  // never drives it.
  void open_proxy(bool raw);
  void write_raw(std::vector<std::uint8_t> bytes);
  void on_open(std::uint64_t generation);
  void on_bytes(std::span<const std::uint8_t> bytes);
  void on_closed(trace::CloseReason reason, const std::string& detail);
  void end_connection(ConnectionEnd end);
  void retire_proxy();
  void record_packet(trace::Direction direction, codec::Bytes raw);
  // The broker's side of one connection: what crossed its socket, read
  // into packets (actor "broker"), which the oracle judges.
  struct BrokerSide {
    trace::ConnectionId connection = 0;
    codec::PacketReader from_client;               // learns the version from CONNECT
    std::optional<codec::PacketReader> to_client;  // made at the broker's first bytes
  };
  void record_broker_side(BrokerSide& side, trace::Direction direction,
                          std::span<const std::uint8_t> bytes);
  void record(trace::TraceEvent event);
  void note(std::string detail);
  void arm_timer();
  void hold_until_settled(protocol::Action action);
  void release_settled();

  TcpClientContext& context_;
  std::string name_;
  transport::LinkShape shape_;
  kernel::Rng rng_;
  protocol::ClientSession session_;
  std::unique_ptr<transport::FaultProxy> proxy_;
  // Proxies of earlier connections that still have business with the
  // broker (an RST after a notice delay, a half-open socket left open).
  std::list<std::unique_ptr<transport::FaultProxy>> retired_;
  trace::ConnectionId connection_id_ = 0;
  std::uint64_t connections_opened_ = 0;
  std::uint64_t generation_ = 0;               // callbacks of an old connection are ignored
  std::optional<codec::PacketReader> reader_;  // the trace's reading of inbound bytes
  std::optional<std::uint32_t> loss_override_ppm_;
  std::vector<protocol::Delivered> inbox_;
  std::vector<protocol::Action> events_;
  std::vector<ConnectionEnd> ends_;
  BrokerAnswers answers_;  // CONNACK and 5.0 DISCONNECT on the current connection
  bool raw_ = false;       // the current connection is a raw one
  bool open_ = false;      // the current connection is up (on_open)
  // Raw bytes written before the current connection was up.
  std::vector<std::vector<std::uint8_t>> raw_waiting_;
  std::optional<transport::EventLoop::TimerId> timer_;
  std::optional<TimePoint> timer_at_;
  // SUBACKs and UNSUBACKs waiting out --settle.
  std::vector<protocol::Action> settling_;
  std::optional<transport::EventLoop::TimerId> settle_timer_;
};

}  // namespace mqttsim::runner
