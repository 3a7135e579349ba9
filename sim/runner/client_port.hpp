#pragma once
// One scenario client as the scenario player drives it, whatever the world:
// a virtual client on the simulated network, or (for `mqttsim check`) a TCP
// client of a real broker. Both run the same protocol::ClientSession; they
// differ only in how bytes travel and how time passes.

#include <optional>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "protocol/client_session.hpp"

namespace mqttsim::runner {

// How one of the client's connections ended, for `expect ... closed`.
struct ConnectionEnd {
  TimePoint at;
  std::string why;  // the transport's close reason or the session's
  // 5.0: the reason code of the server's DISCONNECT that preceded it.
  std::optional<std::uint8_t> server_reason;
  // The application asked for it (disconnect, a new connect, a crash): not
  // something the broker or the network did to the client.
  bool requested = false;
  // The return code (3.1.1) or reason code (5.0) of the CONNACK the broker
  // sent on that connection, if it sent one.
  std::optional<std::uint8_t> connack_code;
};

class ClientPort {
 public:
  virtual ~ClientPort() = default;

  virtual const std::string& name() const = 0;
  // Opens a connection; the session sends CONNECT once it is up. An open
  // connection is given up first. The error says why none could be opened.
  virtual std::optional<std::string> open_connection() = 0;
  // Resets the open connection (if any) from the client's end; the session
  // state survives.
  virtual void abort_connection() = 0;
  // The device crashes: its connection is reset (the broker learns after
  // `broker_notice_delay` where the world can say) and it loses its session
  // state; `options` configure the session it starts again with.
  virtual void crash(protocol::ClientOptions options, Duration broker_notice_delay) = 0;
  virtual bool has_connection() const = 0;

  // Writes `bytes` as they are, bypassing the session (scenarios/README.md,
  // send_raw). Without `new_connection` they go to the open connection
  // (raw or the session's). With it, the open connection is given up first
  // and a raw connection is opened: its first bytes are these, the session
  // never drives it, and what the broker answers is recorded (trace,
  // connection_ends). The error says why nothing could be sent. A world
  // whose clients cannot do this keeps the default.
  virtual std::optional<std::string> send_raw(const std::vector<std::uint8_t>& bytes,
                                              bool new_connection) {
    (void)bytes;
    (void)new_connection;
    return std::string{"this world's clients cannot send raw bytes"};
  }

  // The session, for application calls; call pump() after each one so its
  // actions are carried out.
  virtual protocol::ClientSession& session() = 0;
  // The time to hand the session's application calls. It is the world's
  // clock in simulation; against a real broker it stays real time when the
  // scenario's clock is scaled, because keep-alive on the wire is not.
  virtual TimePoint session_now() const = 0;
  virtual void pump() = 0;

  // What the application saw, for the player to judge.
  virtual const std::vector<protocol::Delivered>& inbox() const = 0;
  virtual const std::vector<protocol::Action>& events() const = 0;
  virtual const std::vector<ConnectionEnd>& connection_ends() const = 0;
};

}  // namespace mqttsim::runner
