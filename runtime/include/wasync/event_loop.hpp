// The event loop: a ready queue, a timer heap and the live tasks, driven a
// turn at a time by a host. One loop per thread; it never blocks by itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasync/detail/core.hpp"
#include "wasync/detail/timer_heap.hpp"
#include "wasync/driver.hpp"

namespace wasync {

namespace detail {
/// Gives a new task (launch_unscheduled) to the current loop; it runs in the next turn.
void adopt(task_context& t) noexcept;
}  // namespace detail

/// What a turn left behind, for the host to decide how long to park.
struct turn_result {
  bool has_ready = false;                   ///< more work is queued already
  std::optional<time_point> next_deadline;  ///< earliest timer, if any
};

/// What an error report is about (asyncio's exception handler contexts).
enum class report_kind : std::uint8_t {
  never_retrieved,  ///< a task failed and nobody looked at its error
  callback,         ///< a call_soon / call_later / call_at callback failed
  shutdown,         ///< a task failed while run() cancelled what main left behind
};

/// Describes a task for error reports and dumps.
struct task_info {
  const char* name = "task";
  const char* waiting_on = nullptr;  ///< what the task is suspended on, if waiting
  report_kind kind = report_kind::never_retrieved;
};

struct loop_options {
  /// Debug: report any single step that runs longer than this (0 = off).
  duration slow_step_threshold{0};
  /// Tasks per turn before the rest is left for the next turn (0 = no budget).
  /// A web host uses it to yield to rendering and input.
  std::size_t step_budget = 0;
};

/// A step in a task's life, as a task_observer sees it.
enum class task_event_kind : std::uint8_t {
  spawned,   ///< adopted by the loop (not run yet)
  resumed,   ///< a step begins
  waiting,   ///< the step ended with the task parked on `waiting_on`
  finished,  ///< done; `outcome` says ok, failed or cancelled
};

/// One event for a task_observer.
struct task_event {
  task_event_kind kind;
  /// Identifies the task from `spawned` until `finished` (its address, reused afterwards).
  const void* task;
  const char* name;
  const char* waiting_on = nullptr;  ///< for `waiting`: the operation's `what` ("sleep", "fetch", ...)
  const error* outcome = nullptr;    ///< for `finished`: ok(), or the error (errc::cancelled when cancelled)
};

/// Debug hook told about every task's spawn, wait, resume and finish (a
/// timeline, a tracer). Unset, it costs one test per step, spawn, wait and finish.
using task_observer = std::function<void(const task_event&)>;

/// Receives errors nobody retrieved (default: a line on stderr, written
/// without blocking: when stderr is full, lines are dropped and counted).
using error_handler = std::function<void(const error&, const task_info&)>;
/// Receives debug reports such as slow steps (default: a line on stderr, as above).
using debug_handler = std::function<void(const std::string&)>;

class event_loop {
 public:
  explicit event_loop(wasync::driver& d, loop_options options = {});
  ~event_loop();
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  /// The loop running on this thread, or null.
  static event_loop* current() noexcept;

  wasync::driver& driver() noexcept { return driver_; }
  time_point now() noexcept { return driver_.now(); }

  /// Fires due timers, then runs exactly the tasks that were ready when the turn
  /// began. With `yield_at`, a turn still running then leaves the rest of its
  /// batch, in order, for the next turn (hosts that must not block: the web).
  turn_result run_turn(time_point yield_at = time_point::max());
  /// Drives turns, parking in the host between them, until `t` finished.
  /// Returns false on deadlock (nothing can wake the loop and `t` is not done).
  bool run_until_done(detail::task_context& t);
  /// Cancels every live task and runs until they are gone (what run() does at exit).
  void shutdown();
  /// From now on, errors reported are `report_kind::shutdown` (shutdown() and
  /// hosts that await the leftovers themselves say so).
  void begin_shutdown() noexcept { shutting_down_ = true; }
  bool shutting_down() const noexcept { return shutting_down_; }
  /// The live tasks other than `except`, each with a reference for the caller
  /// to release (a shutdown on a host that cannot block awaits them instead).
  std::vector<detail::task_context*> other_live_tasks(const detail::task_context* except);

