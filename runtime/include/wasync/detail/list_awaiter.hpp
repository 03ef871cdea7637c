// An awaiter that parks on a wait_list until an operation completes it; the
// common shape of event, lock, semaphore, condition and queue waits.
#pragma once

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"

namespace wasync::detail {

struct list_awaiter : leaf_awaiter {
  wait_list* list = nullptr;

  /// Parks on `l`; cancelling removes the node, so it never takes a resource.
  template <class P>
  coro::coroutine_handle<> park(coro::coroutine_handle<P> h, wait_list& l, const char* why,
                                bool cancellable = true) noexcept {
    what = why;
    on_cancel = cancellable ? &leave : nullptr;
    if (auto next = suspend(h)) return next;
    list = &l;
    l.push_back(*this);
    return coro::noop_coroutine();
  }
  static void leave(wait_node& n, error why) noexcept {
    auto& a = static_cast<list_awaiter&>(n);
    a.list->remove(a);
    a.err = std::move(why);
    complete(a);
  }
};

}  // namespace wasync::detail
