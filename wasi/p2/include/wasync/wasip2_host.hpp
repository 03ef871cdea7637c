// The WASI preview2 host: a driver that parks in one wasi:io/poll.poll per
// loop wait, over its reactor's pollables and a monotonic-clock
// subscribe-instant pollable for the earliest timer (kept across waits).
// Runs in components under current wasmtime (49).
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
  /// Pollables subscribed so far (pollable_reactor::subscriptions()).
  std::uint64_t subscriptions() const noexcept { return pollables_.subscriptions(); }

 protected:
  void* find_reactor(reactor_kind kind) noexcept override {
    return kind == reactor_kind::pollables ? &pollables_ : nullptr;
  }

 private:
  /// The clock pollable for `instant`: a subscribe-instant kept while the
  /// earliest deadline stays the same (a server's idle timeout, a ticker's
  /// next tick), so that a park costs no subscribe and no drop.
  std::int32_t clock_at(std::uint64_t instant) noexcept;

  pollable_reactor pollables_;
  // The kept clock pollable (-1: none yet) and its instant. Never dropped:
  // the host lives until the program exits.
  std::int32_t clock_ = -1;
  std::uint64_t clock_instant_ = 0;
};

}  // namespace wasync