  std::size_t live_tasks() const noexcept { return live_count_; }
  std::size_t pending_timers() const noexcept { return timers_.size(); }
  /// Writes one line per live task: name, state and what it waits on.
  void dump_tasks(std::ostream& out) const;
  void set_error_handler(error_handler h) { on_error_ = std::move(h); }
  void set_debug_handler(debug_handler h) { on_debug_ = std::move(h); }
  /// Installs (or, with an empty one, removes) the task observer. It must not
  /// spawn, cancel or resume tasks: it runs in the middle of the loop's work.
  void set_task_observer(task_observer o) { observer_ = std::move(o); }

  // Used by the runtime's awaitables.
  void add_timer(detail::timer_node& t, time_point deadline);
  void remove_timer(detail::timer_node& t) noexcept;
  /// Adopts `t` and, when no turn is running, runs its first step at once (as
  /// a JS async function runs until its first await): for an embedder that
  /// enters the loop synchronously, such as a call from JavaScript. Work the
  /// step readies, and a new earliest timer, notify the host as usual. Inside
  /// a turn it is adopt(): `t` starts in the next one.
  void start_now(detail::task_context& t);
  void report_unretrieved(const error& e, const task_info& info);
  /// Hands a debug report (a slow step, a server's failed connection) to the
  /// debug handler, or to standard error without blocking the loop.
  void report_debug(std::string_view line);
  detail::task_context* running() const noexcept { return running_; }

 private:
  // A task's life, as the task machinery tells it: started, ready again, finished.
  friend class detail::task_context;
  friend void detail::complete(detail::wait_node& n) noexcept;
  friend detail::coro::coroutine_handle<> detail::begin_wait(detail::wait_node& n, detail::promise_base& p,
                                                             detail::coro::coroutine_handle<> h) noexcept;
  friend void detail::adopt(detail::task_context& t) noexcept;
  void adopt(detail::task_context& t) noexcept;
  void schedule(detail::task_context& t) noexcept;
  void forget(detail::task_context& t) noexcept;
  // Tells the observer, if one is installed; the event is made out of line
  // (tell_observer), so the hot paths keep no stack frame in memory for it.
  void observe(task_event_kind kind, const detail::task_context& t, const char* waiting_on = nullptr,
               const error* outcome = nullptr) const {
    if (observer_) tell_observer(kind, t, waiting_on, outcome);
  }
  [[gnu::noinline]] void tell_observer(task_event_kind kind, const detail::task_context& t, const char* waiting_on,
                                       const error* outcome) const;
  void run_step(detail::task_context& t);
  /// The frame a step resumes when an error or a cancellation is to be
  /// delivered (`n` null: before the first step), out of line like every
  /// rare path here, so the step keeps no stack frame in memory for it.
  [[gnu::noinline]] detail::coro::coroutine_handle<> step_with_error(detail::task_context& t, detail::wait_node* n) noexcept;
  /// run_step's resumption when slow steps are reported.
  [[gnu::noinline]] void resume_timed(const char* name, detail::coro::coroutine_handle<> next);
  void link_live(detail::task_context& t) noexcept;

  wasync::driver& driver_;
  loop_options options_;
  event_loop* previous_;
  // Ready queue (intrusive FIFO through task_context::next_ready).
  detail::task_context* ready_head_ = nullptr;
  detail::task_context** ready_tail_ = &ready_head_;
  // Timers.
  detail::timer_heap timers_;
  std::uint64_t timer_seq_ = 0;
  // Live tasks (intrusive list) for shutdown and dumps.
  detail::task_context* live_head_ = nullptr;
  std::size_t live_count_ = 0;
  // Turn state.
  detail::task_context* running_ = nullptr;
  bool in_turn_ = false;
  bool notified_ = false;
  bool shutting_down_ = false;
  error_handler on_error_;
  debug_handler on_debug_;
  task_observer observer_;
};

namespace detail {
/// The current loop; fatal() when a wasync awaitable is used outside one.
event_loop& loop() noexcept;
/// Hands an error nobody retrieved to the current loop's handler (or stderr).
void report_unretrieved(const error& e, const task_info& info);
}  // namespace detail

}  // namespace wasync
