// lock: a FIFO mutex for tasks (asyncio.Lock). Release hands the lock straight
// to the first waiter, so nobody barges in; a cancelled waiter never gets it.
#pragma once

#include <utility>

#include "wasync/detail/list_awaiter.hpp"

namespace wasync {

class lock;

/// Holds a lock and releases it when destroyed.
class [[nodiscard]] lock_guard {
 public:
  lock_guard() noexcept = default;
  explicit lock_guard(lock& l) noexcept : l_(&l) {}
  lock_guard(lock_guard&& o) noexcept : l_(std::exchange(o.l_, nullptr)) {}
  lock_guard& operator=(lock_guard&& o) noexcept;
  ~lock_guard();
  bool owns_lock() const noexcept { return l_ != nullptr; }
  void unlock() noexcept;

 private:
  lock* l_ = nullptr;
};

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

inline lock_guard& lock_guard::operator=(lock_guard&& o) noexcept {
  if (this != &o) {
    unlock();
    l_ = std::exchange(o.l_, nullptr);
  }
  return *this;
}
inline lock_guard::~lock_guard() { unlock(); }
inline void lock_guard::unlock() noexcept {
  if (l_) (void)std::exchange(l_, nullptr)->release();
}

}  // namespace wasync
