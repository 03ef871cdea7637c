// Awaiting a wasi:io pollable through the host's poll. An owned pollable (a
// one-off subscription) is dropped by the awaiter when done, cancelled or
// destroyed; a borrowed one (a socket's, subscribed once and kept across its
// waits) stays with its owner. Either must go before the stream or socket it
// watches.
#pragma once

#include <cstdint>
#include <utility>

#include "wasip2.h"
#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/pollable_reactor.hpp"

namespace wasync::detail {

/// Counts a pollable the host subscribed (pollable_reactor::subscriptions()).
inline wasi_io_poll_own_pollable_t counted(wasi_io_poll_own_pollable_t p) noexcept {
  if (auto* r = loop().driver().reactor<pollable_reactor>()) r->count_subscription();
  return p;
}

struct pollable_wait : leaf_awaiter, fd_watcher {
  std::int32_t pollable;
  bool owned;
  pollable_reactor* watching = nullptr;

  explicit pollable_wait(wasi_io_poll_own_pollable_t p) noexcept : pollable(counted(p).__handle), owned(true) {}
  explicit pollable_wait(wasi_io_poll_borrow_pollable_t p) noexcept : pollable(p.__handle), owned(false) {}
  pollable_wait(const pollable_wait&) = delete;
  ~pollable_wait() {
    stop();
    if (owned) wasi_io_poll_pollable_drop_own({pollable});
  }

  bool await_ready() const noexcept { return false; }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "wasi:io pollable";
    on_cancel = [](wait_node& n, error why) {
      auto& a = static_cast<pollable_wait&>(n);
      a.stop();
      a.err = std::move(why);
      complete(a);
    };
    auto* r = loop().driver().reactor<pollable_reactor>();
    if (!r) err = error(errc::not_supported, "a wasi:io wait needs the WASI preview2 host (wasip2_host)");
    else if (err = r->watch(pollable, *this); err.ok()) watching = r;
    if (auto next = suspend(h)) {
      stop();
      return next;
    }
    return coro::noop_coroutine();
  }
  void on_ready(unsigned) noexcept override {
    stop();
    complete(*this);
  }
  void stop() noexcept {
    if (watching) std::exchange(watching, nullptr)->unwatch(pollable);
  }
  /// Ends a parked wait from outside (a socket being closed) with `why`;
  /// nothing when it is not parked (or already woken).
  void abort(error why) noexcept {
    if (watching) on_cancel(*this, std::move(why));
  }
  result<void> resume_result() {
    if (!err.ok()) return err;
    return {};
  }
  void await_resume() { unwrap(resume_result()); }
};

/// `co_await ready(stream_subscribe(...))`: the subscription's pollable is ready.
[[nodiscard]] inline pollable_wait ready(wasi_io_poll_own_pollable_t p) noexcept { return pollable_wait(p); }

}  // namespace wasync::detail
