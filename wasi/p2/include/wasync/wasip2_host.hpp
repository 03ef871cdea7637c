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
class wasip2_host final : public host {
 public:
  wasip2_host();
  wasip2_host(const wasip2_host&) = delete;
  wasip2_host& operator=(const wasip2_host&) = delete;
  ~wasip2_host() override;

  time_point now() noexcept override;
  bool wait(std::optional<time_point> deadline) override;
  void notify() noexcept override {}

  /// The standard streams as fds: 0 for reading, 1 and 2 for writing (the
  /// reactor subscribes to their wasi:cli streams). Other fds fail with
  /// errc::invalid_argument; a second watcher with errc::invalid_state.
  error watch(int fd, bool for_write, fd_watcher& w) override;
  void unwatch(int fd, bool for_write) noexcept override;

  /// Reports `pollable` (a wasi:io pollable handle the caller owns and drops
  /// after unwatching) to `w` once ready. Used by the reactor's own awaiters.
  error watch_pollable(std::int32_t pollable, fd_watcher& w);
  void unwatch_pollable(std::int32_t pollable) noexcept;

  /// Waits currently registered (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watches_.size(); }
  /// Calls to wasi:io/poll.poll so far.
  std::uint64_t polls() const noexcept { return polls_; }

 private:
  struct watch_entry {
    std::int32_t pollable;
    fd_watcher* watcher;
    int fd_key;  ///< fd * 2 + direction when the host owns the pollable, else -1
  };
  void dispatch(std::int32_t pollable) noexcept;
  void remove(std::int32_t pollable) noexcept;

  // Watches in poll order; slot_[handle] is the position + 1 (0: none).
  std::vector<watch_entry> watches_;
  std::vector<std::uint32_t> slot_;
  std::int32_t fd_pollable_[6] = {-1, -1, -1, -1, -1, -1};  ///< by fd key
  // Reused from wait to wait.
  std::vector<std::int32_t> poll_list_;
  std::vector<std::int32_t> ready_;
  std::uint64_t polls_ = 0;
};

}  // namespace wasync
