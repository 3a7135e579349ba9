#pragma once
// A broker that breaks only under one combination of faults: when it
// restarts while some clients are cut off by a partition, it loses the
// first QoS 1 or 2 message it then sends each of them: it never reaches
// the client, nor does any resend of it (as if the restart had dropped it
// from the session's in-flight state but not from the broker's books).
// Neither fault alone sets it off, so explore finds it only by switching
// both kinds on in one seed and overlapping them.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "oracle/broken_broker.hpp"

namespace mqttsim::testing {

class LossAfterRestartDuringPartition final : public runner::PacketInterceptor {
 public:
  std::vector<codec::Packet> to_broker(net::ConnectionId connection, codec::Packet packet,
                                       ProtocolVersion) override {
    if (const auto* connect = std::get_if<codec::Connect>(&packet)) {
      client_of_[connection] = connect->client_id;
    }
    return one(std::move(packet));
  }

  std::vector<codec::Packet> from_broker(net::ConnectionId connection, codec::Packet packet,
                                         ProtocolVersion) override {
    const auto* publish = std::get_if<codec::Publish>(&packet);
    if (!publish || publish->qos == codec::QoS::at_most_once) return one(std::move(packet));
    const auto client = client_of_.find(connection);
    if (client == client_of_.end() || !victims_.contains(client->second)) {
      return one(std::move(packet));
    }
    // Generated scenarios name their clients by their client ids.
    const auto [lost, first] = lost_.try_emplace(client->second, publish->topic, publish->payload);
    if (first || lost->second == std::make_pair(publish->topic, publish->payload)) return {};
    return one(std::move(packet));
  }

  void partitioned(const std::set<std::string>& clients) override {
    cut_off_.insert(clients.begin(), clients.end());
  }
  void healed(const std::set<std::string>& clients) override {
    if (clients.empty()) return cut_off_.clear();
    for (const std::string& name : clients) cut_off_.erase(name);
  }
  void restarted(bool) override { victims_.insert(cut_off_.begin(), cut_off_.end()); }

 private:
  std::map<net::ConnectionId, std::string> client_of_;  // by CONNECT
  std::set<std::string> cut_off_;                       // partitioned now
  std::set<std::string> victims_;  // partitioned during some restart
  // Each victim's lost message, by topic and payload.
  std::map<std::string, std::pair<std::string, codec::Bytes>> lost_;
};

}  // namespace mqttsim::testing
