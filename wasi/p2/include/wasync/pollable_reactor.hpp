// The WASI preview2 reactor: wasi:io pollables awaited in one wasi:io/poll.poll
// per loop wait, beside the driver's clock pollable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wasync/fd_reactor.hpp"

namespace wasync {

class pollable_reactor {
 public:
  static constexpr reactor_kind kind = reactor_kind::pollables;

  /// Reports `pollable` (a wasi:io pollable handle the caller owns and drops
  /// after unwatching) to `w` once ready.
  error watch(std::int32_t pollable, fd_watcher& w);
  void unwatch(std::int32_t pollable) noexcept;
  /// Waits currently registered (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watches_.size(); }
  /// Calls to wasi:io/poll.poll so far.
  std::uint64_t polls() const noexcept { return polls_; }
  /// Pollables the host's operations subscribed so far (tests check that a
  /// socket's waits reuse its pollables instead of subscribing each time).
  std::uint64_t subscriptions() const noexcept { return subscriptions_; }
  void count_subscription() noexcept { ++subscriptions_; }

  /// One poll over the watched pollables and `clock` (a pollable the caller
  /// owns, or none); tells the watchers of the ready ones.
  void poll(std::optional<std::int32_t> clock);

 private:
  struct watch_entry {
    std::int32_t pollable;
    fd_watcher* watcher;
  };
  void dispatch(std::int32_t pollable) noexcept;

  // Watches in poll order; slot_[handle] is the position + 1 (0: none).
  std::vector<watch_entry> watches_;
  std::vector<std::uint32_t> slot_;
  // Reused from poll to poll.
  std::vector<std::int32_t> poll_list_;
  std::vector<std::int32_t> ready_;
  std::uint64_t polls_ = 0;
  std::uint64_t subscriptions_ = 0;
};

}  // namespace wasync
