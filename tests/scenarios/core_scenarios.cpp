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

task<std::size_t> deep_unoptimised(std::size_t n);  // deep_chain_unoptimised.cpp, built at -O0

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

template <class T>
std::string as_result_text(const result<T>& r) {
  return r ? "ok" : r.error().describe();
}

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
  auto running_sum = []() -> async_generator<int, int> {
    int total = 0;
    for (;;) {
      auto in = co_yield yield_checked(total);
      if (!in) {
        if (in.error().is(errc::cancelled)) break;  // aclose()
        say("generator handled " + in.error().describe());
        continue;
      }
      total += in->value_or(0);
    }
    co_await sleep(1ms);
    say("generator cleaned up at " + std::to_string(now_ms()));
  };
  auto sum = running_sum();
  (void)co_await sum.next();
  (void)co_await sum.asend(3);
  auto seven = co_await sum.asend(4);
  auto still = co_await sum.athrow(error(errc::user, "bad item"));
  co_await sum.aclose();
  say("asend 3, 4: " + std::to_string(seven.value_or(-1)) + ", after athrow: " + std::to_string(still.value_or(-1)) +
      ", closed at " + std::to_string(now_ms()) + ", next: " + ((co_await sum.next()) ? "item" : "none"));
  auto plain = []() -> async_generator<int> {
    note_on_exit n{"plain generator cleanup"};
    for (int i = 0;; ++i) co_yield i;
  };
  auto p = plain();
  (void)co_await p.next();
  say("athrow into a plain generator: " + as_result_text(co_await as_result(p.athrow(error(errc::user, "thrown in")))));
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

// asyncio's rules where wasync once deviated (README "Semantics").
task<void> timeout_semantics() {
  auto bounded = []() -> task<void> {
    auto scope = timeout(5ms);
    auto r = co_await as_result(sleep(1h));
    say("inside the scope: " + r.error().describe());
    co_await fail(r.error());
  };
  say("leaving the scope: " + as_result_text(co_await as_result(bounded())));
  auto h = spawn(value_after(1h, 1));
  auto r = co_await as_result(wait_for(h, 5ms));
  say("wait_for on a task: " + r.error().describe() + "; the task " +
      (h.cancelled() ? "ended cancelled" : "did NOT end cancelled"));
  bool started = false;
  auto work = [&]() -> task<int> {
    started = true;
    co_return 1;
  };
  auto zero = co_await as_result(wait_for(work(), 0ms));
  say(std::string("wait_for 0: ") + zero.error().describe() + (started ? ", body ran" : ", body never ran"));
  auto forever = timeout(duration::max());
  auto v = co_await wait_for(value_after(1ms, 7), std::chrono::hours::max());
  say("largest timeouts never fire: " + std::to_string(v) + " at " + std::to_string(now_ms()));
}

task<void> past_deadlines() {
  const time_point now = detail::loop().now();
  auto sleeper = [](std::string n, time_point at) -> task<void> {
    co_await sleep_until(at);
    say(n);
  };
  co_await sleep(10ms);
  co_await gather(sleeper("now-1ms", now + 9ms), sleeper("now-2ms", now + 8ms), sleeper("now-1ms again", now + 9ms));
}

task<void> cancellation_edges() {
  task_handle<int>* self = nullptr;
  auto quitter = [&]() -> task<int> {
    co_await yield_now();
    self->cancel("by itself");
    co_return 5;
  };
  auto q = spawn(quitter());
  self = &q;
  say("cancel self, then return: " + as_result_text(co_await as_result(q)));
  task_handle<void>* me = nullptr;
  auto narcissist = [&]() -> task<void> {
    co_await yield_now();
    co_await *me;
  };
  auto n = spawn(narcissist());
  me = &n;
  say("await own handle: " + as_result_text(co_await as_result(n)));
  // Neither of these errors may be reported as never retrieved.
  auto failed = spawn(fail_after(0ms, "seen by cancel()"));
  co_await sleep(1ms);
  say(std::string("cancel() of a failed task: ") + (failed.cancel() ? "true" : "false"));
  auto awaited = spawn(fail_after(1ms, "delivered"));
  auto awaiter = spawn([](task_handle<void>& t) -> task<void> { co_await t; }(awaited));
  say("awaiter of a failure: " + as_result_text(co_await as_result(awaiter)));
}

