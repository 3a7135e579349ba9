#include "runner/broker_cleanup.hpp"

#include <set>

#include "protocol/client_session.hpp"
#include "runner/scenario_options.hpp"

namespace mqttsim::runner {

namespace {

// One short-lived client: connect clean, publish the given empty retained
// messages (QoS 1, so their PUBACKs say the broker has them), disconnect.
class CleanupConnection {
 public:
  CleanupConnection(transport::EventLoop& loop, const transport::StreamOptions& stream,
                    protocol::ClientOptions options, std::vector<std::string> clear_topics)
      : loop_{loop}, session_{std::move(options)}, clear_topics_{std::move(clear_topics)} {
    transport::StreamCallbacks callbacks;
    callbacks.on_open = [this] {
      if (session_.connection_opened(loop_.now())) fail("cannot send CONNECT");
      pump();
    };
    callbacks.on_bytes = [this](std::span<const std::uint8_t> bytes) {
      session_.on_bytes(bytes, loop_.now());
      pump();
    };
    callbacks.on_closed = [this](transport::StreamEnd end, std::string detail) {
      if (!done_)
        fail(std::string{transport::to_string(end)} + (detail.empty() ? "" : ": " + detail));
    };
    stream_ = transport::BrokerStream::open(loop_, stream, std::move(callbacks));
  }

  bool done() const { return done_; }
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  void pump() {
    // Actions may cause more (publishing after CONNACK): until none are left.
    for (auto actions = session_.take_actions(); !actions.empty();
         actions = session_.take_actions()) {
      handle(actions);
    }
  }

  void handle(std::vector<protocol::Action>& actions) {
    for (protocol::Action& action : actions) {
      if (auto* send = std::get_if<protocol::SendBytes>(&action)) {
        if (stream_) stream_->write(std::move(send->bytes));
      } else if (const auto* close = std::get_if<protocol::Close>(&action)) {
        if (stream_) stream_->close();
        if (close->reason == protocol::CloseReason::client_disconnected) {
          done_ = true;
        } else {
          fail(std::string{protocol::to_string(close->reason)} + " " + close->detail);
        }
      } else if (const auto* connected = std::get_if<protocol::Connected>(&action)) {
        if (!connected->accepted()) continue;  // the Close that follows reports it
        for (const std::string& topic : clear_topics_) {
          if (session_.publish(topic, {}, codec::QoS::at_least_once, true, {}, loop_.now())) {
            ++unacknowledged_;
          }
        }
        finish_if_acknowledged();
      } else if (std::holds_alternative<protocol::Published>(action)) {
        --unacknowledged_;
        finish_if_acknowledged();
      }
    }
  }

  void finish_if_acknowledged() {
    if (unacknowledged_ == 0 && session_.connected()) {
      session_.disconnect(codec::ReasonCode::success, std::nullopt, loop_.now());
    }
  }

  void fail(std::string why) {
    if (done_) return;
    done_ = true;
    problem_ = "client id '" + session_.options().client_id + "': " + std::move(why);
  }

  transport::EventLoop& loop_;
  protocol::ClientSession session_;
  std::vector<std::string> clear_topics_;
  std::unique_ptr<transport::BrokerStream> stream_;
  std::size_t unacknowledged_ = 0;
  bool done_ = false;
  std::optional<std::string> problem_;
};

}  // namespace

std::vector<std::string> retained_topics(const scenario::Scenario& scenario) {
  std::set<std::string> topics;
  for (const scenario::Step& step : scenario.steps) {
    if (const auto* publish = std::get_if<scenario::PublishStep>(&step.action)) {
      if (publish->retain) topics.insert(publish->topic);
    } else if (const auto* connect = std::get_if<scenario::ConnectStep>(&step.action)) {
      if (connect->will && connect->will->retain) topics.insert(connect->will->topic);
    }
  }
  return {topics.begin(), topics.end()};
}

std::vector<std::string> clean_up_broker(const scenario::Scenario& scenario,
                                         transport::EventLoop& loop,
                                         const transport::StreamOptions& stream, Duration timeout) {
  std::vector<std::unique_ptr<CleanupConnection>> connections;
  std::set<std::string> ids_seen;
  std::vector<std::string> clear = retained_topics(scenario);
  for (const scenario::Client& client : scenario.clients) {
    if (!ids_seen.insert(client.client_id).second) continue;
    protocol::ClientOptions options = client_options(client);
    options.clean_start = true;  // ends the id's session (5.0: expiry absent, so 0)
    options.keep_alive_s = 0;
    // The first connection also clears the retained messages.
    connections.push_back(std::make_unique<CleanupConnection>(loop, stream, std::move(options),
                                                              std::exchange(clear, {})));
  }
  loop.run_until(
      [&] {
        for (const auto& connection : connections) {
          if (!connection->done()) return false;
        }
        return true;
      },
      loop.now() + timeout);
  std::vector<std::string> problems;
  for (const auto& connection : connections) {
    if (connection->problem()) {
      problems.push_back(*connection->problem());
    } else if (!connection->done()) {
      problems.push_back("a clean-up connection got no answer within " + to_string(timeout));
    }
  }
  return problems;
}

}  // namespace mqttsim::runner
