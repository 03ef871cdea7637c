// Timeouts: the scope form (timeout(d), like asyncio.timeout) and wait_for.
// An expired scope asks the current task to stop with errc::timeout at its next
// await point; the inner work unwinds (running its cleanup) before the error
// reaches the caller. An outside cancel in the same pass wins over the timeout.
#pragma once

#include <chrono>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/timer_heap.hpp"
#include "wasync/event_loop.hpp"
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
  bool expired_ = false;
};

template <class Rep, class Period>
[[nodiscard]] timeout_scope timeout(std::chrono::duration<Rep, Period> d) {
  return timeout_scope(std::chrono::duration_cast<duration>(d));
}
[[nodiscard]] inline timeout_scope timeout_at(time_point deadline) { return timeout_scope(deadline); }

/// Awaits `a` for at most `d`; errc::timeout when the deadline passes first.
template <class A, class Rep, class Period>
[[nodiscard]] task<detail::awaited_t<A>> wait_for(A a, std::chrono::duration<Rep, Period> d) {
  timeout_scope scope(std::chrono::duration_cast<duration>(d));
  if constexpr (std::is_void_v<detail::awaited_t<A>>) {
    co_await std::move(a);
  } else {
    co_return co_await std::move(a);
  }
}

}  // namespace wasync
