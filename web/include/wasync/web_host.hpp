// The web host (Emscripten, browsers and Node): the loop lives inside the JS
// event loop and never blocks. Work drains in a microtask; a drain that runs
// past its budget yields to a macrotask so rendering and input keep running;
// all timers share one setTimeout.
#pragma once

#include <cstddef>

#include "wasync/detail/js_ops.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/driver.hpp"
#include "wasync/task.hpp"

namespace wasync {

struct web_options {
  /// A drain yields to the JS event loop after this long (then resumes in a macrotask).
  duration drain_budget = std::chrono::milliseconds(4);
  /// Tasks per loop turn before the turn is split (so one huge batch can yield too).
  std::size_t step_budget = 1024;
};

class web_host final : public driver {
 public:
  explicit web_host(web_options options = {}) noexcept : options_(options) {}

  time_point now() noexcept override;
  /// Never blocks: the JS event loop owns the thread.
  bool park(std::optional<time_point>) override { return false; }
  bool owns_thread() const noexcept override { return false; }
  /// run(main) on the web: starts `main` on the web loop and unwinds the C++
  /// stack back to the JS event loop (emscripten_exit_with_live_runtime).
  void run_main(task<int>& main) override;
  /// Queues one drain microtask for the batch (no-op if one is queued, or
  /// while a drain runs: it looks for ready work before it returns).
  void unpark() noexcept override;

  /// Delivers the `settled` records JS batched into the settlement buffer of
  /// js_ops(), runs turns until nothing is ready or the budget is spent, then
  /// arms the one timer for the earliest deadline. Called from JS; `from_timer`
  /// says the armed setTimeout fired (it may fire a little before the deadline).
  /// A drain that only resumes what at most `unclocked_settlements` settlements
  /// readied runs its first turn without reading the clock (a call out to JS,
  /// ~150 ns in Chromium): the budget then counts from the second turn.
  void drain(bool from_timer, std::size_t settled = 0);
  static constexpr std::size_t unclocked_settlements = 4;
  const web_options& options() const noexcept { return options_; }

  /// The host's JS operations reactor: the op ids of everything in flight
  /// between C++ and JS, which JS settles in batches before each drain.
  detail::js_ops& js_ops() noexcept { return ops_; }

 protected:
  void* find_reactor(reactor_kind kind) noexcept override {
    return kind == reactor_kind::js_ops ? &ops_ : nullptr;
  }

 private:
  web_options options_;
  detail::js_ops ops_;
  time_point armed_ = time_point::max();  ///< what the JS timer is armed for
  bool draining_ = false;
  bool woken_ = false;  ///< work was readied outside a drain, or a drain yielded with work left
};

/// The host and loop of this page or Node process (created at start-up).
web_host& the_web_host();
event_loop& the_web_loop();

/// Runs `main` on the web loop and returns at once (run(main) does the same
/// but never returns). When main finishes, the tasks it left are cancelled and
/// awaited, then the program exits with main's value (or 1 after printing its
/// error). Under Node, a main that waits on nothing that can wake it (Node's
/// loop runs dry) fails with errc::deadlock. The runtime stays alive until then.
void start(task<int> main);

}  // namespace wasync
