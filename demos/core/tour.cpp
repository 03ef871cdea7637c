// A tour of wasync's core: concurrent tasks, timers, timeouts, cancellation,
// a task group and a queue. `npm start` builds and runs it.
#include <cstdio>
#include <string>

#include "wasync/wasync.hpp"

#if defined(__EMSCRIPTEN__)
#include "wasync/web_host.hpp"
#endif

using namespace wasync;
using namespace std::chrono_literals;

namespace {

time_point started;
void say(const std::string& what) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(detail::loop().now() - started);
  std::printf("[%5lld ms] %s\n", static_cast<long long>(ms.count()), what.c_str());
}

task<std::string> fetch_like(std::string name, duration latency) {
  co_await sleep(latency);
  co_return name + " ready";
}

task<void> producer(queue<int>& q) {
  for (int i = 1; i <= 3; ++i) {
    co_await q.put(i);
    co_await sleep(20ms);
  }
  q.close();
}

task<void> consumer(queue<int>& q) {
  for (;;) {
    auto item = co_await as_result(q.get());
    if (!item) break;  // closed and drained
    say("consumed item " + std::to_string(*item));
  }
}

task<int> tour() {
  started = detail::loop().now();
  say("gather: three concurrent jobs");
  auto [a, b, c] = co_await gather(fetch_like("a", 30ms), fetch_like("b", 10ms), fetch_like("c", 20ms));
  say(a + ", " + b + ", " + c);

  say("wait_for: a job slower than its timeout");
  auto slow = co_await as_result(wait_for(fetch_like("slow", 1s), 50ms));
  say("slow job: " + slow.error().describe());

  say("cancel: stop a spawned task");
  auto sleeper = spawn(fetch_like("sleeper", 1h));
  co_await sleep(5ms);
  sleeper.cancel("not needed");
  say("sleeper: " + (co_await as_result(sleeper)).error().describe());

  say("task_group: producer and consumer over a bounded queue");
  queue<int> q(1);
  task_group g;
  g.spawn(producer(q));
  g.spawn(consumer(q));
  co_await g.join();
  say("done");
  co_return 0;
}

}  // namespace

int main() {
  // The same on every host; on the web run() does not return, the program
  // exits with the tour's status when it finishes.
  auto r = run(tour());
  if (!r) {
    std::fprintf(stderr, "tour failed: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
