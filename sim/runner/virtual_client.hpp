#pragma once
// One scenario client on the simulated network: a protocol::ClientSession
// wired to net::Network connections. It opens connections when asked, feeds
// the session the bytes that arrive, carries out the session's actions, keeps
// the session's next deadline scheduled, and records in the trace every
// packet the client sends and receives (decoded, with its bytes) and every
// application-level event (delivery, CONNACK, close).
//
// What the application saw is kept for the runner to judge: `inbox()` holds
// every delivered message in arrival order, `events()` every other action.
// A crash replaces the session with a fresh one (the device lost its state);
// the inbox, being the observer's record, is kept.
//
// send_raw writes bytes past the session. With a new connection the client
// is in *raw mode* until that connection ends: the session is offline and
// never told of it, every byte the broker sends is recorded in the trace
// (decoded where it decodes), and a CONNACK's code or a DISCONNECT's reason
// is kept for the connection's end, so `expect ... closed` judges it as any
// other. Raw bytes written before the connection is up wait for it, in
// order.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "codec/packet_reader.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "protocol/client_session.hpp"
#include "runner/client_port.hpp"
#include "runner/inbound_packets.hpp"
#include "trace/trace.hpp"

namespace mqttsim::runner {

class VirtualClient final : public ClientPort {
 public:
  VirtualClient(kernel::Simulator& simulator, net::Network& network, trace::Trace& trace,
                std::string name, protocol::ClientOptions options, net::LinkParams link);
  ~VirtualClient();
  VirtualClient(const VirtualClient&) = delete;
  VirtualClient& operator=(const VirtualClient&) = delete;

  // Opens a network connection; the session sends CONNECT once it is up.
  // An open connection is aborted first (a device that reconnects).
  Expected<net::ConnectionId, net::ConnectError> connect();
  // Resets the open connection (if any) from the client's end, as a client
  // does that gives up on a connection; the session state survives.
  void abort_connection() override;
  // The device crashes: its connection is reset (the broker learns after
  // `broker_notice_delay`) and it loses its session state; `options`
  // configure the session it starts again with.
  void crash(protocol::ClientOptions options,
             Duration broker_notice_delay = Duration::zero()) override;
  std::optional<std::string> open_connection() override;
  bool has_connection() const override { return connection_.has_value(); }
  std::optional<std::string> send_raw(const std::vector<std::uint8_t>& bytes,
                                      bool new_connection) override;

  // The session, for application calls; call `pump()` after each one so its
  // actions are carried out.
  protocol::ClientSession& session() override { return session_; }
  TimePoint session_now() const override { return simulator_.now(); }
  void pump() override;

  const std::string& name() const override { return name_; }
  std::optional<net::ConnectionId> connection() const { return connection_; }
  const std::vector<protocol::Delivered>& inbox() const override { return inbox_; }
  const std::vector<protocol::Action>& events() const override { return events_; }
  const std::vector<ConnectionEnd>& connection_ends() const override { return ends_; }

 private:
  void on_bytes(net::ByteView bytes);
  void on_closed(net::CloseReason reason);
  void write_raw(const codec::Bytes& bytes);
  net::EndpointCallbacks callbacks(std::uint64_t generation, std::function<void()> on_open);
  void forget_connection();
  void record_packet(trace::Direction direction, codec::Bytes raw);
  void note(std::string detail);
  void arm_timer();

  kernel::Simulator& simulator_;
  net::Network& network_;
  trace::Trace& trace_;
  std::string name_;
  net::LinkParams link_;
  protocol::ClientSession session_;
  std::optional<net::ConnectionId> connection_;
  // Callbacks of an earlier connection must not reach the current one.
  std::uint64_t generation_ = 0;
  std::optional<codec::PacketReader> reader_;  // the trace's reading of inbound bytes
  std::vector<protocol::Delivered> inbox_;
  std::vector<protocol::Action> events_;
  std::vector<ConnectionEnd> ends_;
  BrokerAnswers answers_;  // CONNACK and 5.0 DISCONNECT on the current connection
  bool raw_ = false;       // the current connection is a raw one
  bool open_ = false;      // the current connection is up (on_open)
  // Raw bytes written before the current connection was up.
  std::vector<codec::Bytes> raw_waiting_;
  std::optional<kernel::EventId> timer_;
  std::optional<TimePoint> timer_at_;
};

}  // namespace mqttsim::runner
