// run(main) as a program's entry point, the same source on every host (native,
// Emscripten in Node, WASI preview1 and preview2): main's status becomes the
// exit status, leftovers are cancelled and awaited, a deadlock is an error.
// run_probe.test.mjs runs each mode and checks output and exit status.
#include <cstdio>
#include <string>

#include "wasync/wasync.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

void say(const char* s) {
  std::printf("%s\n", s);
  std::fflush(stdout);
}

struct say_on_exit {
  const char* what;
  ~say_on_exit() { say(what); }
};

task<void> leftover() {
  say_on_exit cleanup{"leftover cleanup"};
  co_await sleep(1h);
}

task<void> leftover_failing_in_cleanup() {
  (void)co_await as_result(sleep(1h));
  co_await fail(errc::user, "failed while shutting down");
}

task<int> returns_three() {
  spawn(leftover(), {.name = "leftover"});
  co_await sleep(5ms);
  say("main done");
  co_return 3;
}

task<void> fails() {
  co_await sleep(1ms);
  co_await fail(errc::user, "broken");
}

task<void> deadlocks() {
  event never;
  co_await never.wait();
}

task<int> leaves_a_failing_task() {
  spawn(leftover_failing_in_cleanup(), {.name = "stubborn"});
  co_await sleep(1ms);
  co_return 0;
}

template <class T>
int report(const result<T>& r) {
  if (r) return 0;
  std::fprintf(stderr, "main task failed: %s\n", r.error().describe().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "value") {
    auto r = run(returns_three());
    return r ? *r : report(r);
  }
  if (mode == "fails") return report(run(fails()));
  if (mode == "deadlock") return report(run(deadlocks()));
  if (mode == "leftover_fails") {
    auto r = run(leaves_a_failing_task());
    return r ? *r : report(r);
  }
  std::fprintf(stderr, "usage: run_probe value|fails|deadlock|leftover_fails\n");
  return 2;
}
