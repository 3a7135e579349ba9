#include "scenario/scenario.hpp"

namespace mqttsim::scenario {

std::string member_name(std::string_view population, std::uint32_t index) {
  return std::string{population} + "[" + std::to_string(index) + "]";
}

std::string expand_member(std::string_view text, std::uint32_t index) {
  constexpr std::string_view marker = "{i}";
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find(marker); at != std::string_view::npos;
       at = text.find(marker, from)) {
    out.append(text.substr(from, at - from));
    out += std::to_string(index);
    from = at + marker.size();
  }
  out.append(text.substr(from));
  return out;
}

const Client* Scenario::find_client(std::string_view name) const {
  for (const Client& client : clients) {
    if (client.name == name) return &client;
  }
  return nullptr;
}

const std::string* acting_client(const StepAction& action) {
  return std::visit(
      [](const auto& step) -> const std::string* {
        if constexpr (requires { step.client; }) {
          return &step.client;
        } else {
          return nullptr;
        }
      },
      action);
}

std::string_view step_kind(const StepAction& action) {
  struct Kind {
    std::string_view operator()(const ConnectStep&) const { return "connect"; }
    std::string_view operator()(const SubscribeStep&) const { return "subscribe"; }
    std::string_view operator()(const UnsubscribeStep&) const { return "unsubscribe"; }
    std::string_view operator()(const PublishStep&) const { return "publish"; }
    std::string_view operator()(const DisconnectStep&) const { return "disconnect"; }
    std::string_view operator()(const DropStep&) const { return "drop"; }
    std::string_view operator()(const HalfOpenStep&) const { return "half_open"; }
    std::string_view operator()(const CrashStep&) const { return "crash"; }
    std::string_view operator()(const PartitionStep&) const { return "partition"; }
    std::string_view operator()(const HealStep&) const { return "heal"; }
    std::string_view operator()(const BrokerRestartStep&) const { return "broker_restart"; }
    std::string_view operator()(const WaitStep&) const { return "wait"; }
    std::string_view operator()(const ExpectMessagesStep&) const { return "expect"; }
    std::string_view operator()(const ExpectNoMessagesStep&) const { return "expect"; }
    std::string_view operator()(const ExpectClosedStep&) const { return "expect"; }
    std::string_view operator()(const FaultsStep&) const { return "faults"; }
    std::string_view operator()(const SendRawStep&) const { return "send_raw"; }
  };
  return std::visit(Kind{}, action);
}

std::string expand_payload(std::string_view pattern, std::uint32_t number) {
  static constexpr std::string_view placeholder = "{n}";
  const std::string digits = std::to_string(number);
  std::string out;
  out.reserve(pattern.size());
  std::size_t from = 0;
  for (std::size_t at = pattern.find(placeholder); at != std::string_view::npos;
       at = pattern.find(placeholder, from)) {
    out.append(pattern.substr(from, at - from));
    out.append(digits);
    from = at + placeholder.size();
  }
  out.append(pattern.substr(from));
  return out;
}

bool has_expectations(const Scenario& scenario) {
  for (const Step& step : scenario.steps) {
    const StepAction& action = step.action;
    if (std::holds_alternative<ExpectMessagesStep>(action) ||
        std::holds_alternative<ExpectNoMessagesStep>(action) ||
        std::holds_alternative<ExpectClosedStep>(action)) {
      return true;
    }
    if (const auto* connect = std::get_if<ConnectStep>(&action)) {
      if (connect->expect_session_present || connect->expect_code != 0) return true;
    }
    if (const auto* subscribe = std::get_if<SubscribeStep>(&action)) {
      if (subscribe->expect_codes) return true;
    }
  }
  return false;
}

}  // namespace mqttsim::scenario
