// The WASI 0.3 reactor: the loop's one waitable-set. An operation that did
// not finish at once (an async import's subtask, a stream or future read or
// write) is watched under its waitable handle; the run export's callback
// hands each event to dispatch(), which tells the operation's watcher. A
// waitable stays in the set between operations (each join is a host call)
// and leaves it before it is cancelled or handed to an import: wasmtime traps
// on both while it is in a set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wasync/driver.hpp"
#include "wasync/error.hpp"

namespace wasync {

/// The component model's event codes, as the run export's callback gets them.
enum class waitable_event : std::uint32_t {
  none = 0,
  subtask = 1,
  stream_read = 2,
  stream_write = 3,
  future_read = 4,
  future_write = 5,
  task_cancelled = 6,
};

/// Told by the waitable reactor when the waitable it watches has an event.
struct waitable_watcher {
  /// `code`: a subtask's new state, or a stream or future operation's result
  /// (count << 4 | completed, dropped or cancelled).
  virtual void on_event(waitable_event event, std::uint32_t code) noexcept = 0;

 protected:
  ~waitable_watcher() = default;
};

class waitable_reactor {
 public:
  static constexpr reactor_kind kind = reactor_kind::waitables;

  waitable_reactor() = default;
  waitable_reactor(const waitable_reactor&) = delete;
  waitable_reactor& operator=(const waitable_reactor&) = delete;
  ~waitable_reactor() { close(); }

  /// Tells `w` of the next event of `waitable`, joining it to the set if it
  /// is not in it; errc::invalid_state when another watcher waits on it.
  error watch(std::uint32_t waitable, waitable_watcher& w);
  /// Takes `waitable` out of the set (and its watcher off): do this before
  /// cancelling its operation or passing it to an import.
  void leave(std::uint32_t waitable) noexcept;
  /// `waitable` was dropped (which takes it out of the set): forget it, so
  /// that its handle, when the host reuses it, starts outside the set.
  void forget(std::uint32_t waitable) noexcept;

  /// Delivers one event from the callback: the watcher is taken off first,
  /// then told. False when nobody watched `waitable`.
  bool dispatch(waitable_event event, std::uint32_t waitable, std::uint32_t code) noexcept;

  /// The set's handle, for the callback's WAIT code (made on first use).
  std::uint32_t set() noexcept;
  /// Waitables with a watcher: operations that can still wake the loop.
  std::size_t watched() const noexcept { return watched_; }
  /// Events delivered so far.
  std::uint64_t events() const noexcept { return events_; }
  /// Takes every waitable out of the set and drops the set (at exit: a set
  /// with members cannot be dropped).
  void close() noexcept;

 private:
  struct slot {
    waitable_watcher* watcher = nullptr;
    bool joined = false;
  };
  std::vector<slot> slots_;  ///< by waitable handle
  std::uint32_t set_ = 0;
  std::size_t watched_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace wasync
