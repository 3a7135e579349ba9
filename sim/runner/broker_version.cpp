#include "runner/broker_version.hpp"

#include <memory>

#include "protocol/client_session.hpp"

namespace mqttsim::runner {

namespace {

// At most this much of the payload is kept: it goes into a report.
constexpr std::size_t version_text_max = 200;

std::string printable(const codec::Bytes& payload) {
  std::string text;
  for (const std::uint8_t byte : payload) {
    if (text.size() == version_text_max) break;
    text += (byte >= 0x20 && byte < 0x7F) ? static_cast<char>(byte) : '?';
  }
  return text;
}

class VersionQuery {
 public:
  VersionQuery(transport::EventLoop& loop, const transport::StreamOptions& stream,
               protocol::ClientOptions options)
      : loop_{loop}, session_{std::move(options)} {
    transport::StreamCallbacks callbacks;
    callbacks.on_open = [this] {
      if (session_.connection_opened(loop_.now())) finished_ = true;
      pump();
    };
    callbacks.on_bytes = [this](std::span<const std::uint8_t> bytes) {
      session_.on_bytes(bytes, loop_.now());
      pump();
    };
    callbacks.on_closed = [this](transport::StreamEnd, std::string) { finished_ = true; };
    stream_ = transport::BrokerStream::open(loop_, stream, std::move(callbacks));
  }

  bool finished() const { return finished_; }
  const std::optional<std::string>& version() const { return version_; }

 private:
  void pump() {
    for (auto actions = session_.take_actions(); !actions.empty();
         actions = session_.take_actions()) {
      for (protocol::Action& action : actions) handle(action);
    }
  }

  void handle(protocol::Action& action) {
    if (auto* send = std::get_if<protocol::SendBytes>(&action)) {
      if (stream_) stream_->write(std::move(send->bytes));
    } else if (std::holds_alternative<protocol::Close>(action)) {
      if (stream_) stream_->close();
      finished_ = true;
    } else if (const auto* connected = std::get_if<protocol::Connected>(&action)) {
      if (!connected->accepted()) return;  // the Close that follows ends the query
      codec::Subscription subscription{.topic_filter = broker_version_topic};
      if (!session_.subscribe({subscription}, {}, loop_.now())) finished_ = true;
    } else if (const auto* delivered = std::get_if<protocol::Delivered>(&action)) {
      if (delivered->topic != broker_version_topic || version_) return;
      version_ = printable(delivered->payload);
      session_.disconnect(codec::ReasonCode::success, std::nullopt, loop_.now());
    }
  }

  transport::EventLoop& loop_;
  protocol::ClientSession session_;
  std::unique_ptr<transport::BrokerStream> stream_;
  std::optional<std::string> version_;
  bool finished_ = false;
};

}  // namespace

std::optional<std::string> announced_broker_version(transport::EventLoop& loop,
                                                    const transport::StreamOptions& stream,
                                                    protocol::ClientOptions options,
                                                    Duration timeout) {
  options.clean_start = true;
  options.keep_alive_s = 0;
  VersionQuery query{loop, stream, std::move(options)};
  loop.run_until([&] { return query.finished(); }, loop.now() + timeout);
  return query.version();
}

}  // namespace mqttsim::runner
