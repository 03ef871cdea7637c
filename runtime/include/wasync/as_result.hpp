// as_result(awaitable): await without propagating errors; yields result<T>.
#pragma once

#include <utility>

#include "wasync/detail/coro.hpp"
#include "wasync/result.hpp"

namespace wasync {
namespace detail {

template <class A>
decltype(auto) get_awaiter(A&& a) {
  if constexpr (requires { std::forward<A>(a).operator co_await(); })
    return std::forward<A>(a).operator co_await();
  else
    return std::forward<A>(a);
}

template <class Awaiter>
struct capture_awaiter {
  Awaiter inner;
  bool await_ready() { return inner.await_ready(); }
  template <class H>
  auto await_suspend(H h) {
    return inner.await_suspend(h);
  }
  auto await_resume() { return inner.resume_result(); }
};

}  // namespace detail

/// Awaits `a` and returns its outcome as result<T> instead of unwinding or throwing.
/// Cancellation arrives as an error too, so the caller can clean up and go on.
template <class A>
[[nodiscard]] auto as_result(A&& a) {
  using awaiter_t = std::decay_t<decltype(detail::get_awaiter(std::forward<A>(a)))>;
  detail::capture_awaiter<awaiter_t> c{detail::get_awaiter(std::forward<A>(a))};
  c.inner.capture = true;
  return c;
}

}  // namespace wasync
