// Web host: the drain entry point JS calls and the glue to wasync_web.js.
#include "wasync/web_host.hpp"

#include <emscripten.h>

#include <algorithm>
#include <cstdio>

#include "wasync/as_result.hpp"
#include "wasync/spawn.hpp"

extern "C" {
void wasync_web_notify();
void wasync_web_yield();
void wasync_web_arm_timer(double delay_ms);
void wasync_web_keepalive(int hold);

/// Called by wasync_web.js from a microtask, a macrotask or (from_timer) the timer.
EMSCRIPTEN_KEEPALIVE void wasync_web_drain(int from_timer) { wasync::the_web_host().drain(from_timer != 0); }
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

void web_host::notify() noexcept { wasync_web_notify(); }

void web_host::drain(bool from_timer) {
  if (from_timer) armed_ = time_point::max();  // that setTimeout is spent
  event_loop& l = the_web_loop();
  const time_point yield_at = now() + options_.drain_budget;
  turn_result r;
  do {
    r = l.run_turn(yield_at);
  } while (r.has_ready && now() < yield_at);
  if (r.has_ready) wasync_web_yield();
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
task<void> run_and_exit(task<int> main) {
  auto r = co_await as_result(std::move(main));
  if (!r) std::fprintf(stderr, "wasync: main task failed: %s\n", r.error().describe().c_str());
  std::fflush(stdout);
  wasync_web_keepalive(0);
  emscripten_force_exit(r ? *r : 1);
}
}  // namespace

void start(task<int> main) {
  wasync_web_keepalive(1);
  spawn(run_and_exit(std::move(main)), {.name = "main"});
}

}  // namespace wasync
