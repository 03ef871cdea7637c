// condition: wait for a notification while holding a lock (asyncio.Condition).
// wait() releases the lock, waits, and always re-acquires it before returning,
// even when cancelled. A waiter that was notified and then cancelled keeps the
// notification: the cancellation reaches it at its next await instead.
#pragma once

#include <cstddef>
#include <type_traits>

#include "wasync/as_result.hpp"
#include "wasync/detail/list_awaiter.hpp"
#include "wasync/lock.hpp"
#include "wasync/task.hpp"

namespace wasync {

class condition {
 public:
  explicit condition(class lock& l) noexcept : lock_(&l) {}
  ~condition() { waiters_.fail_all(error(errc::closed, "condition destroyed")); }
  condition(const condition&) = delete;
  condition& operator=(const condition&) = delete;

  class lock& lock() const noexcept { return *lock_; }

  /// Call with the lock held. Errors: errc::invalid_state without the lock.
  [[nodiscard]] task<void> wait() {
    if (!lock_->locked()) co_await fail(errc::invalid_state, "condition::wait() without holding the lock");
    (void)lock_->release();
    auto r = co_await as_result(notified_awaiter(*this));
    co_await lock_->acquire_uncancellable();
    if (!r) co_await fail(r.error());
  }
  /// Waits until `pred()` holds, checking it after every notification, and
  /// returns its last value (asyncio's wait_for(predicate)).
  template <class Pred>
  [[nodiscard]] task<std::invoke_result_t<Pred&>> wait(Pred pred) {
    auto v = pred();
    while (!v) {
      co_await wait();
      v = pred();
    }
    co_return v;
  }

  /// Wakes up to `n` waiters. Call with the lock held: otherwise nothing is
  /// woken and the result is errc::invalid_state.
  error notify(std::size_t n = 1) noexcept {
    if (!lock_->locked()) return error(errc::invalid_state, "condition::notify() without holding the lock");
    for (; n > 0; --n) {
      detail::wait_node* w = waiters_.pop_front();
      if (!w) break;
      detail::complete(*w);
    }
    return {};
  }
  error notify_all() noexcept { return notify(static_cast<std::size_t>(-1)); }

 private:
  struct notified_awaiter : detail::list_awaiter {
    condition* c;
    explicit notified_awaiter(condition& cv) noexcept : c(&cv) { cancel_after_completion = false; }
    bool await_ready() const noexcept { return false; }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, c->waiters_, "condition");
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };

  class lock* lock_;
  detail::wait_list waiters_;
};

}  // namespace wasync
