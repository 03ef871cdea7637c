// The WASI preview2 host: a driver that parks in one wasi:io/poll.poll per
// loop wait, over its reactor's pollables and a monotonic-clock
// subscribe-duration pollable for the earliest timer. Runs in components
// under current wasmtime (49).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wasync/driver.hpp"
#include "wasync/pollable_reactor.hpp"

namespace wasync {

/// The host `run(main)` uses in WASI preview2 builds (`default_host()`).
class wasip2_host final : public driver {
 public:
  wasip2_host();
  wasip2_host(const wasip2_host&) = delete;
  wasip2_host& operator=(const wasip2_host&) = delete;

  time_point now() noexcept override;
  bool park(std::optional<time_point> deadline) override;
  void unpark() noexcept override {}

  pollable_reactor& pollables() noexcept { return pollables_; }
  /// The reactor's watches (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return pollables_.watched(); }
  /// Calls to wasi:io/poll.poll so far.
  std::uint64_t polls() const noexcept { return pollables_.polls(); }

 protected:
  void* find_reactor(reactor_kind kind) noexcept override {
    return kind == reactor_kind::pollables ? &pollables_ : nullptr;
  }

 private:
  pollable_reactor pollables_;
};

}  // namespace wasync
