#include "interrupt.hpp"

#include <csignal>
#include <ctime>

namespace mqttsim::cli {

namespace {

// A second signal within this time of the first is taken as the same
// request: `timeout`, CI runners and process supervisors often signal the
// process and then its whole process group, which delivers it twice.
constexpr std::time_t same_request_s = 1;

// The first signal that arrived; 0 for none. Written by the handler (and
// forget_interrupt), read between items.
volatile std::sig_atomic_t first_signal = 0;
volatile std::sig_atomic_t second_ends_process = 0;
// When the first signal arrived (CLOCK_MONOTONIC, whole seconds). Written
// only by the handler before first_signal is set, and read by it after.
volatile std::time_t first_signal_s = 0;

std::time_t monotonic_s() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
  return now.tv_sec;
}

// Everything here is async-signal-safe (POSIX.1-2017 2.4.3).
extern "C" void note_interrupt(int signal) {
  if (first_signal == 0) {
    first_signal_s = monotonic_s();
    first_signal = signal;
    return;
  }
  if (second_ends_process == 0 || monotonic_s() - first_signal_s < same_request_s) return;
  // Asked again: the signal's default action, once this handler returns
  // (the signal is blocked until then).
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal, &default_action, nullptr);
  raise(signal);
}

}  // namespace

void stop_on_interrupt(SecondSignal second) {
  second_ends_process = second == SecondSignal::ends_process ? 1 : 0;
  struct sigaction action {};
  action.sa_handler = note_interrupt;
  // Neither signal interrupts the handler of the other.
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  // A read or write under way is not cut short by the signal (poll() still is).
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return first_signal != 0; }

std::string_view interrupt_signal_name() {
  switch (first_signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "";
  }
}

void forget_interrupt() { first_signal = 0; }

}  // namespace mqttsim::cli
