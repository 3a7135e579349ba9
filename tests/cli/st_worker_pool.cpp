#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli/interrupt.hpp"
#include "cli/worker_pool.hpp"

using mqttsim::cli::ItemFate;
using mqttsim::cli::ItemOutcome;
using mqttsim::cli::ItemWork;
using mqttsim::cli::PoolPlan;
using mqttsim::cli::PoolSummary;
using mqttsim::cli::run_worker_pool;

namespace {

// Every outcome the pool handed over, in the order it handed them.
struct Collected {
  std::vector<ItemOutcome> outcomes;
  PoolSummary summary;

  std::vector<std::size_t> items() const {
    std::vector<std::size_t> order;
    for (const ItemOutcome& outcome : outcomes) order.push_back(outcome.item);
    return order;
  }
};

Collected run_pool(const PoolPlan& plan, const std::function<std::string(std::size_t)>& work) {
  Collected collected;
  collected.summary = run_worker_pool(
      plan, [&work](std::size_t) -> ItemWork { return work; },
      [&collected](const ItemOutcome& outcome) { collected.outcomes.push_back(outcome); });
  return collected;
}

std::vector<std::size_t> zero_to(std::size_t count) {
  std::vector<std::size_t> items;
  for (std::size_t i = 0; i < count; ++i) items.push_back(i);
  return items;
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds{ms}); }

// Boost.Test catches SIGABRT to report it; a worker that aborts must die of it.
[[noreturn]] void abort_for_real() {
  std::signal(SIGABRT, SIG_DFL);
  std::abort();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_worker_pool)

// The first items take longest, so later ones arrive first with J > 1: the
// pool must hold them back.
BOOST_AUTO_TEST_CASE(outcomes_come_in_item_order_whatever_order_they_finish_in) {
  constexpr std::size_t items = 9;
  const auto work = [](std::size_t item) {
    pause_ms(static_cast<int>(items - item) * 15);
    return "result " + std::to_string(item);
  };
  for (const std::size_t workers : {1u, 2u, 3u}) {
    BOOST_TEST_CONTEXT("J = " << workers) {
      const Collected collected = run_pool({.items = items, .workers = workers}, work);
      BOOST_TEST(collected.items() == zero_to(items), boost::test_tools::per_element());
      for (const ItemOutcome& outcome : collected.outcomes) {
        BOOST_TEST((outcome.fate == ItemFate::done));
        BOOST_TEST(outcome.result == "result " + std::to_string(outcome.item));
      }
      BOOST_TEST(collected.summary.done == items);
    }
  }
}

