// The native host's reactor: epoll. Level waits (fd_reactor::watch, used by
// readable()/writable()) are one-shot registrations; edge waits (watch_edge,
// used by the sockets, which retry after EAGAIN) are one persistent
// edge-triggered registration per fd, the mio/tokio design.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "wasync/fd_reactor.hpp"

namespace wasync {

class epoll_reactor final : public fd_reactor {
 public:
  static constexpr reactor_kind kind = reactor_kind::epoll;

  epoll_reactor();
  ~epoll_reactor();
  epoll_reactor(const epoll_reactor&) = delete;
  epoll_reactor& operator=(const epoll_reactor&) = delete;

  error watch(int fd, bool for_write, fd_watcher& w) override;
  void unwatch(int fd, bool for_write) noexcept override;
  /// watch() for an fd whose owner waits only after an operation on it found
  /// nothing to do (EAGAIN, or a read that came back short), retries after a
  /// wake, and calls fresh_fd() when it creates the fd: no syscall per wait,
  /// and a watcher may be woken spuriously.
  error watch_edge(int fd, bool for_write, fd_watcher& w);
  /// `fd` was just created: whatever was known about an earlier file with that number is stale.
  void fresh_fd(int fd) noexcept;
  /// The driver's own fds (its timer and its wake): reported readable to `w`
  /// on every wait while they are, never counted in watched().
  void watch_always(int fd, fd_watcher& w);

  /// Watches registered by tasks (tests check that cancelled waits leave none).
  std::size_t watched() const noexcept { return watched_; }
  /// Tells the watchers of edges remembered for them (no syscall); false if there were none.
  bool deliver_remembered();
  /// Waits up to `timeout_ms` (-1: without limit) and tells the watchers of what is ready.
  void poll(int timeout_ms);

 private:
  // watch(): a reported event disarms the fd in the kernel, so a watcher that
  // stops after its event (the usual case) costs no syscall, and re-watching
  // costs one EPOLL_CTL_MOD instead of an ADD and a DEL. Entries stay after
  // unwatch; a cancelled watch leaves at most one spurious, ignored event.
  // watch_edge(): an event nobody waits for is remembered and handed to the
  // next watcher of that direction.
  struct interest {
    fd_watcher* reader = nullptr;
    fd_watcher* writer = nullptr;
    std::uint32_t armed = 0;  ///< events armed in the kernel (0: disarmed or not registered)
    bool registered = false;  ///< the kernel may know this fd (a closed fd drops out: MOD fails, ADD again)
    bool edge = false;        ///< registered edge-triggered by watch_edge
    bool always = false;      ///< watch_always: level-triggered, never disarmed
    unsigned read_ready = 0;  ///< edge: io_events seen while no reader waited
    unsigned write_ready = 0;
  };
  /// A remembered edge handed to a new watcher, told on the next wait.
  struct pending_event {
    int fd;
    bool for_write;
    fd_watcher* watcher;
    unsigned events;
  };
  /// Arms the kernel for the interest's watchers; 0 or an errno.
  int arm(int fd, interest& i) noexcept;
  /// Registers `fd` for `events` (ADD or MOD, whichever the kernel needs); 0 or an errno.
  int control(int fd, interest& i, std::uint32_t events) noexcept;
  void dispatch(int fd, std::uint32_t ev);

  int epoll_fd_;
  std::unordered_map<int, interest> interests_;
  std::vector<pending_event> pending_;
  std::size_t watched_ = 0;
};

/// For basic_fd_awaiter (fd_wait.hpp): a wait through watch_edge().
struct edge_watch {
  using reactor_type = epoll_reactor;
  static error watch(epoll_reactor& r, int fd, bool for_write, fd_watcher& w) { return r.watch_edge(fd, for_write, w); }
};

}  // namespace wasync
