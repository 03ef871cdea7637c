// Core scenarios, written once against the public API and run on every host
// (native, Emscripten in Node, WASI under node:wasi and wasmtime). Each prints a
// trace; the test runners compare it with core_scenarios.expected.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "wasync/manual_host.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines;
void say(std::string s) { lines.push_back(std::move(s)); }

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             detail::loop().now().time_since_epoch())
      .count();
}

task<int> value_after(duration d, int v) {
  co_await sleep(d);
  co_return v;
}
task<void> fail_after(duration d, std::string msg) {
  co_await sleep(d);
  co_await fail(errc::user, std::move(msg));
}

std::string as_result_text(const result<void>& r) { return r ? "ok" : r.error().describe(); }

struct note_on_exit {
  std::string what;
  ~note_on_exit() { say(what); }
};

task<void> values_and_errors() {
  auto add = [](task<int> t) -> task<int> { co_return co_await std::move(t) + 1; };
  say("value " + std::to_string(co_await add(value_after(1ms, 41))));
  auto r = co_await as_result(add([]() -> task<int> { co_return error(errc::user, "boom"); }()));
  say("error " + r.error().describe());
}

task<void> spawn_order() {
  auto child = [](std::string n) -> task<void> {
    say(n);
    co_return;
  };
  auto a = spawn(child("a"));
  auto b = spawn(child("b"));
  say("creator");
  co_await yield_now();
  say("creator again");
  co_await a;
  co_await b;
}

task<void> timer_order() {
  auto sleeper = [](std::string n, duration d) -> task<void> {
    co_await sleep(d);
    say(n + " at " + std::to_string(now_ms()));
  };
  co_await gather(sleeper("30a", 30ms), sleeper("10", 10ms), sleeper("30b", 30ms), sleeper("20", 20ms));
}

task<void> cancel_during_sleep() {
  auto sleeper = []() -> task<void> {
    note_on_exit n{"sleeper cleanup"};
    co_await sleep(1h);
    say("never");
  };
  auto h = spawn(sleeper());
  co_await sleep(5ms);
  h.cancel("stop");
  auto r = co_await as_result(h);
  say("awaiter sees " + r.error().describe() + " at " + std::to_string(now_ms()));
}

task<void> cancel_during_queue_get() {
  queue<int> q;
  auto getter = [&]() -> task<void> {
    int v = co_await q.get();
    say("got " + std::to_string(v));
  };
  auto first = spawn(getter());
  auto second = spawn(getter());
  co_await yield_now();
  first.cancel();
  (void)q.try_put(7);
  say("first " + as_result_text(co_await as_result(first)));
  co_await second;
  say("queue size " + std::to_string(q.size()));
}

task<void> cancel_during_lock_acquire() {
  lock l;
  auto holder = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await sleep(10ms);
  };
  auto waiter = [&](std::string n) -> task<void> {
    auto g = co_await l.scoped();
    say(n + " has the lock at " + std::to_string(now_ms()));
  };
  auto h = spawn(holder());
  co_await yield_now();
  auto w1 = spawn(waiter("w1"));
  auto w2 = spawn(waiter("w2"));
  co_await sleep(1ms);
  w1.cancel();
  co_await h;
  co_await w2;
  say("w1 " + as_result_text(co_await as_result(w1)) + ", locked " + (l.locked() ? "yes" : "no"));
}

task<void> cancel_during_gather() {
  auto child = [](std::string n) -> task<int> {
    note_on_exit e{n + " cleanup"};
    co_await sleep(1h);
    co_return 0;
  };
  auto gatherer = [&]() -> task<void> {
    auto r = co_await as_result(gather(child("c1"), child("c2")));
    say("gather " + r.error().describe());
  };
  auto h = spawn(gatherer());
  co_await sleep(1ms);
  h.cancel();
  co_await h;
}

task<void> timeout_race() {
  auto r1 = co_await as_result(wait_for(value_after(5ms, 1), 10ms));
  say("in time: " + std::to_string(r1.value_or(-1)));
  auto r2 = co_await as_result(wait_for(value_after(1h, 2), 10ms));
  say("too slow: " + r2.error().describe() + " at " + std::to_string(now_ms()));
  queue<int> q;
  auto producer = [&]() -> task<void> {
    co_await sleep(10ms);
    co_await q.put(3);
  };
  auto p = spawn(producer());
  auto r3 = co_await as_result(wait_for(q.get(), 10ms));
  co_await p;
  say("same tick: " + (r3 ? std::to_string(*r3) : r3.error().describe()) + ", left " +
      std::to_string(q.size()));
}

task<void> task_group_two_failures() {
  auto second = []() -> task<void> {
    auto r = co_await as_result(sleep(1h));
    say("second sees " + r.error().describe());
    co_await fail(errc::user, "two");
  };
  task_group g;
  g.spawn(fail_after(5ms, "one"));
  g.spawn(second());
  auto r = co_await as_result(g.join());
  std::string s = "group " + r.error().describe() + " [";
  for (const auto& e : r.error().nested()) s += e.message() + ";";
  say(s + "]");
}

