// Timeouts (Python 3.12+'s asyncio.timeout and wait_for): when the deadline
// passes, the task is cancelled at its await point, so the body sees a
// cancellation ("deadline exceeded") and its cleanup runs; when that error
// leaves the scope, the scope turns it into errc::timeout. A cancel from
// outside (or from an enclosing scope) stays a cancellation.
#pragma once

#include <chrono>
#include <cstdint>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/timer_heap.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// RAII deadline for the current task. Construct inside a task.
class [[nodiscard]] timeout_scope : detail::timer_node {
 public:
  explicit timeout_scope(time_point deadline);
  explicit timeout_scope(duration d) : timeout_scope(detail::loop().now() + d) {}
  ~timeout_scope();
  timeout_scope(const timeout_scope&) = delete;
  timeout_scope& operator=(const timeout_scope&) = delete;

  /// The deadline passed while the scope was active.
  bool expired() const noexcept { return expired_; }
  time_point when() const noexcept { return deadline; }
  /// Moves the deadline (asyncio's Timeout.reschedule). No effect once expired.
  void reschedule(time_point new_deadline);

 private:
  detail::task_context* ctx_;
  int uncaught_at_entry_;
  std::uint32_t outside_cancels_at_entry_ = 0;
  bool expired_ = false;
};

/// A deadline `d` from now for the current task (durations beyond the clock's
/// range saturate: they never fire).
template <class Rep, class Period>
[[nodiscard]] timeout_scope timeout(std::chrono::duration<Rep, Period> d) {
  return timeout_scope(detail::deadline_after(detail::loop().now(), d));
}
[[nodiscard]] inline timeout_scope timeout_at(time_point deadline) { return timeout_scope(deadline); }

namespace detail {
/// Awaits a task_handle the caller keeps (wait_for(h, d) on an lvalue).
template <class T>
struct handle_ref {
  task_handle<T>* h;
  handle_awaiter<T, false> operator co_await() const noexcept { return h->operator co_await(); }
  task_context* context() const noexcept { return h->context(); }
};

template <class A>
inline constexpr bool is_handle = false;
template <class T>
inline constexpr bool is_handle<task_handle<T>> = true;
template <class T>
inline constexpr bool is_handle<handle_ref<T>> = true;

template <class A, class Rep, class Period>
task<awaited_t<A>> bounded(A a, std::chrono::duration<Rep, Period> d) {
  if (d <= d.zero()) {
    // asyncio: the work is cancelled before it starts; a task already running
    // is cancelled and awaited, one already finished gives its outcome.
    if constexpr (is_handle<A>) {
      task_context* target = a.context();
      if (!target->done()) {
        target->cancel(error(errc::cancelled, "deadline exceeded"));
        (void)co_await as_result(a);
        co_await fail(errc::timeout, "deadline exceeded");
      }
    } else {
      co_await fail(errc::timeout, "deadline exceeded");
    }
  }
  timeout_scope scope(deadline_after(loop().now(), d));
  if constexpr (std::is_void_v<awaited_t<A>>) {
    co_await std::move(a);
  } else {
    co_return co_await std::move(a);
  }
}
}  // namespace detail

/// Awaits `a` for at most `d` (from when the returned task starts): errc::timeout
/// when the deadline passes first, after the work was cancelled and its cleanup
/// ran. A spawned task awaited this way ends cancelled. With `d <= 0` the work
/// never starts (a running task is cancelled and awaited; a finished one gives
/// its outcome).
template <class A, class Rep, class Period>
[[nodiscard]] task<detail::awaited_t<A>> wait_for(A a, std::chrono::duration<Rep, Period> d) {
  return detail::bounded(std::move(a), d);
}
/// wait_for on a spawned task the caller keeps a handle to.
template <class T, class Rep, class Period>
[[nodiscard]] task<T> wait_for(task_handle<T>& h, std::chrono::duration<Rep, Period> d) {
  return detail::bounded(detail::handle_ref<T>{&h}, d);
}

}  // namespace wasync
