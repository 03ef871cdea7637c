// event: tasks wait until it is set (asyncio.Event).
#pragma once

#include "wasync/detail/list_awaiter.hpp"

namespace wasync {

class event {
 public:
  event() = default;
  /// Waiters still parked are woken with errc::closed.
  ~event() { waiters_.fail_all(error(errc::closed, "event destroyed")); }
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  /// Wakes every waiter, in the order they started waiting.
  void set() noexcept {
    set_ = true;
    while (detail::wait_node* n = waiters_.pop_front()) detail::complete(*n);
  }
  void clear() noexcept { set_ = false; }
  bool is_set() const noexcept { return set_; }

  struct awaiter : detail::list_awaiter {
    event* e;
    explicit awaiter(event& ev) noexcept : e(&ev) {}
    bool await_ready() const noexcept { return e->set_; }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, e->waiters_, "event");
    }
    result<void> resume_result() { return err; }
    void await_resume() { detail::unwrap(resume_result()); }
  };
  /// Waits until the event is set (at once if it already is).
  [[nodiscard]] awaiter wait() noexcept { return awaiter(*this); }

 private:
  bool set_ = false;
  detail::wait_list waiters_;
};

}  // namespace wasync
