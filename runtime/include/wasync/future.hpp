// future<T>: an awaitable settled later by someone else (asyncio.Future).
// set_value, set_error or cancel settle it once; every awaiter gets the
// outcome (a copy; `co_await std::move(f)` moves the value out); done
// callbacks run on the loop after it settles, in the order they were added.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wasync/callbacks.hpp"
#include "wasync/detail/list_awaiter.hpp"
#include "wasync/detail/outcome.hpp"

namespace wasync {

template <class T = void>
class future {
 public:
  using callback = std::function<void(future&)>;

  future() = default;
  /// Awaiters still waiting fail with errc::closed ("future destroyed"); its
  /// awaiters must not outlive it.
  ~future() {
    pending_.cancel();
    waiters_.fail_all(error(errc::closed, "future destroyed"));
  }
  future(const future&) = delete;
  future& operator=(const future&) = delete;

  bool done() const noexcept { return done_; }
  bool cancelled() const noexcept { return done_ && slot_.err.is(errc::cancelled); }

  /// Settles with a value; errc::invalid_state when already settled.
  template <class... V>
  error set_value(V&&... v) {
    if (done_) return already();
    if constexpr (!std::is_void_v<T>) slot_.set_value(std::forward<V>(v)...);
    settle();
    return {};
  }
  /// Settles with an error; errc::invalid_state when already settled.
  error set_error(error e) {
    if (done_) return already();
    if (e.ok()) return error(errc::invalid_argument, "future::set_error() of no error");
    slot_.set_error(std::move(e));
    settle();
    return {};
  }
  /// Settles as cancelled; false when already settled.
  bool cancel(std::string message = {}) {
    if (done_) return false;
    slot_.set_error(error(errc::cancelled, std::move(message)));
    settle();
    return true;
  }
  /// The outcome once settled (a copy), errc::invalid_state before.
  result<T> outcome() const {
    if (!done_) return error(errc::invalid_state, "future is not done");
    return slot_.copy();
  }

  /// Runs `f(*this)` on the loop once settled (soon, if settled already).
  /// Returns an id for remove_done_callback.
  std::uint64_t add_done_callback(callback f) {
    const std::uint64_t id = ++last_id_;
    callbacks_.push_back({id, std::move(f)});
    if (done_) schedule_callbacks();
    return id;
  }
  /// Removes a callback not yet run; false when there is none with that id.
  bool remove_done_callback(std::uint64_t id) {
    for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it) {
      if (it->id != id) continue;
      callbacks_.erase(it);
      return true;
    }
    return false;
  }

  template <bool Move>
  struct awaiter : detail::list_awaiter {
    future* f;
    explicit awaiter(future& fu) noexcept : f(&fu) {}
    bool await_ready() noexcept {
      if (!f->done_) return false;
      err = f->slot_.err;  // delivered by await_suspend
      return err.ok();
    }
    template <class P>
    detail::coro::coroutine_handle<> await_suspend(detail::coro::coroutine_handle<P> h) noexcept {
      return park(h, f->waiters_, "future");
    }
    result<T> resume_result() {
      if (!err.ok()) return err;
      if constexpr (Move) {
        return f->slot_.take();
      } else {
        return f->slot_.copy();
      }
    }
    auto await_resume() { return detail::unwrap(resume_result()); }
  };
  awaiter<false> operator co_await() & noexcept { return awaiter<false>(*this); }
  awaiter<true> operator co_await() && noexcept { return awaiter<true>(*this); }

 private:
  struct entry {
    std::uint64_t id;
    callback f;
  };
  static error already() { return error(errc::invalid_state, "future already settled"); }
  void settle() {
    done_ = true;
    while (detail::wait_node* n = waiters_.pop_front()) {
      n->err = slot_.err;
      detail::complete(*n);
    }
    schedule_callbacks();
  }
  // As asyncio: callbacks run from the loop, never inside set_value().
  void schedule_callbacks() {
    if (callbacks_.empty() || scheduled_) return;
    scheduled_ = true;
    pending_ = call_soon([this] {
      scheduled_ = false;
      auto due = std::exchange(callbacks_, {});
      for (auto& e : due) e.f(*this);
    }, "future callbacks");
  }

  detail::outcome<T> slot_;
  bool done_ = false;
  bool scheduled_ = false;
  detail::wait_list waiters_;
  std::vector<entry> callbacks_;
  std::uint64_t last_id_ = 0;
  callback_handle pending_;
};

}  // namespace wasync
