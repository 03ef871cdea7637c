// semaphore: a FIFO counting semaphore for tasks (asyncio.Semaphore). A release
// goes straight to the first waiter; a cancelled waiter never uses one up.
#pragma once

#include <cstddef>
#include <utility>

#include "wasync/detail/list_awaiter.hpp"

namespace wasync {

class semaphore;

/// Holds one unit of a semaphore and releases it when destroyed.
class [[nodiscard]] semaphore_guard {
 public:
  semaphore_guard() noexcept = default;
  explicit semaphore_guard(semaphore& s) noexcept : s_(&s) {}
  semaphore_guard(semaphore_guard&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  semaphore_guard& operator=(semaphore_guard&& o) noexcept;
  ~semaphore_guard() { release(); }
  void release() noexcept;

 private:
  semaphore* s_ = nullptr;
};

class semaphore {
 public:
  explicit semaphore(std::size_t initial) noexcept : count_(initial) {}
  ~semaphore() { waiters_.fail_all(error(errc::closed, "semaphore destroyed")); }
  semaphore(const semaphore&) = delete;
  semaphore& operator=(const semaphore&) = delete;

  std::size_t available() const noexcept { return count_; }
  bool try_acquire() noexcept {
    if (count_ == 0 || !waiters_.empty()) return false;
    --count_;
    return true;
  }
  void release() noexcept {
    if (detail::wait_node* n = waiters_.pop_front()) detail::complete(*n);
    else ++count_;
  }

  struct acquire_awaiter : detail::list_awaiter {
    semaphore* s;
    explicit acquire_awaiter(semaphore& sem) noexcept : s(&sem) { cancel_after_completion = false; }
    bool await_ready() noexcept { return s->try_acquire(); }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
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

 private:
  std::size_t count_;
  detail::wait_list waiters_;
};

inline semaphore_guard& semaphore_guard::operator=(semaphore_guard&& o) noexcept {
  if (this != &o) {
    release();
    s_ = std::exchange(o.s_, nullptr);
  }
  return *this;
}
inline void semaphore_guard::release() noexcept {
  if (s_) std::exchange(s_, nullptr)->release();
}

}  // namespace wasync
