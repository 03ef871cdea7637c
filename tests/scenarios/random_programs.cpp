// Random task programs: actors that sleep, spawn, await, cancel and drop each
// other's tasks, fail, time out, shield, gather and group, on the manual
// clock. Each seed prints one deterministic trace. The test runs the same
// seeds in both exception modes and under ASan+UBSan: the traces must be
// equal (one semantics whatever carries the errors) and nothing may leak.
//
//   random_programs FIRST_SEED COUNT
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "wasync/manual_host.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

/// xorshift32: the same numbers from every standard library.
struct rng {
  std::uint32_t s;
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint32_t>(n)); }
};

enum class op : std::uint8_t {
  sleep, yield, spawn, await_result, await_plain, cancel, drop, fail, wait_for, shield, gather,
  timeout_scope, group, cancel_self, swallow_sleep, count
};
struct step {
  op what;
  int slot;   ///< a task slot (spawn, await, cancel, drop, ...)
  int other;  ///< a second slot (gather), or a duration in ms
  std::vector<step> child;   ///< what a spawned task does
  std::vector<step> child2;  ///< group: the second child
};

constexpr int slots = 5;
constexpr int max_depth = 3;

std::vector<step> make_program(rng& r, int depth) {
  std::vector<step> steps(static_cast<std::size_t>(1 + r.below(6)));
  for (step& s : steps) {
    s.what = static_cast<op>(r.below(static_cast<int>(op::count)));
    if ((s.what == op::spawn || s.what == op::group) && depth >= max_depth) s.what = op::sleep;
    s.slot = r.below(slots);
    s.other = r.below(4);
    if (s.what == op::gather && s.other == s.slot) s.other = (s.slot + 1) % slots;
    if (s.what == op::spawn || s.what == op::group) s.child = make_program(r, depth + 1);
    if (s.what == op::group) s.child2 = make_program(r, depth + 1);
  }
  return steps;
}

struct world {
  std::array<task_handle<int>, slots> handles;
  std::vector<std::string> trace;
  int next_id = 1;
};

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(detail::loop().now().time_since_epoch()).count();
}

template <class T>
std::string text(const result<T>& r) {
  if (!r) return r.error().describe();
  if constexpr (std::is_void_v<T>) return "ok";
  else return "ok " + std::to_string(*r);
}
std::string text(const result<std::tuple<int, int>>& r) {
  if (!r) return r.error().describe();
  return "ok " + std::to_string(std::get<0>(*r)) + "+" + std::to_string(std::get<1>(*r));
}

task<int> actor(world& w, int id, const std::vector<step>& steps);

void note(world& w, int id, const std::string& s) {
  w.trace.push_back(std::to_string(now_ms()) + "ms t" + std::to_string(id) + " " + s);
}

task<int> actor(world& w, int id, const std::vector<step>& steps) {
  note(w, id, "starts");
  int n = 0;
  for (const step& s : steps) {
    ++n;
    task_handle<int>& h = w.handles[static_cast<std::size_t>(s.slot)];
    const std::string at = "s" + std::to_string(s.slot);
    switch (s.what) {
      case op::sleep:
        co_await sleep(std::chrono::milliseconds(s.other));
        break;
      case op::yield:
        co_await yield_now();
        break;
      case op::spawn: {
        const int child = w.next_id++;
        note(w, id, "spawns t" + std::to_string(child) + " into " + at);
        h = spawn(actor(w, child, s.child));
        break;
      }
      case op::await_result:
        if (!h.valid()) break;
        note(w, id, "awaits " + at + ": " + text(co_await as_result(h)));
        break;
      case op::await_plain:
        if (!h.valid()) break;
        note(w, id, "awaited " + at + ": " + std::to_string(co_await h));
        break;
      case op::cancel:
        if (!h.valid()) break;
        note(w, id, "cancels " + at + ": " + (h.cancel("by t" + std::to_string(id)) ? "yes" : "no"));
        break;
      case op::drop:
        if (h.valid()) note(w, id, "drops " + at);
        h = {};
        break;
      case op::fail:
        note(w, id, "fails");
        co_await fail(errc::user, "t" + std::to_string(id) + " failed");
        break;
      case op::wait_for:
        if (!h.valid()) break;
        note(w, id, "wait_for " + at + ": " + text(co_await as_result(wait_for(h, std::chrono::milliseconds(s.other)))));
        break;
      case op::shield:
        if (!h.valid()) break;
        note(w, id, "shield " + at + ": " + text(co_await as_result(shield(h))));
        break;
      case op::gather: {
        task_handle<int>& g = w.handles[static_cast<std::size_t>(s.other)];
        if (!h.valid() || !g.valid()) break;
        note(w, id, "gather " + at + " s" + std::to_string(s.other) + ": " + text(co_await as_result(gather(h, g))));
        break;
      }
      case op::timeout_scope: {
        auto scoped = [](int ms) -> task<void> {
          auto t = timeout(std::chrono::milliseconds(ms));
          co_await sleep(2ms);
        };
        note(w, id, "timeout(" + std::to_string(s.other) + "ms): " + text(co_await as_result(scoped(s.other))));
        break;
      }
      case op::group: {
        const int a = w.next_id++;
        const int b = w.next_id++;
        note(w, id, "groups t" + std::to_string(a) + " t" + std::to_string(b));
        auto grouped = [&w, &s, a, b]() -> task<void> {
          task_group g;
          g.spawn(actor(w, a, s.child));
          g.spawn(actor(w, b, s.child2));
          co_await g.join();
        };
        note(w, id, "group: " + text(co_await as_result(grouped())));
        break;
      }
      case op::cancel_self:
        note(w, id, "cancels itself");
        current_task().cancel("self t" + std::to_string(id));
        break;
      case op::swallow_sleep:
        note(w, id, "sleep as result: " + text(co_await as_result(sleep(1ms))));
        break;
      case op::count:
        break;
    }
  }
  note(w, id, "returns");
  co_return id * 100 + n;
}

