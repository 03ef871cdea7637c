// The WASI preview1 host: one poll_oneoff per loop wait, with a relative
// monotonic clock subscription for the earliest timer and one FD_READ/FD_WRITE
// subscription per watched fd (readable()/writable() from fd_wait.hpp).
// Runs under wasmtime (both preview1 implementations) and Node's node:wasi.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "wasync/fd_wait.hpp"
#include "wasync/host.hpp"

namespace wasync {

/// The host `run(main)` uses in WASI builds (`default_host()`). The WASI
/// instance has one thread, so notify() has nothing to wake.
class wasi_host final : public host {
 public:
  wasi_host();
  ~wasi_host() override;
  wasi_host(const wasi_host&) = delete;
  wasi_host& operator=(const wasi_host&) = delete;

  time_point now() noexcept override;
  bool wait(std::optional<time_point> deadline) override;
  void notify() noexcept override {}

  /// Fails with errc::invalid_argument for an fd the instance does not have.
  /// Regular files and directories are always ready (they are not polled:
  /// node:wasi's poll_oneoff rejects them).
  error watch(int fd, bool for_write, fd_watcher& w) override;
  void unwatch(int fd, bool for_write) noexcept override;
  /// Watchers currently registered (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watches_.size(); }

 private:
  struct watch_entry {
    int fd;
    bool for_write;
    bool always_ready;  ///< never polled: reported ready at the next wait
    fd_watcher* watcher;
  };
  struct poll_buffers;  // the poll_oneoff arrays, reused from wait to wait

  static std::size_t key(int fd, bool for_write) noexcept {
    return static_cast<std::size_t>(fd) * 2 + (for_write ? 1 : 0);
  }
  void dispatch(std::size_t k, unsigned events) noexcept;
  void recover_from_failed_poll() noexcept;

  // Watches in subscription order; slot_[key] is the position + 1 (0: none).
  std::vector<watch_entry> watches_;
  std::vector<std::uint32_t> slot_;
  std::unique_ptr<poll_buffers> buffers_;
  /// The host rounds clock timeouts down to whole milliseconds (node:wasi does):
  /// seen once a clock subscription fired before its deadline. From then on
  /// timeouts are rounded up, so a wait ends at the deadline, not in a spin of
  /// zero-length polls just before it.
  bool coarse_clock_ = false;
};

}  // namespace wasync
