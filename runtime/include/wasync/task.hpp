// task<T>: a lazy, move-only coroutine. Awaiting it runs it inside the awaiting
// task (no scheduling, symmetric transfer) and yields its value or its error.
#pragma once

#include <type_traits>
#include <utility>

#include "wasync/detail/core.hpp"
#include "wasync/result.hpp"

namespace wasync {

template <class T = void>
class task;

namespace detail {

struct final_awaiter {
  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    return transfer_to(finish_frame(h.promise(), h));
  }
  void await_resume() const noexcept {}
  static coro::coroutine_handle<> finish_frame(promise_base& p, coro::coroutine_handle<> h) noexcept;
};

struct task_promise_base : promise_base {
  coro::suspend_always initial_suspend() const noexcept { return {}; }
  final_awaiter final_suspend() const noexcept { return {}; }
#if WASYNC_EXCEPTIONS
  void unhandled_exception() noexcept;
#else
  void unhandled_exception() noexcept {}
#endif
};

template <class T>
struct task_promise : task_promise_base {
  task<T> get_return_object() noexcept;
  outcome<T>& slot() noexcept { return *static_cast<outcome<T>*>(out); }
  void return_value(error e) noexcept { slot().set_error(std::move(e)); }
  void return_value(result<T> r) {
    if (r) slot().set_value(std::move(*r));
    else slot().set_error(r.error());
  }
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, error> &&
             !std::is_same_v<std::decay_t<U>, result<T>>)
  void return_value(U&& v) {
    slot().set_value(std::forward<U>(v));
  }
};

template <>
struct task_promise<void> : task_promise_base {
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
};

/// Awaits a child task: owns its frame and the slot its outcome lands in.
template <class T>
struct task_awaiter : link {
  outcome<T> slot;
  coro::coroutine_handle<> child;

  explicit task_awaiter(coro::coroutine_handle<task_promise<T>> h) noexcept : child(h) { owner = &child; }
  task_awaiter(task_awaiter&& o) noexcept : link(o), child(std::exchange(o.child, {})) { owner = &child; }
  ~task_awaiter() {
    if (child) child.destroy();
  }

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    auto c = coro::coroutine_handle<task_promise<T>>::from_address(child.address());
    parent = h;
    parent_promise = &h.promise();
    c.promise().lnk = this;
    c.promise().out = &slot;
    c.promise().ctx = h.promise().ctx;
    return transfer_to(c);
  }
  T await_resume() { return slot.unwrap(); }
  result<T> resume_result() { return slot.take(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
 public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  task() noexcept = default;
  task(task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~task() {
    if (h_) h_.destroy();
  }

  bool valid() const noexcept { return static_cast<bool>(h_); }

  detail::task_awaiter<T> operator co_await() && noexcept {
    if (!h_) detail::fatal("co_await on an empty wasync::task");
    return detail::task_awaiter<T>(std::exchange(h_, {}));
  }

  /// Gives up ownership of the frame (used by spawn).
  detail::coro::coroutine_handle<promise_type> release() noexcept { return std::exchange(h_, {}); }

 private:
  friend promise_type;
  explicit task(detail::coro::coroutine_handle<promise_type> h) noexcept : h_(h) {}
  detail::coro::coroutine_handle<promise_type> h_;
};

namespace detail {
template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(coro::coroutine_handle<task_promise<T>>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(coro::coroutine_handle<task_promise<void>>::from_promise(*this));
}

/// co_await fail(e): the current coroutine ends with error e (unwinding without
/// exceptions, throwing wasync::exception with them).
struct fail_awaiter {
  error e;
  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    return transfer_to(unwind(&h.promise(), h, std::move(e)));
  }
  [[noreturn]] void await_resume() const noexcept { fatal("resumed after fail()"); }
};
}  // namespace detail

/// Ends the current task with `e`; code after it does not run. Works without exceptions.
[[nodiscard]] inline detail::fail_awaiter fail(error e) { return {std::move(e)}; }
[[nodiscard]] inline detail::fail_awaiter fail(errc code, std::string message = {}) {
  return {error(code, std::move(message))};
}

}  // namespace wasync
