// fd_reactor: readiness of file descriptors, the reactor of hosts that have
// them (native epoll, WASI preview1 poll_oneoff). readable()/writable()
// (fd_wait.hpp) and the fd-based streams wait through it.
#pragma once

#include "wasync/driver.hpp"
#include "wasync/error.hpp"

namespace wasync {

/// Readiness of a file descriptor (or WASI fd).
enum io_events : unsigned {
  io_readable = 1,  ///< data (or a connection) to read, or end of stream
  io_writable = 2,
  io_hangup = 4,    ///< the peer closed
  io_error = 8,
};

/// Told by a reactor when what it watches is ready.
struct fd_watcher {
  virtual void on_ready(unsigned events) noexcept = 0;

 protected:
  ~fd_watcher() = default;
};

class fd_reactor {
 public:
  static constexpr reactor_kind kind = reactor_kind::fds;

  /// Reports readiness of `fd` for reading or writing to `w` (one watcher per
  /// fd and direction) until unwatched; errc::invalid_state when the fd
  /// already has a watcher in that direction.
  virtual error watch(int fd, bool for_write, fd_watcher& w) = 0;
  virtual void unwatch(int fd, bool for_write) noexcept = 0;

 protected:
  ~fd_reactor() = default;
};

}  // namespace wasync
