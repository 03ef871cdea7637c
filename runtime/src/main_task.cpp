// main, then asyncio.run's ending, as a task (detail/main_task.hpp).
#include "wasync/detail/main_task.hpp"

#include <cstdio>
#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/spawn.hpp"

namespace wasync::detail {

namespace {

// asyncio.run's ending: every task main left behind is cancelled and awaited.
task<void> cancel_leftovers() {
  event_loop& l = loop();
  l.begin_shutdown();
  for (int round = 0; round < 100 && l.live_tasks() > 1; ++round) {
    auto others = l.other_live_tasks(l.running());
    for (task_context* t : others) t->cancel(error(errc::cancelled, "event loop shutting down"));
    for (task_context* t : others) {
      co_await finished_awaiter(*t);
      t->release();  // a failure during the shutdown is reported here, never lost
    }
  }
}

}  // namespace

task<int> main_task(task<int> main, task_context*& running) {
  auto h = spawn(std::move(main), {.name = "main"});
  running = h.context();
  auto r = co_await as_result(h);
  running = nullptr;
  co_await cancel_leftovers();
  // fputs, not fprintf: a program that formats nothing links no printf (several KB of wasm).
  if (!r) std::fputs(("wasync: main task failed: " + r.error().describe() + "\n").c_str(), stderr);
  co_return r ? *r : 1;
}

}  // namespace wasync::detail