task<void> unretrieved_error() {
  spawn(fail_after(1ms, "nobody looked"), {.name = "orphan"});
  co_await sleep(5ms);
}

task<void> many_sleepers() {
  constexpr int n = 100'000;
  std::vector<int> delays(n);
  std::mt19937 rng(7);
  for (auto& d : delays) d = static_cast<int>(rng() % 1000);
  std::vector<int> woke;
  woke.reserve(n);
  std::vector<task<void>> ts;
  for (int i = 0; i < n; ++i)
    ts.push_back([](int i, int d, std::vector<int>& woke) -> task<void> {
      co_await sleep(std::chrono::milliseconds(d));
      woke.push_back(i);
    }(i, delays[i], woke));
  co_await gather(std::move(ts));
  bool ordered = woke.size() == static_cast<std::size_t>(n);
  for (std::size_t k = 1; ordered && k < woke.size(); ++k) {
    const int a = woke[k - 1], b = woke[k];
    ordered = delays[a] < delays[b] || (delays[a] == delays[b] && a < b);
  }
  say(std::to_string(woke.size()) + " sleepers woke " + (ordered ? "in deadline order" : "OUT OF ORDER"));
}

task<std::size_t> deep(std::size_t n) {
  if (n == 0) co_return 0;
  co_return co_await deep(n - 1) + 1;
}

task<void> deep_chain() { say("depth " + std::to_string(co_await deep(1'000'000))); }

task<void> generator_stream() {
  auto numbers = [](int n) -> async_generator<int> {
    for (int i = 0; i < n; ++i) {
      co_await sleep(1ms);
      co_yield i * i;
    }
  };
  auto g = numbers(4);
  std::string s;
  while (auto v = co_await g.next()) s += std::to_string(*v) + " ";
  say("squares " + s + "at " + std::to_string(now_ms()));
}

task<void> sync_primitives() {
  semaphore sem(2);
  int inside = 0, most = 0;
  auto worker = [&]() -> task<void> {
    auto g = co_await sem.scoped();
    most = std::max(most, ++inside);
    co_await sleep(1ms);
    --inside;
  };
  co_await gather(worker(), worker(), worker(), worker(), worker());
  say("semaphore(2) peak " + std::to_string(most) + " at " + std::to_string(now_ms()));
  lock l;
  condition cv(l);
  bool ready = false;
  event done;
  auto consumer = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await cv.wait([&] { return ready; });
    say("condition satisfied at " + std::to_string(now_ms()));
    done.set();
  };
  auto c = spawn(consumer());
  co_await sleep(3ms);
  {
    auto g = co_await l.scoped();
    ready = true;
    cv.notify_all();
  }
  co_await done.wait();
  co_await c;
}

struct scenario {
  const char* name;
  task<void> (*body)();
};

}  // namespace

int main(int argc, char** argv) {
  const scenario all[] = {
      {"values_and_errors", values_and_errors},
      {"spawn_order", spawn_order},
      {"timer_order", timer_order},
      {"cancel_during_sleep", cancel_during_sleep},
      {"cancel_during_queue_get", cancel_during_queue_get},
      {"cancel_during_lock_acquire", cancel_during_lock_acquire},
      {"cancel_during_gather", cancel_during_gather},
      {"timeout_race", timeout_race},
      {"task_group_two_failures", task_group_two_failures},
      {"unretrieved_error", unretrieved_error},
      {"many_sleepers", many_sleepers},
      {"deep_chain", deep_chain},
      {"generator_stream", generator_stream},
      {"sync_primitives", sync_primitives},
  };
  int failures = 0;
  for (const scenario& s : all) {
    // Optional arguments pick scenarios by name.
    bool picked = argc < 2;
    for (int i = 1; i < argc; ++i) picked = picked || std::string(argv[i]) == s.name;
    if (!picked) continue;
    manual_host host;
    lines.clear();
    auto wrapped = [&]() -> task<void> {
      detail::loop().set_error_handler([](const error& e, const task_info& info) {
        say(std::string("unretrieved in '") + info.name + "': " + e.describe());
      });
      co_await s.body();
    };
    auto r = run(wrapped(), host);
    if (!r) say("FAILED: " + r.error().describe());
    if (detail::live_frames != 0 || detail::live_contexts != 0) {
      say("LEAK: " + std::to_string(detail::live_frames) + " frames, " +
          std::to_string(detail::live_contexts) + " tasks");
      ++failures;
    }
    std::printf("== %s\n", s.name);
    for (const auto& l : lines) std::printf("%s\n", l.c_str());
  }
  return failures == 0 ? 0 : 1;
}
