// lock: a FIFO mutex for tasks (asyncio.Lock). Release hands the lock straight
// to the first waiter, so nobody barges in; a cancelled waiter never gets it.
#pragma once

#include <utility>

#include "wasync/detail/list_awaiter.hpp"
#include "wasync/detail/release_guard.hpp"

namespace wasync {

class lock;

/// Holds a lock and releases it when destroyed (owns(), release()).
using lock_guard = detail::release_guard<lock>;

class lock {
 public:
  lock() = default;
  ~lock() { waiters_.fail_all(error(errc::closed, "lock destroyed")); }
  lock(const lock&) = delete;
  lock& operator=(const lock&) = delete;

  bool locked() const noexcept { return locked_; }
  bool try_acquire() noexcept {
    if (locked_) return false;
    locked_ = true;
    return true;
  }
  /// Gives the lock to the first waiter, or unlocks it. Releasing a lock that
  /// is not locked changes nothing and returns errc::invalid_state.
  error release() noexcept {
    if (!locked_) return error(errc::invalid_state, "lock::release() of a lock that is not locked");
    if (detail::wait_node* n = waiters_.pop_front()) detail::complete(*n);
    else locked_ = false;
    return {};
  }

  struct acquire_awaiter : detail::list_awaiter {
    lock* l;
    bool cancellable;
    acquire_awaiter(lock& lk, bool c) noexcept : l(&lk), cancellable(c) { cancel_after_completion = false; }
    bool await_ready() noexcept { return l->try_acquire(); }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, l->waiters_, "lock", cancellable);
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };
  struct scoped_awaiter : acquire_awaiter {
    using acquire_awaiter::acquire_awaiter;
    result<lock_guard> resume_result() {
      if (!err.ok()) return err;
      return lock_guard(*l);
    }
    lock_guard await_resume() { return detail::unwrap(resume_result()); }
  };

  /// Waits for the lock; pair with release().
  [[nodiscard]] acquire_awaiter acquire() noexcept { return {*this, true}; }
  /// Waits for the lock and returns a guard that releases it.
  [[nodiscard]] scoped_awaiter scoped() noexcept { return {*this, true}; }
  /// Like acquire(), but a cancellation waits until the lock is held (condition uses it).
  [[nodiscard]] acquire_awaiter acquire_uncancellable() noexcept { return {*this, false}; }

 private:
  bool locked_ = false;
  detail::wait_list waiters_;
};

}  // namespace wasync
