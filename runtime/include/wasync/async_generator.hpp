// async_generator<T>: a coroutine that co_yields items and may co_await in
// between; consumed with `while (auto item = co_await gen.next())`. It runs
// inside the consuming task, so cancelling the consumer reaches its awaits.
// An abandoned generator (destroyed before the end) runs only its synchronous
// RAII cleanup: async cleanup needs the consumer to drain it.
#pragma once

#include <optional>
#include <utility>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/task.hpp"

namespace wasync {

template <class T>
class async_generator;

namespace detail {

template <class T>
struct generator_promise : task_promise_base {
  async_generator<T> get_return_object() noexcept;
  outcome<T>& slot() noexcept { return *static_cast<outcome<T>*>(out); }

  struct yield_awaiter {
    bool await_ready() const noexcept { return false; }
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<generator_promise> h) noexcept {
      return transfer_to(h.promise().lnk->parent);
    }
    void await_resume() const noexcept {}
  };
  template <class U>
    requires std::is_constructible_v<T, U &&>
  yield_awaiter yield_value(U&& v) {
    slot().set_value(std::forward<U>(v));
    return {};
  }
  void return_void() noexcept {}
};

template <class T>
struct next_awaiter : link {
  outcome<T> slot;
  coro::coroutine_handle<>* gen;

  explicit next_awaiter(coro::coroutine_handle<>& g) noexcept : gen(&g) { owner = gen; }
  next_awaiter(next_awaiter&& o) noexcept : link(o), gen(o.gen) { owner = gen; }
  bool await_ready() const noexcept { return !*gen || gen->done(); }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    auto g = coro::coroutine_handle<generator_promise<T>>::from_address(gen->address());
    parent = h;
    parent_promise = &h.promise();
    g.promise().lnk = this;
    g.promise().out = &slot;
    g.promise().ctx = h.promise().ctx;
    return transfer_to(g);
  }
  /// The next item, or nullopt once the generator finished.
  result<std::optional<T>> resume_result() {
    if (slot.failed()) return slot.err;
    return std::move(slot.value);
  }
  std::optional<T> await_resume() {
#if WASYNC_EXCEPTIONS
    if (slot.failed()) slot.rethrow();
#endif
    return unwrap(resume_result());
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] async_generator {
 public:
  using promise_type = detail::generator_promise<T>;

  async_generator() noexcept = default;
  async_generator(async_generator&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  async_generator& operator=(async_generator&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~async_generator() {
    if (h_) h_.destroy();
  }

  /// Resumes the generator until its next item (nullopt at the end).
  [[nodiscard]] detail::next_awaiter<T> next() noexcept { return detail::next_awaiter<T>(h_); }
  /// Finished or failed: next() yields nullopt from now on.
  bool done() const noexcept { return !h_ || h_.done(); }

 private:
  friend promise_type;
  explicit async_generator(detail::coro::coroutine_handle<> h) noexcept : h_(h) {}
  detail::coro::coroutine_handle<> h_;
};

namespace detail {
template <class T>
async_generator<T> generator_promise<T>::get_return_object() noexcept {
  return async_generator<T>(coro::coroutine_handle<generator_promise<T>>::from_promise(*this));
}
}  // namespace detail

}  // namespace wasync
