// The native host (Linux): epoll for fd readiness (readable()/writable() from
// fd_wait.hpp), one timerfd armed for the earliest deadline, an eventfd for
// notify(). Real native programs, the unit tests and the benchmarks run on it.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

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
  error watch_edge(int fd, bool for_write, fd_watcher& w) override;
  void fresh_fd(int fd) noexcept override;
  std::size_t watched() const noexcept { return watched_; }

 private:
  // watch(): one-shot registrations. A reported event disarms the fd in the
  // kernel, so a watcher that stops after its event (the usual case) costs no
  // syscall, and re-watching costs one EPOLL_CTL_MOD instead of an ADD and a
  // DEL. Entries stay after unwatch; a cancelled watch leaves at most one
  // spurious, ignored event behind.
  // watch_edge(): one edge-triggered registration for both directions, made
  // once per fd (fresh_fd() forgets it); an event nobody waits for is
  // remembered and handed to the next watcher of that direction, so waiting
  // costs no syscall (the mio/tokio design).
  struct interest {
    fd_watcher* reader = nullptr;
    fd_watcher* writer = nullptr;
    std::uint32_t armed = 0;  ///< events armed in the kernel (0: disarmed or not registered)
    bool registered = false;  ///< the kernel may know this fd (a closed fd drops out: MOD fails, ADD again)
    bool edge = false;        ///< registered edge-triggered by watch_edge
    unsigned read_ready = 0;  ///< edge: io_events seen while no reader waited
    unsigned write_ready = 0;
  };
  /// A remembered edge handed to a new watcher, told on the next wait().
  struct pending_event {
    int fd;
    bool for_write;
    fd_watcher* watcher;
    unsigned events;
  };
  /// Arms the kernel for the interest's watchers; 0 or an errno.
  int arm(int fd, interest& i) noexcept;

  int epoll_fd_;
  int timer_fd_;
  int event_fd_;
  std::optional<time_point> armed_;  ///< what timer_fd_ is armed for
  std::unordered_map<int, interest> interests_;
  std::vector<pending_event> pending_;
  std::size_t watched_ = 0;
};

}  // namespace wasync
