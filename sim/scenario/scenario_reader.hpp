#pragma once
// Internal to the scenario loader: a YamlReader plus what reading a
// scenario needs on top — units, QoS, topics, reason codes, client
// references with "did you mean", the 5.0-only checks — and what the loader
// has learnt so far (declared clients, which ones connected, their wills),
// so later steps are checked against earlier ones.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/packet.hpp"
#include "scenario/scenario.hpp"
#include "scenario/yaml_reader.hpp"

namespace mqttsim::scenario {

// Bounds on the input (TigerBeetle style: every loop below is bounded).
inline constexpr std::size_t scenario_text_bytes_max = 1 << 20;
inline constexpr std::size_t scenario_nesting_max = 64;
inline constexpr std::size_t clients_max = 10'000;
inline constexpr std::uint32_t burst_count_max = 1'000'000;
// Steps after populations are expanded (one per member of each step on a
// population): bounds what a small file can make the loader build.
inline constexpr std::size_t steps_max = 1'000'000;

class ScenarioReader {
 public:
  ScenarioReader(const YamlReader& reader, Scenario& scenario)
      : reader_{reader}, scenario_{scenario} {}

  const YamlReader& yaml() const { return reader_; }
  Scenario& scenario() { return scenario_; }
  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
    reader_.fail(at, message);
  }

  Duration read_duration(const YAML::Node& node, std::string_view what) const;
  // A duration in whole seconds up to `max_s` ("90s", "2m", "1h").
  std::uint32_t read_seconds(const YAML::Node& node, std::string_view what,
                             std::uint32_t max_s) const;
  codec::QoS read_qos(const YAML::Node& node, std::string_view what) const;
  std::uint32_t read_loss_ppm(const YAML::Node& node, std::string_view what) const;
  ProtocolVersion read_protocol(const YAML::Node& node) const;

  std::string read_topic_name(const YAML::Node& node, ProtocolVersion version) const;
  std::string read_topic_filter(const YAML::Node& node, ProtocolVersion version) const;
  // A mapping of name: value pairs, in the file's order (5.0 only).
  std::vector<codec::UserProperty> read_user_properties(const YAML::Node& node) const;
  // A reason code as a number (decimal or 0x..) or its name
  // ("session_taken_over"), allowed in `packet` for `version`.
  std::uint8_t read_reason_code(const YAML::Node& node, std::string_view what,
                                codec::PacketType packet, ProtocolVersion version) const;

  // Once every client is declared: look them up by name in log time (a
  // population's steps look their members up once per member).
  void index_clients();
  const Client* find_client(std::string_view name) const;

  // A declared client's name; fails with "did you mean" otherwise. While a
  // member's step is read (set_member), the name of its population, or of
  // the slice the step addresses, stands for the member.
  const Client& read_client(const YAML::Node& node, std::string_view what) const;
  // One client name or a list of them; a population's name stands for all
  // its members.
  std::set<std::string> read_client_set(const YAML::Node& node, std::string_view what) const;
  // Fails when `client` speaks 3.1.1: `what` exists only in 5.0.
  void require_v5(const YAML::Node& at, const Client& client, std::string_view what) const;
  // Fails when no earlier step connected `client` (`what` would act on nothing).
  void require_connected_before(const YAML::Node& at, const Client& client,
                                std::string_view what) const;
  // As require_connected_before, but a raw connection opened by an earlier
  // send_raw step (new_connection: true) counts too.
  void require_opened_before(const YAML::Node& at, const Client& client,
                             std::string_view what) const;

  // What the loader remembers about each client from earlier steps.
  struct ClientHistory {
    bool connected = false;
    bool raw_connection = false;      // a send_raw step opened a raw connection
    std::optional<WillMessage> will;  // of the latest connect
    std::uint32_t session_expiry_s = 0;
  };
  ClientHistory& history(const std::string& client) { return history_[client]; }

  // The population a name refers to and which of its members: "NAME" (all),
  // "NAME[a..b]" (a to b, inclusive) or "NAME[k]". Nullopt when the name is
  // not a population's; fails on a slice that does not fit the population.
  struct Members {
    const Population* population = nullptr;
    std::uint32_t first = 0;
    std::uint32_t last = 0;  // inclusive
  };
  std::optional<Members> read_members(const YAML::Node& node) const;

  // The member whose step is read: `addressed` when the step's own client
  // names the population (else the step names it in for_each:).
  void set_member(std::optional<std::uint32_t> index, const std::string& addressed = {}) {
    member_ = index;
    addressed_ = addressed;
    reader_.set_member(index);
  }

 private:
  const YamlReader& reader_;
  Scenario& scenario_;
  std::map<std::string, ClientHistory> history_;
  std::map<std::string, std::size_t, std::less<>> client_index_;  // into scenario_.clients
  std::optional<std::uint32_t> member_;
  std::string addressed_;  // the population or slice name the member's step addresses
};

}  // namespace mqttsim::scenario
