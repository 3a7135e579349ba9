#include <array>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/simulator.hpp"

using mqttsim::Duration;
using mqttsim::TimePoint;
using mqttsim::kernel::EventId;
using mqttsim::kernel::SchedulingError;
using mqttsim::kernel::Simulator;

namespace {
TimePoint at_us(std::int64_t us) { return TimePoint::from_us(us); }
}  // namespace

BOOST_AUTO_TEST_SUITE(st_simulator)

BOOST_AUTO_TEST_CASE(events_run_by_time_then_insertion_order) {
  Simulator sim;
  std::vector<std::string> ran;
  sim.schedule_at(at_us(30), [&] { ran.push_back("c@30"); });
  sim.schedule_at(at_us(10), [&] { ran.push_back("a@10"); });
  sim.schedule_at(at_us(20), [&] { ran.push_back("b1@20"); });
  sim.schedule_at(at_us(20), [&] { ran.push_back("b2@20"); });
  sim.schedule_at(at_us(10), [&] { ran.push_back("a2@10"); });
  std::vector<std::int64_t> clock;
  while (sim.step()) clock.push_back(sim.now().since_origin_us());
  BOOST_TEST(ran == (std::vector<std::string>{"a@10", "a2@10", "b1@20", "b2@20", "c@30"}),
             boost::test_tools::per_element());
  BOOST_TEST(clock == (std::vector<std::int64_t>{10, 10, 20, 20, 30}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(events_scheduled_now_run_after_those_already_due_now) {
  Simulator sim;
  std::vector<int> ran;
  sim.schedule_at(at_us(5), [&] {
    ran.push_back(1);
    sim.schedule_after(Duration::zero(), [&] { ran.push_back(3); });
  });
  sim.schedule_at(at_us(5), [&] { ran.push_back(2); });
  BOOST_TEST(sim.run(100).has_value());
  BOOST_TEST(ran == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(many_equal_times_keep_insertion_order) {
  // Enough events to exercise the heap's sifting, in scrambled time order.
  Simulator sim;
  std::vector<std::pair<std::int64_t, int>> ran;
  for (int i = 0; i < 2'000; ++i) {
    const std::int64_t t = (i * 7919) % 13;
    sim.schedule_at(at_us(t), [&ran, t, i] { ran.emplace_back(t, i); });
  }
  BOOST_TEST(sim.run(10'000).has_value());
  BOOST_TEST_REQUIRE(ran.size() == 2'000u);
  for (std::size_t k = 1; k < ran.size(); ++k) {
    BOOST_TEST_REQUIRE((ran[k - 1].first < ran[k].first ||
                        (ran[k - 1].first == ran[k].first && ran[k - 1].second < ran[k].second)));
  }
}

BOOST_AUTO_TEST_CASE(cancelled_events_do_not_run) {
  Simulator sim;
  std::vector<int> ran;
  const EventId first = sim.schedule_at(at_us(1), [&] { ran.push_back(1); });
  sim.schedule_at(at_us(2), [&] { ran.push_back(2); });
  const EventId third = sim.schedule_at(at_us(3), [&] { ran.push_back(3); });
  sim.cancel(first);
  sim.cancel(first);  // twice: harmless
  BOOST_TEST(sim.pending() == 2u);
  BOOST_TEST((sim.next_event_time() == at_us(2)));
  BOOST_TEST(sim.step());
  sim.cancel(third);
  BOOST_TEST(!sim.step());
  BOOST_TEST(ran == (std::vector<int>{2}), boost::test_tools::per_element());
  BOOST_TEST((sim.now() == at_us(2)));  // a cancelled event does not move the clock
}

BOOST_AUTO_TEST_CASE(cancelling_fired_unknown_or_reused_ids_is_harmless) {
  Simulator sim;
  int ran = 0;
  const EventId fired = sim.schedule_at(at_us(1), [&] { ++ran; });
  BOOST_TEST(sim.step());
  // The slot of `fired` is reused by the next event; the stale id must not hit it.
  sim.schedule_at(at_us(2), [&] { ++ran; });
  sim.cancel(fired);
  sim.cancel(EventId{});
  sim.cancel(EventId{0xdead'beef'0000'0001ULL});
  BOOST_TEST(sim.step());
  BOOST_TEST(ran == 2);
}

BOOST_AUTO_TEST_CASE(an_event_may_cancel_itself_and_others) {
  Simulator sim;
  std::vector<int> ran;
  EventId self;
  EventId later = sim.schedule_at(at_us(9), [&] { ran.push_back(9); });
  self = sim.schedule_at(at_us(1), [&] {
    ran.push_back(1);
    sim.cancel(self);
    sim.cancel(later);
  });
  BOOST_TEST(sim.run(10).has_value());
  BOOST_TEST(ran == (std::vector<int>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(mass_cancellation_compacts_the_heap) {
  // A timer re-armed many times: cancelled keys must not pile up.
  Simulator sim;
  int fired = 0;
  EventId timer = sim.schedule_at(at_us(1'000'000), [&] { ++fired; });
  for (int i = 0; i < 100'000; ++i) {
    sim.cancel(timer);
    timer = sim.schedule_at(at_us(1'000'000 + i), [&] { ++fired; });
  }
  BOOST_TEST(sim.pending() == 1u);
  BOOST_TEST(sim.run(10).has_value());
  BOOST_TEST(fired == 1);
  BOOST_TEST((sim.now() == at_us(1'000'000 + 99'999)));
}

BOOST_AUTO_TEST_CASE(run_stops_with_a_typed_error_at_the_bound) {
  Simulator sim;
  // Reschedules itself forever: a livelock.
  std::function<void()> tick = [&] { sim.schedule_after(Duration::from_ms(1), tick); };
  sim.schedule_at(at_us(0), tick);
  const auto result = sim.run(1'000);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST(result.error().events_run == 1'000u);
  BOOST_TEST(result.error().events_pending == 1u);
  BOOST_TEST((result.error().now == at_us(999'000)));
  BOOST_TEST(result.error().message().find("event budget exhausted") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(run_succeeds_when_the_queue_drains_exactly_at_the_bound) {
  Simulator sim;
  for (int i = 0; i < 5; ++i) sim.schedule_at(at_us(i), [] {});
  const auto result = sim.run(5);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->events_run == 5u);
  BOOST_TEST((result->now == at_us(4)));
}

BOOST_AUTO_TEST_CASE(scheduling_in_the_past_is_rejected) {
  Simulator sim;
  sim.schedule_at(at_us(100), [] {});
  BOOST_TEST(sim.step());
  BOOST_CHECK_THROW(sim.schedule_at(at_us(99), [] {}), SchedulingError);
  BOOST_CHECK_THROW(sim.schedule_after(Duration::from_us(-1), [] {}), SchedulingError);
  BOOST_CHECK_THROW(sim.run_until(at_us(50)), SchedulingError);
  BOOST_CHECK_NO_THROW(sim.schedule_at(at_us(100), [] {}));  // now itself is fine
}

BOOST_AUTO_TEST_CASE(bounded_run_until_stops_a_livelock_at_one_instant) {
  Simulator sim;
  // Reschedules itself at the same instant forever: time never advances.
  std::function<void()> spin = [&] { sim.schedule_after(Duration::zero(), spin); };
  sim.schedule_at(at_us(7), spin);
  const auto stuck = sim.run_until(at_us(10), 500);
  BOOST_TEST_REQUIRE(!stuck.has_value());
  BOOST_TEST(stuck.error().events_run == 500u);
  BOOST_TEST((stuck.error().now == at_us(7)));

  Simulator calm;
  calm.schedule_at(at_us(3), [] {});
  calm.schedule_at(at_us(30), [] {});
  const auto done = calm.run_until(at_us(10), 500);
  BOOST_TEST_REQUIRE(done.has_value());
  BOOST_TEST(done->events_run == 1u);
  BOOST_TEST((done->now == at_us(10)));
}

BOOST_AUTO_TEST_CASE(run_until_runs_due_events_and_sets_the_clock) {
  Simulator sim;
  std::vector<std::int64_t> ran;
  for (const std::int64_t t : {10, 20, 30}) {
    sim.schedule_at(at_us(t), [&ran, t] { ran.push_back(t); });
  }
  // An event scheduled by a due event also runs if it falls inside the window.
  sim.schedule_at(at_us(15), [&] { sim.schedule_at(at_us(20), [&] { ran.push_back(21); }); });
  sim.run_until(at_us(20));
  BOOST_TEST(ran == (std::vector<std::int64_t>{10, 20, 21}), boost::test_tools::per_element());
  BOOST_TEST((sim.now() == at_us(20)));
  sim.run_until(at_us(25));
  BOOST_TEST((sim.now() == at_us(25)));  // the clock moves even with nothing due
  BOOST_TEST(ran.size() == 3u);
  BOOST_TEST(sim.pending() == 1u);
  sim.run_until(at_us(30));
  BOOST_TEST(ran.back() == 30);
  BOOST_TEST(!sim.next_event_time().has_value());
}

BOOST_AUTO_TEST_CASE(captures_are_released_after_running_cancelling_or_destruction) {
  // A shared_ptr capture is non-trivial (destroyed in place); the array makes
  // the second callable too large for a slot (boxed on the heap).
  auto token = std::make_shared<int>(0);
  {
    Simulator sim;
    std::array<std::int64_t, 8> big{1, 2, 3, 4, 5, 6, 7, 8};
    sim.schedule_at(at_us(1), [token] { ++*token; });
    sim.schedule_at(at_us(2), [token, big] { *token += static_cast<int>(big[7]); });
    const EventId cancelled = sim.schedule_at(at_us(3), [token] { *token += 100; });
    sim.schedule_at(at_us(4),
                    [token, big] { *token += static_cast<int>(big[0]) * 1000; });  // never run
    BOOST_TEST(token.use_count() == 5);
    sim.cancel(cancelled);
    BOOST_TEST(token.use_count() == 4);  // released at cancel time
    BOOST_TEST(sim.step());
    BOOST_TEST(sim.step());
    BOOST_TEST(*token == 9);
    BOOST_TEST(token.use_count() == 2);
  }  // the simulator destroys the event it never ran
  BOOST_TEST(token.use_count() == 1);
}

BOOST_AUTO_TEST_CASE(a_throwing_callback_leaves_the_queue_usable) {
  Simulator sim;
  int ran = 0;
  sim.schedule_at(at_us(1), [] { throw std::runtime_error("model bug"); });
  sim.schedule_at(at_us(2), [&] { ++ran; });
  BOOST_CHECK_THROW(sim.step(), std::runtime_error);
  BOOST_TEST(sim.pending() == 1u);
  BOOST_TEST(sim.run(10).has_value());
  BOOST_TEST(ran == 1);
}

BOOST_AUTO_TEST_SUITE_END()
