// Web host: the drain entry point JS calls and the glue to web/js/loop.js.
#include "wasync/web_host.hpp"

#include <emscripten.h>

#include <algorithm>
#include <cstdio>

#include "js_imports.hpp"
#include "wasync/detail/main_task.hpp"
#include "wasync/run.hpp"
#include "wasync/spawn.hpp"

extern "C" {
/// Called by loop.js from a microtask, a macrotask or (from_timer) the
/// timer, with `settled` completion records in the settlement buffer.
EMSCRIPTEN_KEEPALIVE void wasync_web_drain(int from_timer, int settled) {
  wasync::the_web_host().drain(from_timer != 0, static_cast<std::size_t>(settled));
}
/// Called by ops.js when a batch outgrows the settlement buffer.
EMSCRIPTEN_KEEPALIVE wasync::detail::js_settlement* wasync_web_settlement_buffer(int n) {
  return wasync::the_web_host().js_ops().settlement_buffer(static_cast<std::size_t>(n));
}
}

namespace wasync {
namespace {
loop_options loop_options_for(const web_options& o) {
  loop_options l;
  l.step_budget = o.step_budget;
  return l;
}
}  // namespace

web_host& the_web_host() {
  static web_host h;
  return h;
}

event_loop& the_web_loop() {
  static event_loop l(the_web_host(), loop_options_for(the_web_host().options()));
  return l;
}

// The loop exists from start-up, so spawn() works anywhere, main() included.
[[maybe_unused]] static event_loop& web_loop_at_startup = the_web_loop();

time_point web_host::now() noexcept {
  return time_point(std::chrono::duration_cast<duration>(
      std::chrono::duration<double, std::milli>(emscripten_get_now())));
}

void web_host::unpark() noexcept {
  if (draining_) return;
  woken_ = true;
  wasync_web_notify();
}

void web_host::drain(bool from_timer, std::size_t settled) {
  if (from_timer) armed_ = time_point::max();  // that setTimeout is spent
  // Settling makes tasks ready; this drain runs them, so no extra microtask.
  draining_ = true;
  ops_.settle_batch(settled);
  event_loop& l = the_web_loop();
  const bool few = !from_timer && !woken_ && settled <= unclocked_settlements;
  woken_ = false;
  time_point yield_at = few ? time_point::max() : now() + options_.drain_budget;
  turn_result r = l.run_turn(yield_at);
  if (few && r.has_ready) yield_at = now() + options_.drain_budget;
  while (r.has_ready && now() < yield_at) r = l.run_turn(yield_at);
  draining_ = false;
  if (r.has_ready) {
    woken_ = true;
    wasync_web_yield();
  }
  const time_point next = r.next_deadline.value_or(time_point::max());
  if (next != armed_) {
    armed_ = next;
    const double delay_ms =
        next == time_point::max()
            ? -1.0
            : std::max(0.0, std::chrono::duration<double, std::milli>(next - now()).count());
    wasync_web_arm_timer(delay_ms);
  }
}

namespace {
detail::task_context* running_main = nullptr;  // main, while it runs under start()/run()
bool program_running = false;

task<void> run_program(task<int> main) {
  const int status = co_await detail::main_task(std::move(main), running_main);
  std::fflush(stdout);
  program_running = false;
  wasync_web_keepalive(0);
  emscripten_force_exit(status);
}
}  // namespace

extern "C" {
/// Called by loop.js when Node's event loop ran dry while the program
/// runs: nothing can wake main any more. Returns 1 to be told again.
EMSCRIPTEN_KEEPALIVE int wasync_web_idle() {
  if (!program_running) return 0;
  if (running_main) {
    running_main->cancel(error(errc::deadlock, "the main task waits on nothing that can wake it"));
    return 1;
  }
  std::fputs("wasync: tasks left by main wait on nothing that can wake them\n", stderr);
  std::fflush(stdout);
  emscripten_force_exit(1);
  return 0;
}
}

void start(task<int> main) {
  program_running = true;
  wasync_web_keepalive(1);
  wasync_web_watch_idle();
  spawn(run_program(std::move(main)), {.name = "program"});
}

void web_host::run_main(task<int>& main) {
  start(std::move(main));
  emscripten_exit_with_live_runtime();
}

driver& default_host() { return the_web_host(); }

}  // namespace wasync
