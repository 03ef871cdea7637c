// The native host (Linux): a driver parking in its epoll reactor, one timerfd
// armed for the earliest deadline, an eventfd for unpark(). Real native
// programs, the unit tests and the benchmarks run on it.
#pragma once

#include <cstddef>
#include <optional>

#include "wasync/driver.hpp"
#include "wasync/epoll_reactor.hpp"

namespace wasync {

class native_host final : public driver {
 public:
  native_host();
  ~native_host() override;
  native_host(const native_host&) = delete;
  native_host& operator=(const native_host&) = delete;

  time_point now() noexcept override;
  bool park(std::optional<time_point> deadline) override;
  /// Wakes a blocked park(); safe from other threads and signal handlers.
  void unpark() noexcept override;

  epoll_reactor& epoll() noexcept { return epoll_; }
  /// The reactor's watches (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return epoll_.watched(); }

 protected:
  void* find_reactor(reactor_kind kind) noexcept override;

 private:
  /// Reads what woke the driver (the timer's or the wake's counter).
  struct drain_fd final : fd_watcher {
    int fd;
    native_host* host;
    drain_fd(int f, native_host* h) noexcept : fd(f), host(h) {}
    void on_ready(unsigned events) noexcept override;
  };

  epoll_reactor epoll_;
  drain_fd timer_;
  drain_fd wake_;
  std::optional<time_point> armed_;  ///< what the timerfd is armed for
};

}  // namespace wasync
