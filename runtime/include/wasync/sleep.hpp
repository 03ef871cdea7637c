// sleep / sleep_until / yield_now: park the task on the loop's timer heap.
#pragma once

#include <chrono>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/detail/timer_heap.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/task.hpp"

namespace wasync {
namespace detail {

struct sleep_awaiter : leaf_awaiter, timer_node {
  explicit sleep_awaiter(time_point until) noexcept { deadline = until; }
  sleep_awaiter(const sleep_awaiter& o) noexcept : leaf_awaiter(o), timer_node() { deadline = o.deadline; }
  ~sleep_awaiter() {
    if (armed()) loop().remove_timer(*this);
  }

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "sleep";
    on_cancel = [](wait_node& n, error why) {
      auto& s = static_cast<sleep_awaiter&>(n);
      loop().remove_timer(s);
      s.err = std::move(why);
      complete(s);
    };
    if (auto next = suspend(h)) return next;
    fire = [](timer_node& t) { complete(static_cast<sleep_awaiter&>(t)); };
    // A bare yield queues behind the work that is ready; any deadline, past
    // ones included, goes through the heap so timers fire in deadline order.
    if (deadline == time_point::min()) complete(*this);
    else loop().add_timer(*this, deadline);
    return coro::noop_coroutine();
  }
  result<void> resume_result() { return err; }
  void await_resume() { unwrap(resume_result()); }
};

}  // namespace detail

/// Suspends until `deadline` on the loop's clock. A past deadline fires at the
/// next turn, in deadline order with the other timers due then.
[[nodiscard]] inline detail::sleep_awaiter sleep_until(time_point deadline) noexcept {
  return detail::sleep_awaiter(deadline == time_point::min() ? time_point::min() + duration(1) : deadline);
}

/// Suspends for `d`; zero or negative yields to the tasks that are ready
/// (asyncio.sleep(0)). Durations beyond the clock's range sleep until cancelled.
template <class Rep, class Period>
[[nodiscard]] detail::sleep_awaiter sleep(std::chrono::duration<Rep, Period> d) noexcept {
  if (d <= d.zero()) return detail::sleep_awaiter(time_point::min());
  return detail::sleep_awaiter(detail::deadline_after(detail::loop().now(), d));
}

/// Sleeps for `d`, then returns `value` (asyncio.sleep(delay, result)).
template <class T, class Rep, class Period>
[[nodiscard]] task<T> sleep(std::chrono::duration<Rep, Period> d, T value) {
  co_await sleep(d);
  co_return std::move(value);
}

/// The loop's clock (asyncio's loop.time()): monotonic; what sleep_until,
/// timeout_at and every deadline are measured against.
inline time_point now() noexcept { return detail::loop().now(); }

/// Lets every task that is ready run before this one continues (asyncio.sleep(0)).
[[nodiscard]] inline detail::sleep_awaiter yield_now() noexcept {
  return detail::sleep_awaiter(time_point::min());
}

}  // namespace wasync
