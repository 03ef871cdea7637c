// The native host (Linux): epoll for fd readiness (readable()/writable() from
// fd_wait.hpp), one timerfd armed for the earliest deadline, an eventfd for
// notify(). Real native programs, the unit tests and the benchmarks run on it.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "wasync/fd_wait.hpp"
#include "wasync/host.hpp"

namespace wasync {

class native_host final : public host {
 public:
  native_host();
  ~native_host() override;
  native_host(const native_host&) = delete;
  native_host& operator=(const native_host&) = delete;

  time_point now() noexcept override;
  bool wait(std::optional<time_point> deadline) override;
  /// Wakes a blocked wait(); safe from other threads and signal handlers.
  void notify() noexcept override;

  error watch(int fd, bool for_write, fd_watcher& w) override;
  void unwatch(int fd, bool for_write) noexcept override;
  std::size_t watched() const noexcept { return watched_; }

 private:
  struct interest {
    fd_watcher* reader = nullptr;
    fd_watcher* writer = nullptr;
  };
  void update(int fd, interest& i);

  int epoll_fd_;
  int timer_fd_;
  int event_fd_;
  std::optional<time_point> armed_;  ///< what timer_fd_ is armed for
  std::unordered_map<int, interest> interests_;
  std::size_t watched_ = 0;
};

}  // namespace wasync