BOOST_AUTO_TEST_CASE(one_worker_and_two_give_the_same_outcomes) {
  // Results of every size, up to well past a pipe's buffer (64 KiB).
  const auto work = [](std::size_t item) {
    if (item == 3) throw std::runtime_error{"item 3 cannot be done"};
    std::string result(item * item * 2'000, 'x');
    result += std::to_string(item);
    return result;
  };
  const Collected in_process = run_pool({.items = 12, .workers = 1}, work);
  const Collected forked = run_pool({.items = 12, .workers = 2}, work);
  BOOST_TEST_REQUIRE(in_process.outcomes.size() == 12u);
  BOOST_TEST_REQUIRE(forked.outcomes.size() == 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    BOOST_TEST_CONTEXT("item " << i) {
      BOOST_TEST(forked.outcomes[i].item == in_process.outcomes[i].item);
      BOOST_TEST((forked.outcomes[i].fate == in_process.outcomes[i].fate));
      BOOST_TEST(forked.outcomes[i].result == in_process.outcomes[i].result);
      BOOST_TEST(forked.outcomes[i].why == in_process.outcomes[i].why);
    }
  }
  BOOST_TEST((forked.outcomes[3].fate == ItemFate::failed));
  BOOST_TEST(forked.outcomes[3].why == "item 3 cannot be done");
  BOOST_TEST(forked.summary.failed == 1u);
}

BOOST_AUTO_TEST_CASE(a_worker_that_aborts_loses_only_its_undelivered_items) {
  // Worker 2 (odd items) aborts on item 5: 1 and 3 are delivered, 5, 7 and 9
  // are lost; worker 1's items all arrive.
  const Collected collected = run_pool({.items = 10, .workers = 2}, [](std::size_t item) {
    if (item == 5) abort_for_real();
    return std::to_string(item);
  });
  BOOST_TEST(collected.items() == zero_to(10), boost::test_tools::per_element());
  for (const ItemOutcome& outcome : collected.outcomes) {
    BOOST_TEST_CONTEXT("item " << outcome.item) {
      if (outcome.item % 2 == 1 && outcome.item >= 5) {
        BOOST_TEST((outcome.fate == ItemFate::lost));
        BOOST_TEST(outcome.why.starts_with("worker 2 (pid "), outcome.why);
        BOOST_TEST(outcome.why.ends_with(") was killed by signal 6 (Aborted) before delivering "
                                         "this item"),
                   outcome.why);
      } else {
        BOOST_TEST((outcome.fate == ItemFate::done));
        BOOST_TEST(outcome.result == std::to_string(outcome.item));
      }
    }
  }
  BOOST_TEST(collected.summary.lost == 3u);
  BOOST_TEST(collected.summary.done == 7u);
}

BOOST_AUTO_TEST_CASE(a_worker_that_exits_early_loses_its_items) {
  const Collected collected = run_pool({.items = 6, .workers = 3}, [](std::size_t item) {
    if (item == 1) std::_Exit(7);
    return std::to_string(item);
  });
  BOOST_TEST_REQUIRE(collected.outcomes.size() == 6u);
  for (const std::size_t item : {1u, 4u}) {
    BOOST_TEST((collected.outcomes[item].fate == ItemFate::lost));
    BOOST_TEST(collected.outcomes[item].why.ends_with(
                   ") exited with status 7 before delivering this item"),
               collected.outcomes[item].why);
  }
  BOOST_TEST(collected.summary.done == 4u);
}

BOOST_AUTO_TEST_CASE(items_go_to_the_worker_the_plan_names) {
  // Each result says which worker made it (the setup's argument).
  const std::vector<std::size_t> worker_of = {2, 0, 0, 2, 1, 2};
  Collected collected;
  run_worker_pool(
      {.items = worker_of.size(), .workers = 3, .worker_of_item = worker_of},
      [](std::size_t worker) -> ItemWork {
        return [worker](std::size_t) {
          return std::to_string(worker) + "@" + std::to_string(getpid());
        };
      },
      [&collected](const ItemOutcome& outcome) { collected.outcomes.push_back(outcome); });
  BOOST_TEST_REQUIRE(collected.outcomes.size() == worker_of.size());
  std::vector<std::string> pid_of_worker(3);
  for (std::size_t item = 0; item < worker_of.size(); ++item) {
    const std::string& result = collected.outcomes[item].result;
    BOOST_TEST(result.starts_with(std::to_string(worker_of[item]) + "@"), result);
    const std::string pid = result.substr(result.find('@') + 1);
    BOOST_TEST(pid != std::to_string(getpid()));  // made in a child
    if (pid_of_worker[worker_of[item]].empty()) pid_of_worker[worker_of[item]] = pid;
    BOOST_TEST(pid == pid_of_worker[worker_of[item]]);
  }
}

BOOST_AUTO_TEST_CASE(a_setup_that_throws_fails_each_item_of_its_worker) {
  for (const std::size_t workers : {1u, 2u}) {
    Collected collected;
    run_worker_pool(
        {.items = 4, .workers = workers},
        [](std::size_t worker) -> ItemWork {
          if (worker == 0) throw std::runtime_error{"no event loop"};
          return [](std::size_t item) { return std::to_string(item); };
        },
        [&collected](const ItemOutcome& outcome) { collected.outcomes.push_back(outcome); });
    BOOST_TEST_REQUIRE(collected.outcomes.size() == 4u);
    BOOST_TEST((collected.outcomes[0].fate == ItemFate::failed));
    BOOST_TEST(collected.outcomes[0].why == "worker 1 could not start: no event loop");
    BOOST_TEST((collected.outcomes[1].fate == (workers == 1 ? ItemFate::failed : ItemFate::done)));
  }
}

BOOST_AUTO_TEST_CASE(a_plan_that_is_not_valid_is_refused) {
  const auto work = [](std::size_t) { return std::string{}; };
  BOOST_CHECK_THROW(run_pool({.items = 1, .workers = 0}, work), std::invalid_argument);
  BOOST_CHECK_THROW(run_pool({.items = 1, .workers = 65}, work), std::invalid_argument);
  BOOST_CHECK_THROW(run_pool({.items = 2, .workers = 2, .worker_of_item = {0}}, work),
                    std::invalid_argument);
  BOOST_CHECK_THROW(run_pool({.items = 1, .workers = 2, .worker_of_item = {2}}, work),
                    std::invalid_argument);
  BOOST_TEST(run_pool({.items = 0, .workers = 4}, work).outcomes.empty());
}

BOOST_AUTO_TEST_CASE(an_interrupt_stops_between_items_and_names_what_was_not_run) {
  mqttsim::cli::stop_on_interrupt();
  // In this process (J = 1): item 2 is interrupted while it runs; it is
  // still done, and the rest are not run.
  Collected collected = run_pool({.items = 5, .workers = 1}, [](std::size_t item) {
    if (item == 2) std::raise(SIGINT);
    return std::to_string(item);
  });
  BOOST_TEST(collected.items() == zero_to(5), boost::test_tools::per_element());
  BOOST_TEST((collected.outcomes[2].fate == ItemFate::done));
  BOOST_TEST((collected.outcomes[3].fate == ItemFate::not_run));
  BOOST_TEST(collected.outcomes[4].why == "not run: interrupted by SIGINT");
  BOOST_TEST(collected.summary.not_run == 2u);
  mqttsim::cli::forget_interrupt();

  // Two workers: item 2 sends the parent SIGTERM, which the parent forwards;
  // each worker finishes the item it is on and stops.
  mqttsim::cli::stop_on_interrupt();
  const pid_t parent = getpid();
  collected = run_pool({.items = 40, .workers = 2}, [parent](std::size_t item) {
    if (item == 2) ::kill(parent, SIGTERM);
    pause_ms(20);
    return std::to_string(item);
  });
  mqttsim::cli::forget_interrupt();
  BOOST_TEST(collected.items() == zero_to(40), boost::test_tools::per_element());
  BOOST_TEST((collected.outcomes[2].fate == ItemFate::done));
  BOOST_TEST((collected.outcomes[39].fate == ItemFate::not_run));
  BOOST_TEST(collected.outcomes[39].why == "not run: interrupted by SIGTERM");
  BOOST_TEST(collected.summary.lost == 0u);
  BOOST_TEST(collected.summary.done + collected.summary.not_run == 40u);
  BOOST_TEST(collected.summary.done < 20u);
}

BOOST_AUTO_TEST_SUITE_END()
