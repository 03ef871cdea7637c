// The host interface: the only way the runtime reaches the world.
// A host supplies the clock and parks the thread (native, WASI) or schedules
// drains on its own loop (web). The timer heap and ready queue stay in runtime/.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "wasync/error.hpp"

namespace wasync {

/// wasync's monotonic clock; hosts define what "now" is.
struct clock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<clock, duration>;
  static constexpr bool is_steady = true;
};
using duration = clock::duration;
using time_point = clock::time_point;

/// Readiness of a file descriptor (or WASI fd), as reported by hosts that have them.
enum io_events : unsigned {
  io_readable = 1,  ///< data (or a connection) to read, or end of stream
  io_writable = 2,
  io_hangup = 4,    ///< the peer closed
  io_error = 8,
};

template <class T>
class task;

/// Told by the host when a watched fd is ready.
struct fd_watcher {
  virtual void on_ready(unsigned events) noexcept = 0;

 protected:
  ~fd_watcher() = default;
};

class host {
 public:
  virtual ~host() = default;

  /// Current monotonic time.
  virtual time_point now() noexcept = 0;

  /// Hosts that own the thread: block until an I/O event, notify(), or the
  /// deadline (std::nullopt: no timer pending; a past deadline: just poll).
  /// The loop polls with time_point::min(): compare with now() before
  /// subtracting, or `deadline - now()` overflows.
  /// Returns false when nothing can ever wake it (no deadline, nothing
  /// watched): the caller treats that as a deadlock.
  virtual bool wait(std::optional<time_point> deadline) = 0;

  /// Work became ready outside a loop turn: hosts that do not own the thread
  /// schedule a drain (web: one microtask per batch); blocking hosts wake wait().
  virtual void notify() noexcept = 0;

  /// False for hosts whose loop is the embedder's (the web): run() then hands
  /// `main` to run_main() instead of driving turns itself.
  virtual bool owns_thread() const noexcept { return true; }
  /// Hosts that do not own the thread: run `main` on their loop and never
  /// return; when it finishes, leftovers are cancelled and awaited and the
  /// program exits with main's status (1 after printing its error).
  virtual void run_main(task<int>& main) { (void)main; }

  /// Hosts with file descriptors: report readiness of `fd` for reading or
  /// writing to `w` (one watcher per fd and direction) until unwatched.
  /// Fails with errc::not_supported where the host has no fds (the web), and
  /// errc::invalid_state when the fd already has a watcher in that direction.
  virtual error watch(int fd, bool for_write, fd_watcher& w) {
    (void)fd, (void)for_write, (void)w;
    return error(errc::not_supported, "this host has no file descriptors");
  }
  virtual void unwatch(int fd, bool for_write) noexcept { (void)fd, (void)for_write; }

  /// watch() for an fd whose owner waits only after an operation on it found
  /// nothing to do (EAGAIN, or a read that came back short), retries after a
  /// wake, and calls fresh_fd() when it creates the fd. A host may then keep
  /// one persistent edge-triggered registration (no syscall per wait) and wake
  /// the watcher spuriously.
  virtual error watch_edge(int fd, bool for_write, fd_watcher& w) { return watch(fd, for_write, w); }
  /// `fd` was just created: whatever the host knew about an earlier file with
  /// that number is stale.
  virtual void fresh_fd(int fd) noexcept { (void)fd; }
};

}  // namespace wasync
