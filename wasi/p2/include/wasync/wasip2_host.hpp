// The WASI preview2 host: one wasi:io/poll.poll per loop wait, over the
// earliest timer's monotonic-clock.subscribe-duration and the pollables being
// awaited. Runs in components under current wasmtime (49).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wasync/host.hpp"

namespace wasync {

/// The host `run(main)` uses in WASI preview2 builds (`default_host()`).
/// watch() takes a pollable handle in place of an fd (the direction is
/// ignored: a pollable is one readiness); the reactor's own awaiters own their
/// pollables and drop them after unwatching.
class wasip2_host final : public host {
 public:
  wasip2_host() = default;
  wasip2_host(const wasip2_host&) = delete;
  wasip2_host& operator=(const wasip2_host&) = delete;

  time_point now() noexcept override;
  bool wait(std::optional<time_point> deadline) override;
  void notify() noexcept override {}

  /// Fails with errc::invalid_argument for a negative handle and
  /// errc::invalid_state when the pollable is already watched.
  error watch(int pollable, bool for_write, fd_watcher& w) override;
  void unwatch(int pollable, bool for_write) noexcept override;
  /// Pollables currently watched (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watches_.size(); }
  /// Calls to wasi:io/poll.poll so far.
  std::uint64_t polls() const noexcept { return polls_; }

 private:
  struct watch_entry {
    std::int32_t pollable;
    fd_watcher* watcher;
  };
  void dispatch(std::int32_t pollable) noexcept;

  // Watches in poll order; slot_[handle] is the position + 1 (0: none).
  std::vector<watch_entry> watches_;
  std::vector<std::uint32_t> slot_;
  // Reused from wait to wait.
  std::vector<std::int32_t> poll_list_;
  std::vector<std::int32_t> ready_;
  std::uint64_t polls_ = 0;
};

}  // namespace wasync
