// call_soon / call_later / call_at: plain callbacks on the loop (asyncio's
// Handle and TimerHandle). A callback runs in the same FIFO order as task
// steps (call_soon: after what is ready now, like a spawned task's first
// step) or at its deadline in timer order; cancel() before it ran means it
// never runs. A callback that fails (throws, with exceptions) is reported to
// the loop's error handler as report_kind::callback.
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include "wasync/sleep.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// A scheduled callback. Dropping the handle does not cancel it.
class callback_handle {
 public:
  callback_handle() noexcept = default;
  callback_handle(task_handle<void> t, time_point when) noexcept : task_(std::move(t)), when_(when) {}

  /// Stops a callback that has not run yet; false once it ran (or was cancelled).
  bool cancel() noexcept { return task_.valid() && task_.cancel(); }
  /// cancel() succeeded (true at once, as asyncio's Handle.cancelled()).
  bool cancelled() const noexcept { return task_.valid() && task_.cancelling() > 0; }
  /// When it is due (call_at/call_later), or when it was scheduled (call_soon).
  time_point when() const noexcept { return when_; }

 private:
  task_handle<void> task_;
  time_point when_{};
};

namespace detail {
task<void> run_callback(std::function<void()> f);
task<void> run_callback_at(time_point when, std::function<void()> f);
callback_handle schedule_callback(task<void> t, time_point when, const char* name);
}  // namespace detail

/// Runs `f` after the work that is ready now, in FIFO order with task steps.
inline callback_handle call_soon(std::function<void()> f, const char* name = "callback") {
  return detail::schedule_callback(detail::run_callback(std::move(f)), now(), name);
}
/// Runs `f` at `when` on the loop's clock, in timer order.
inline callback_handle call_at(time_point when, std::function<void()> f, const char* name = "timer callback") {
  return detail::schedule_callback(detail::run_callback_at(when, std::move(f)), when, name);
}
/// Runs `f` after `d`.
template <class Rep, class Period>
callback_handle call_later(std::chrono::duration<Rep, Period> d, std::function<void()> f,
                           const char* name = "timer callback") {
  return call_at(detail::deadline_after(now(), d), std::move(f), name);
}

}  // namespace wasync
