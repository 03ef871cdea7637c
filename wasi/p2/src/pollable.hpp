// Owned wasi:io pollables and the awaiter that waits for one through the
// host's poll (readable() underneath: wasip2_host watches pollable handles).
#pragma once

#include <cstdint>
#include <utility>

#include "wasip2.h"
#include "wasync/fd_wait.hpp"

namespace wasync::detail {

/// Waits until `p` is ready, then drops it (also when cancelled): a pollable
/// must go before the stream or socket it watches.
struct pollable_wait : fd_awaiter {
  explicit pollable_wait(wasi_io_poll_own_pollable_t p) noexcept : fd_awaiter(p.__handle, false) {}
  pollable_wait(const pollable_wait&) = delete;
  ~pollable_wait() {
    stop();
    wasi_io_poll_pollable_drop_own(wasi_io_poll_own_pollable_t{fd});
  }
  void await_resume() { unwrap(resume_result()); }
};

/// `co_await ready(stream_subscribe(...))`: the subscription's pollable is ready.
[[nodiscard]] inline pollable_wait ready(wasi_io_poll_own_pollable_t p) noexcept { return pollable_wait(p); }

}  // namespace wasync::detail
