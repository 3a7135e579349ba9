#include "transport/event_loop.hpp"

#include <boost/asio/steady_timer.hpp>

#include "transport/event_loop_asio.hpp"

namespace mqttsim::transport {

namespace asio = boost::asio;

EventLoop::EventLoop() : impl_{std::make_unique<Impl>()} {}

EventLoop::~EventLoop() {
  // Cancelled timers' handlers are never run: the io_context dies with them.
  for (auto& [id, timer] : timers_) static_cast<asio::steady_timer*>(timer.get())->cancel();
  timers_.clear();
}

TimePoint EventLoop::now() const { return impl_->clock.now(); }

EventLoop::TimerId EventLoop::schedule_at(TimePoint at, std::function<void()> action) {
  const TimerId id = next_timer_++;
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, impl_->clock.to_steady(at));
  timer->async_wait([this, id, action = std::move(action)](boost::system::error_code error) {
    if (error) return;                   // cancelled
    if (timers_.erase(id) == 0) return;  // cancelled after it expired
    action();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void EventLoop::cancel(TimerId id) {
  const auto found = timers_.find(id);
  if (found == timers_.end()) return;
  static_cast<asio::steady_timer*>(found->second.get())->cancel();
  timers_.erase(found);
}

bool EventLoop::run_one(std::optional<TimePoint> deadline) {
  asio::io_context& io = impl_->io;
  if (io.stopped()) io.restart();
  if (!deadline) return io.run_one() > 0;
  if (now() >= *deadline) return io.poll_one() > 0;
  return io.run_one_until(impl_->clock.to_steady(*deadline)) > 0;
}

bool EventLoop::run_until(const std::function<bool()>& done, TimePoint deadline) {
  while (!done()) {
    if (now() >= deadline) return false;
    if (!run_one(deadline) && now() < deadline) {
      // Nothing can run any more: done() will not change.
      return done();
    }
  }
  return true;
}

void EventLoop::run_until(TimePoint deadline) {
  bool woken = false;
  const TimerId wake = schedule_at(deadline, [&woken] { woken = true; });
  while (!woken) run_one(std::nullopt);
  cancel(wake);
}

}  // namespace mqttsim::transport
