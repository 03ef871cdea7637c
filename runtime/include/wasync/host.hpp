// The host interface: the only way the runtime reaches the world.
// A host supplies the clock and parks the thread (native, WASI) or schedules
// drains on its own loop (web). The timer heap and ready queue stay in runtime/.
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

class host {
 public:
  virtual ~host() = default;

  /// Current monotonic time.
  virtual time_point now() noexcept = 0;

  /// Hosts that own the thread: block until an I/O event, notify(), or the
  /// deadline (std::nullopt: no timer pending; a past deadline: just poll).
  /// Returns false when nothing can ever wake it (no deadline, nothing
  /// watched): the caller treats that as a deadlock.
  virtual bool wait(std::optional<time_point> deadline) = 0;

  /// Work became ready outside a loop turn: hosts that do not own the thread
  /// schedule a drain (web: one microtask per batch); blocking hosts wake wait().
  virtual void notify() noexcept = 0;
};

}  // namespace wasync
