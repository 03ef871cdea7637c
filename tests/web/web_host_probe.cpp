// Workloads the web host tests drive from JavaScript (web_host.test.mjs).
// Each reports through stdout lines the test waits for.
#include <emscripten.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "wasync/wasync.hpp"
#include "wasync/web_host.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

double ms_since(time_point t0) { return std::chrono::duration<double, std::milli>(detail::loop().now() - t0).count(); }

void say(const std::string& s) {
  std::printf("%s\n", s.c_str());
  std::fflush(stdout);
}

task<void> sleeper(std::string name, duration d, time_point t0) {
  co_await sleep(d);
  char line[96];
  std::snprintf(line, sizeof line, "timer %s late %.2f", name.c_str(),
                ms_since(t0) - std::chrono::duration<double, std::milli>(d).count());
  say(line);
}

task<void> timers() {
  const time_point t0 = detail::loop().now();
  co_await gather(sleeper("30", 30ms, t0), sleeper("10", 10ms, t0), sleeper("20", 20ms, t0));
  say("done timers");
}

task<void> zero_delay_chain(int steps) {
  const time_point t0 = detail::loop().now();
  for (int i = 0; i < steps; ++i) co_await sleep(0ms);
  char line[64];
  std::snprintf(line, sizeof line, "done chain %.3f", ms_since(t0));
  say(line);
}

// Busy work that never awaits: only the drain budget can give the JS loop a turn.
task<void> cpu_slice(double ms) {
  const double until = emscripten_get_now() + ms;
  while (emscripten_get_now() < until) {
  }
  co_return;
}

task<void> cpu_job(int slices, double slice_ms) {
  std::vector<task<void>> work;
  for (int i = 0; i < slices; ++i) work.push_back(cpu_slice(slice_ms));
  co_await gather(std::move(work));
  say("done cpu");
}

task<void> note(std::string s) {
  say(s);
  co_return;
}

task<void> long_sleep(double ms) {
  auto r = co_await as_result(sleep(std::chrono::duration<double, std::milli>(ms)));
  say(r ? "long sleep woke" : "long sleep cancelled");
}
task_handle<void> long_sleeper;

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE void probe_timers() { spawn(timers()); }
EMSCRIPTEN_KEEPALIVE void probe_chain(int steps) { spawn(zero_delay_chain(steps)); }
EMSCRIPTEN_KEEPALIVE void probe_cpu(int slices, double slice_ms) { spawn(cpu_job(slices, slice_ms)); }
EMSCRIPTEN_KEEPALIVE void probe_note(int n) { spawn(note("cpp " + std::to_string(n))); }
EMSCRIPTEN_KEEPALIVE void probe_spawn_many(int n) {
  for (int i = 0; i < n; ++i) spawn([]() -> task<void> { co_return; }());
}
EMSCRIPTEN_KEEPALIVE void probe_long_sleep(double ms) { long_sleeper = spawn(long_sleep(ms)); }
EMSCRIPTEN_KEEPALIVE void probe_cancel_long_sleep() {
  long_sleeper.cancel();
  long_sleeper = {};
}
EMSCRIPTEN_KEEPALIVE int probe_live_tasks() { return static_cast<int>(the_web_loop().live_tasks()); }
}

int main() {
  // The JS test drives everything; keep the runtime alive after main returns.
  emscripten_exit_with_live_runtime();
}
