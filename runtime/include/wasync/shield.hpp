// shield: await a task that the awaiter's cancellation does not reach. The
// awaiter stops waiting with errc::cancelled; the shielded task runs on.
#pragma once

#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {
namespace detail {

template <class T>
struct shield_awaiter : handle_awaiter<T, true> {
  using handle_awaiter<T, true>::handle_awaiter;

  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    this->what = "shielded task";
    this->on_cancel = [](wait_node& n, error why) {
      auto& a = static_cast<shield_awaiter&>(n);
      a.target->remove_waiter(a);
      a.err = std::move(why);
      complete(a);
    };
    if (auto next = this->suspend(h)) return next;
    this->target->add_waiter(*this);
    return coro::noop_coroutine();
  }
};
}  // namespace detail

/// Spawns `t` and awaits it; cancelling the awaiter leaves `t` running.
template <class T>
[[nodiscard]] detail::shield_awaiter<T> shield(task<T> t) {
  auto h = spawn(std::move(t), {.name = "shielded"});
  return detail::shield_awaiter<T>(h.context());
}
/// Awaits a running task; cancelling the awaiter leaves it running (asyncio's shield(task)).
template <class T>
[[nodiscard]] detail::shield_awaiter<T> shield(task_handle<T>& h) {
  return detail::shield_awaiter<T>(h.context());
}
template <class T>
[[nodiscard]] detail::shield_awaiter<T> shield(task_handle<T>&& h) {
  return detail::shield_awaiter<T>(h.context());
}

}  // namespace wasync
