// The WASI 0.3 host: the loop runs inside the component's async-lifted
// wasi:cli/run export (the callback ABI). run(main) hands main to the host
// and returns to the export, which, like every later callback, runs turns
// until nothing is ready and then returns WAIT on the reactor's waitable-set
// (EXIT when the program is over): the runtime, not the program, waits.
// Every timer shares one host wait (monotonic-clock wait-until) for the
// earliest deadline. Runs in components under wasmtime 49 (-S p3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wasync/driver.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/task.hpp"
#include "wasync/waitable_reactor.hpp"

namespace wasync {

/// The host `run(main)` uses in WASI 0.3 builds (`default_host()`).
class wasip3_host final : public driver, private waitable_watcher {
 public:
  wasip3_host();
  wasip3_host(const wasip3_host&) = delete;
  wasip3_host& operator=(const wasip3_host&) = delete;
  ~wasip3_host() override;

  time_point now() noexcept override;
  /// Never blocks: the component model runtime waits, after the callback
  /// returned WAIT.
  bool park(std::optional<time_point>) override { return false; }
  /// Nothing to do: every export call and callback ends with the turns that
  /// run what became ready.
  void unpark() noexcept override {}
  bool owns_thread() const noexcept override { return false; }
  /// Starts `main` on this host's loop and returns to the run export (a
  /// non-local exit over the program's main(), whose frames are abandoned,
  /// as on the web). When main finishes, its leftovers are cancelled and
  /// awaited and the program exits with main's status (1 after printing its
  /// error). Outside the run export (no component), a fatal error.
  void run_main(task<int>& main) override;

  waitable_reactor& waitables() noexcept { return waitables_; }
  /// Tasks waiting on a waitable (a stream operation, a subtask): what can
  /// wake the loop besides its timers (tests check that cancelled waits
  /// leave nothing behind). Not counted: the host's timer wait, and an
  /// operation no task waits for any more (a read whose wait was cancelled
  /// stays in flight for the next read).
  std::size_t watched() const noexcept;
  /// Host waits (monotonic-clock wait-until subtasks) started so far, and
  /// those cancelled (for an earlier deadline, or at the program's end).
  std::uint64_t timer_waits() const noexcept { return timer_waits_; }
  std::uint64_t timer_cancels() const noexcept { return timer_cancels_; }
  /// Callbacks the run export received so far.
  std::uint64_t callbacks() const noexcept { return callbacks_; }

  /// The run export's entry points (run_export.c): the first turn after
  /// main was handed over, and each event. Return the callback code.
  std::uint32_t resume_after_handoff() noexcept;
  std::uint32_t on_callback(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) noexcept;
  /// For an export other than run (wasync::wasip3_http's wasi:http handler,
  /// whose tasks share this loop): hands one event of the reactor's set to
  /// its watcher; EVENT_NONE (after a YIELD) takes the events that came meanwhile.
  void take_event(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) noexcept;
  /// Runs turns until nothing is ready and keeps the host wait armed for the
  /// earliest timer. True when tasks were still ready after a batch of turns
  /// while operations are pending: the caller returns YIELD, so that
  /// wasmtime moves them.
  bool run_turns() noexcept;
  /// A main() that returned without handing over (it never called run(),
  /// or ran a loop on a host of its own): waits, blocking the instance,
  /// until what it wrote to the standard streams is out.
  void settle_after_main() noexcept;

 protected:
  void* find_reactor(reactor_kind kind) noexcept override {
    return kind == reactor_kind::waitables ? &waitables_ : nullptr;
  }

 private:
  std::uint32_t drive() noexcept;
  /// Arms the host wait for `deadline` unless one as early is armed; false
  /// when the deadline has passed already (the caller runs another turn).
  bool arm_timer(time_point deadline) noexcept;
  void disarm_timer() noexcept;
  /// The timer's wait-until subtask ended.
  void on_event(waitable_event event, std::uint32_t code) noexcept override;
  std::uint32_t finish() noexcept;

  waitable_reactor waitables_;
  std::uint32_t timer_subtask_ = 0;  ///< the armed wait-until subtask, 0 when none
  time_point armed_ = time_point::max();
  std::uint64_t timer_waits_ = 0;
  std::uint64_t timer_cancels_ = 0;
  std::uint64_t callbacks_ = 0;
};

/// The host and loop of this component (made at start-up).
wasip3_host& the_wasip3_host();
event_loop& the_wasip3_loop();

}  // namespace wasync
