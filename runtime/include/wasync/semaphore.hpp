// semaphore: a FIFO counting semaphore for tasks (asyncio.Semaphore). A release
// goes straight to the first waiter; a cancelled waiter never uses one up.
#pragma once

#include <cstddef>
#include <utility>

#include "wasync/detail/list_awaiter.hpp"
#include "wasync/detail/release_guard.hpp"

namespace wasync {

class semaphore;

/// Holds one unit of a semaphore and releases it when destroyed (owns(), release()).
using semaphore_guard = detail::release_guard<semaphore>;

class semaphore {
 public:
  explicit semaphore(std::size_t initial) noexcept : count_(initial) {}
  ~semaphore() { waiters_.fail_all(error(errc::closed, "semaphore destroyed")); }
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  std::size_t available() const noexcept { return count_; }
  /// No unit can be taken at once (asyncio's Semaphore.locked()).
  bool locked() const noexcept { return count_ == 0 || !waiters_.empty(); }
  bool try_acquire() noexcept {
    if (locked()) return false;
    --count_;
    return true;
  }
  /// Hands a unit to the first waiter, or returns it. A bounded_semaphore
  /// refuses a release beyond its initial value (errc::invalid_state).
  error release() noexcept {
    if (waiters_.empty() && count_ >= bound_)
      return error(errc::invalid_state, "bounded_semaphore released more often than acquired");
    if (detail::wait_node* n = waiters_.pop_front()) detail::complete(*n);
    else ++count_;
    return {};
  }

  struct acquire_awaiter : detail::list_awaiter {
    semaphore* s;
    explicit acquire_awaiter(semaphore& sem) noexcept : s(&sem) { cancel_after_completion = false; }
    bool await_ready() noexcept { return s->try_acquire(); }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, s->waiters_, "semaphore");
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };
  struct scoped_awaiter : acquire_awaiter {
    using acquire_awaiter::acquire_awaiter;
    result<semaphore_guard> resume_result() {
      if (!err.ok()) return err;
      return semaphore_guard(*s);
    }
    semaphore_guard await_resume() { return detail::unwrap(resume_result()); }
  };

  [[nodiscard]] acquire_awaiter acquire() noexcept { return acquire_awaiter(*this); }
  /// Waits for a unit and returns a guard that releases it.
  [[nodiscard]] scoped_awaiter scoped() noexcept { return scoped_awaiter(*this); }

 protected:
  semaphore(std::size_t initial, std::size_t bound) noexcept : count_(initial), bound_(bound) {}

 private:
  std::size_t count_;
  std::size_t bound_ = static_cast<std::size_t>(-1);
  detail::wait_list waiters_;
};

/// A semaphore that refuses to be released more often than it was acquired
/// (asyncio.BoundedSemaphore): release() then returns errc::invalid_state.
class bounded_semaphore : public semaphore {
 public:
  explicit bounded_semaphore(std::size_t initial) noexcept : semaphore(initial, initial) {}
};

}  // namespace wasync
