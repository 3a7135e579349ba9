#pragma once
// SIGINT (Ctrl-C) and SIGTERM as a request to stop between two items of
// work (scenarios, seeds), so that what was done is still reported and the
// run exits with exit_interrupted (130). The handler only sets a flag; the
// work loops check interrupted() between items, and the worker pool
// (worker_pool.hpp) forwards the request to its worker processes.

#include <cstdint>
#include <string_view>

namespace mqttsim::cli {

// What a second SIGINT or SIGTERM does once the flag is set.
enum class SecondSignal : std::uint8_t {
  // The signal's default action ends the process: a run that is slow to
  // stop can always be stopped by asking twice. A signal within a second
  // of the first counts as the same request (tools such as `timeout`
  // signal the process and then its process group).
  ends_process,
  // Sets the flag again, no more. For worker processes: their parent
  // forwards the stop, and the terminal may have sent it to them as well.
  sets_flag,
};

// Installs the handlers of SIGINT and SIGTERM (again, in a worker after its
// fork). The flag keeps its value.
void stop_on_interrupt(SecondSignal second = SecondSignal::ends_process);

// Whether SIGINT or SIGTERM arrived since the handlers were installed.
bool interrupted();

// "SIGINT" or "SIGTERM": the signal that set the flag; "" when none did.
std::string_view interrupt_signal_name();

// Clears the flag, for a process that runs work again after an interrupt
// (the tests).
void forget_interrupt();

}  // namespace mqttsim::cli
