// The driver: what the event loop needs from a host, and nothing else — the
// clock, parking until a deadline or a wake, and the wake. I/O belongs to the
// host's reactors (fd_reactor.hpp natively and under WASI preview1, the
// preview2 pollable reactor, the web's JS operations, the WASI 0.3 waitable
// reactor), which a host's
// awaiters reach through reactor<R>(). The timer heap and the ready queue
// stay in the loop (runtime/).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

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

template <class T>
class task;

/// The reactors a host may own, one of each at most. A readiness reactor
/// (fds, pollables) is told what to watch and reports readiness; a
/// completion reactor (JS operations, WASI 0.3 waitables) starts operations
/// and reports their results. Either kind wakes a task by completing its node.
enum class reactor_kind : std::uint8_t {
  fds,        ///< fd_reactor: readiness of file descriptors (native, WASI preview1)
  epoll,      ///< the native host's fd_reactor, with edge-triggered waits
  pollables,  ///< WASI preview2: wasi:io pollables
  js_ops,     ///< the web: JS operations settled in batches
  waitables,  ///< WASI 0.3: subtasks, streams and futures in one waitable-set
};

class driver {
 public:
  virtual ~driver() = default;

  /// Current monotonic time.
  virtual time_point now() noexcept = 0;

  /// Hosts that own the thread: block until an I/O event, unpark(), or the
  /// deadline (std::nullopt: no timer pending; a past deadline: just poll).
  /// The loop polls with time_point::min(): compare with now() before
  /// subtracting, or `deadline - now()` overflows.
  /// Returns false when nothing can ever wake it (no deadline, no I/O
  /// registered): the caller treats that as a deadlock.
  virtual bool park(std::optional<time_point> deadline) = 0;

  /// Work became ready outside a loop turn: hosts that do not own the thread
  /// schedule a drain (web: one microtask per batch); blocking hosts wake park().
  virtual void unpark() noexcept = 0;

  /// False for hosts whose loop is the embedder's (the web, and a WASI 0.3
  /// component whose export returns to the runtime): run() then hands `main`
  /// to run_main() instead of driving turns itself.
  virtual bool owns_thread() const noexcept { return true; }
  /// Hosts that do not own the thread: run `main` on their loop and never
  /// return; when it finishes, leftovers are cancelled and awaited and the
  /// program exits with main's status (1 after printing its error).
  virtual void run_main(task<int>& main) { (void)main; }

  /// This host's reactor of type R (R::kind says which), or null when the
  /// host has none (a program on the manual clock, an fd wait on the web).
  template <class R>
  R* reactor() noexcept {
    return static_cast<R*>(find_reactor(R::kind));
  }

 protected:
  /// The reactor of `kind`, as a pointer to the type whose `kind` it is.
  virtual void* find_reactor(reactor_kind kind) noexcept {
    (void)kind;
    return nullptr;
  }
};

}  // namespace wasync
