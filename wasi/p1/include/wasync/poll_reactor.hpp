// The WASI preview1 reactor: fd readiness through poll_oneoff, one
// FD_READ/FD_WRITE subscription per watch, in the same call as the driver's
// clock subscription.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "wasync/fd_reactor.hpp"

namespace wasync {

class poll_reactor final : public fd_reactor {
 public:
  poll_reactor();
  ~poll_reactor();
  poll_reactor(const poll_reactor&) = delete;
  poll_reactor& operator=(const poll_reactor&) = delete;

  /// Fails with errc::invalid_argument for an fd the instance does not have.
  /// Regular files and directories are always ready (they are not polled:
  /// node:wasi's poll_oneoff rejects them).
  error watch(int fd, bool for_write, fd_watcher& w) override;
  void unwatch(int fd, bool for_write) noexcept override;
  /// Watchers currently registered (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watches_.size(); }

  /// One poll_oneoff over the watched fds and, when timeout_ns >= 0, a
  /// relative monotonic clock; tells the watchers of what is ready. True when
  /// the clock alone ended the poll.
  bool poll(std::int64_t timeout_ns);

 private:
  struct watch_entry {
    int fd;
    bool for_write;
    bool always_ready;  ///< never polled: reported ready at the next poll
    fd_watcher* watcher;
  };
  struct poll_buffers;  // the poll_oneoff arrays, reused from poll to poll

  static std::size_t key(int fd, bool for_write) noexcept {
    return static_cast<std::size_t>(fd) * 2 + (for_write ? 1 : 0);
  }
  void dispatch(std::size_t k, unsigned events) noexcept;
  void recover_from_failed_poll() noexcept;

  // Watches in subscription order; slot_[key] is the position + 1 (0: none).
  std::vector<watch_entry> watches_;
  std::vector<std::uint32_t> slot_;
  std::unique_ptr<poll_buffers> buffers_;
};

}  // namespace wasync