std::string run_seed(std::uint32_t seed) {
  rng r{seed * 2654435761u + 1};
  std::vector<std::vector<step>> programs;
  for (int i = 0; i < 3; ++i) programs.push_back(make_program(r, 0));
  world w;
  manual_host host;
  const std::size_t frames_before = detail::live_frames, tasks_before = detail::live_contexts;
  auto main_task = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info& info) {
      w.trace.push_back("report (" + std::to_string(static_cast<int>(info.kind)) + ") '" + info.name +
                        "': " + e.describe());
    });
    if (std::getenv("OBSERVE"))
      detail::loop().set_task_observer([](const task_event& e) {
        std::cerr << now_ms() << "ms " << e.task << " " << e.name << " " << static_cast<int>(e.kind) << " "
                  << (e.waiting_on ? e.waiting_on : "") << (e.outcome ? e.outcome->describe() : "") << "\n";
      });
    for (int i = 0; i < 3; ++i) w.handles[static_cast<std::size_t>(i)] = spawn(actor(w, w.next_id++, programs[i]));
    for (int i = 0; i < 3; ++i) {
      task_handle<int>& h = w.handles[static_cast<std::size_t>(i)];
      if (h.valid()) note(w, 0, "main awaits s" + std::to_string(i) + ": " + text(co_await as_result(h)));
    }
    for (auto& h : w.handles) h = {};
    if (std::getenv("DUMP")) detail::loop().dump_tasks(std::cerr);
  };
  auto r2 = run(main_task(), host);
  w.trace.push_back(std::string("run: ") + (r2 ? "ok" : r2.error().describe()));
  for (auto& h : w.handles) h = {};  // tasks spawned while run() shut down stored theirs
  const std::size_t frames = detail::live_frames - frames_before, tasks = detail::live_contexts - tasks_before;
  // Tasks that wait on each other (a cycle of awaits) can never finish: run()
  // reports each, and they stay. Anything else left alive is a leak.
  const bool stuck = std::any_of(w.trace.begin(), w.trace.end(),
                                 [](const std::string& l) { return l.find("never finished") != std::string::npos; });
  if (frames != 0 || tasks != 0)
    w.trace.push_back(std::string(stuck ? "stuck: " : "LEAK: ") + std::to_string(frames) + " frames, " +
                      std::to_string(tasks) + " tasks");
  std::string out;
  for (const auto& l : w.trace) out += l + "\n";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint32_t first = argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 1;
  const std::uint32_t count = argc > 2 ? static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10)) : 100;
  int leaks = 0;
  for (std::uint32_t seed = first; seed < first + count; ++seed) {
    const std::string trace = run_seed(seed);
    if (trace.find("LEAK:") != std::string::npos) ++leaks;
    std::printf("== seed %u\n%s", seed, trace.c_str());
  }
  return leaks == 0 ? 0 : 1;
}
