#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <cstdlib>

#include "cli/interrupt.hpp"

using mqttsim::cli::SecondSignal;

namespace {

// Runs `body` in a child process and returns its wait status, so that a
// signal's default action ends the child, not the test.
template <class Body>
int status_of_child(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    std::_Exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_interrupt)

BOOST_AUTO_TEST_CASE(the_first_signal_sets_the_flag_and_a_second_ends_the_process) {
  const int status = status_of_child([] {
    mqttsim::cli::stop_on_interrupt();
    if (mqttsim::cli::interrupted()) std::_Exit(10);
    std::raise(SIGTERM);
    if (!mqttsim::cli::interrupted()) std::_Exit(11);
    if (mqttsim::cli::interrupt_signal_name() != "SIGTERM") std::_Exit(12);
    std::raise(SIGINT);  // at once: the same request, sent twice
    if (mqttsim::cli::interrupt_signal_name() != "SIGTERM") std::_Exit(13);
    sleep(2);
    std::raise(SIGINT);  // asked again: the default action, the end
    std::_Exit(14);
  });
  BOOST_TEST(WIFSIGNALED(status), "exit status " << WEXITSTATUS(status));
  BOOST_TEST(WTERMSIG(status) == SIGINT);
}

BOOST_AUTO_TEST_CASE(a_worker_only_sets_the_flag_however_often_it_is_asked) {
  const int status = status_of_child([] {
    mqttsim::cli::stop_on_interrupt(SecondSignal::sets_flag);
    for (int i = 0; i < 3; ++i) std::raise(i % 2 == 0 ? SIGINT : SIGTERM);
    if (mqttsim::cli::interrupt_signal_name() != "SIGINT") std::_Exit(12);
    mqttsim::cli::forget_interrupt();
    if (mqttsim::cli::interrupted()) std::_Exit(13);
  });
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
