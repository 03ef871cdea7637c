// The WASI preview1 host: a driver that parks in one poll_oneoff per loop
// wait, with a relative monotonic clock subscription for the earliest timer
// beside its reactor's fd subscriptions (readable()/writable() from
// fd_wait.hpp). Runs under wasmtime (both preview1 implementations) and
// Node's node:wasi.
#pragma once

#include <cstddef>
#include <optional>

#include "wasync/driver.hpp"
#include "wasync/poll_reactor.hpp"

namespace wasync {

/// The host `run(main)` uses in WASI builds (`default_host()`). The WASI
/// instance has one thread, so unpark() has nothing to wake.
class wasi_host final : public driver {
 public:
  wasi_host();
  wasi_host(const wasi_host&) = delete;
  wasi_host& operator=(const wasi_host&) = delete;

  time_point now() noexcept override;
  bool park(std::optional<time_point> deadline) override;
  void unpark() noexcept override {}

  poll_reactor& fds() noexcept { return fds_; }
  /// The reactor's watches (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return fds_.watched(); }

 protected:
  void* find_reactor(reactor_kind kind) noexcept override {
    return kind == reactor_kind::fds ? static_cast<fd_reactor*>(&fds_) : nullptr;
  }

 private:
  poll_reactor fds_;
  /// The host rounds clock timeouts down to whole milliseconds (node:wasi does):
  /// seen once a clock subscription fired before its deadline. From then on
  /// timeouts are rounded up, so a wait ends at the deadline, not in a spin of
  /// zero-length polls just before it.
  bool coarse_clock_ = false;
};

}  // namespace wasync