task<void> task_group_semantics() {
  auto sibling = []() -> task<void> {
    note_on_exit n{"sibling cleanup"};
    co_await sleep(1h);
  };
  auto r1 = co_await as_result(with_task_group([&](task_group& g) -> task<void> {
    note_on_exit n{"body cleanup"};
    g.spawn(sibling());
    g.spawn(fail_after(1ms, "child failed"));
    co_await sleep(1h);
  }));
  say("with_task_group: " + as_result_text(r1));
  auto failing = [](std::string m) -> task<void> { co_await fail(errc::user, std::move(m)); };
  task_group g2;
  g2.spawn(failing("a"));
  g2.spawn(failing("b"));
  say("same-pass failures: " + as_result_text(co_await as_result(g2.join())));
  auto owner = []() -> task<void> {
    task_group g;
    g.spawn([]() -> task<void> {
      (void)co_await as_result(sleep(1h));
      co_await fail(errc::user, "failed in cleanup");
    }());
    co_await g.join();
  };
  auto o = spawn(owner());
  co_await sleep(1ms);
  o.cancel();
  say("joiner cancelled, child fails: " + as_result_text(co_await as_result(o)));
  auto abandoner = []() -> task<void> {
    task_group g;
    g.spawn(fail_after(1ms, "failed before the group went away"), {.name = "abandoned child"});
    co_await sleep(2ms);
    co_await fail(errc::user, "owner gives up");
  };
  say("group left without join: " + as_result_text(co_await as_result(abandoner())));
  auto busy_owner = []() -> task<void> {
    task_group g;
    g.spawn(fail_after(1ms, "child failed"));
    say("owner's own await: " + as_result_text(co_await as_result(sleep(1h))));
    co_await g.join();
  };
  say("owner not in join yet: " + as_result_text(co_await as_result(busy_owner())));
}

task<void> semaphore_fifo() {
  semaphore sem(1);
  std::string order;
  auto worker = [&](std::string tag) -> task<void> {
    for (int round = 1; round <= 2; ++round) {
      co_await sem.acquire();
      order += " " + tag + std::to_string(round);
      co_await sleep(1ms);
      sem.release();
    }
  };
  co_await gather(worker("a"), worker("b"), worker("c"));
  say("semaphore order" + order);
}

task<void> awaiter_cancelled_after_target() {
  // Same pass: the target ends cancelled ("A"), then its awaiter is cancelled
  // ("B") before it runs; with or without exceptions the awaiter sees "B".
  auto target = spawn(value_after(1h, 0));
  auto awaiter = spawn([](task_handle<int>& t) -> task<void> { (void)co_await t; }(target));
  co_await sleep(1ms);
  target.cancel("A");
  co_await yield_now();
  awaiter.cancel("B");
  say("awaiter sees " + as_result_text(co_await as_result(awaiter)));
}

task<void> asyncio_api() {
  std::string order;
  call_soon([&] { order += " callback"; });
  auto t = spawn([](std::string& o) -> task<void> {
    o += " task";
    co_return;
  }(order));
  co_await t;
  say("call_soon in FIFO order with tasks:" + order);
  future<int> f;
  call_later(2ms, [&] { (void)f.set_value(5); });
  const long long t0 = now_ms();
  say("future set by call_later: " + std::to_string(co_await f) + " after " + std::to_string(now_ms() - t0) + " ms");
  std::vector<task_handle<int>> hs;
  hs.push_back(spawn(value_after(3ms, 3)));
  hs.push_back(spawn(value_after(1ms, 1)));
  auto first = co_await wait(std::move(hs), return_when::first_completed);
  say("wait first_completed: " + std::to_string(first.done.size()) + " done, " + std::to_string(first.pending.size()) +
      " pending");
  std::string completed;
  first.pending.push_back(spawn(value_after(1ms, 2)));
  auto g = as_completed(std::move(first.pending));
  while (auto h = co_await g.next()) completed += " " + std::to_string(co_await *h);
  say("as_completed:" + completed);
  auto x = spawn(value_after(1ms, 10));
  auto y = spawn(value_after(2ms, 20));
  auto [vx, vy] = co_await gather(x, std::move(y));
  say("gather of running tasks: " + std::to_string(vx + vy) + ", x still readable: " + std::to_string(x.result().value()));
}

task<void> deep_chain_unoptimised() {
  say("depth without tail calls " + std::to_string(co_await deep_unoptimised(1'000'000)));
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
      {"timeout_semantics", timeout_semantics},
      {"past_deadlines", past_deadlines},
      {"cancellation_edges", cancellation_edges},
      {"task_group_semantics", task_group_semantics},
      {"semaphore_fifo", semaphore_fifo},
      {"awaiter_cancelled_after_target", awaiter_cancelled_after_target},
      {"asyncio_api", asyncio_api},
      {"deep_chain_unoptimised", deep_chain_unoptimised},
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
