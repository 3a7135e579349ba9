// TcpWorld: `broker_restart` against a real broker runs --restart-cmd and
// then waits (bounded) until the broker accepts connections again.

#include <sys/wait.h>

#include <cstdlib>

#include "runner/tcp_world.hpp"
#include "transport/broker_probe.hpp"

namespace mqttsim::runner {

std::optional<std::string> TcpWorld::restart_broker(Duration down_for, bool lose_state) {
  record_fault(trace::FaultKind::broker_down, "restart command: " + target_.restart_command);
  // The command is trusted to keep or lose the state as it is told.
  trace_.append(trace::restart_note(context_.trace_now(), !lose_state, down_for));
  for (auto& [name, client] : clients_) client->broker_restarts();
  if (auto error = run_restart_command(down_for, lose_state)) return error;
  if (auto error = wait_for_broker()) return error;
  record_fault(trace::FaultKind::broker_up, "the broker accepts connections again");
  return std::nullopt;
}

std::optional<std::string> TcpWorld::run_restart_command(Duration down_for, bool lose_state) {
  // The command learns what the scenario asks for; it runs through /bin/sh
  // and blocks the run until it returns (connections are down meanwhile).
  const std::string command =
      std::string{"export MQTTSIM_RESTART_STORE="} + (lose_state ? "volatile" : "durable") +
      " MQTTSIM_DOWN_FOR_MS=" + std::to_string(target_.scale.to_real(down_for).count_us() / 1000) +
      "; " + target_.restart_command;
  const int status = std::system(command.c_str());
  if (status == -1) return "cannot run --restart-cmd";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "--restart-cmd '" + target_.restart_command + "' failed (" +
           (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : std::string{"killed by a signal"}) +
           ")";
  }
  note("restart command done");
  return std::nullopt;
}

std::optional<std::string> TcpWorld::wait_for_broker() {
  const TimePoint give_up = loop_.now() + target_.restart_wait_max;
  std::string last_error;
  while (loop_.now() < give_up) {
    const auto error = transport::probe_broker(loop_, target_.stream, Duration::from_s(2));
    if (!error) return std::nullopt;
    last_error = *error;
    // Try again shortly; the loop keeps serving the other connections.
    loop_.run_until(std::min(give_up, loop_.now() + Duration::from_ms(100)));
  }
  return "the broker did not accept connections within " + to_string(target_.restart_wait_max) +
         " of the restart (" + last_error + ")";
}

}  // namespace mqttsim::runner
