// Demo 3, task timeline: a mixed workload runs while the loop's task observer
// (event_loop::set_task_observer) records every spawn, step, wait and finish.
// The page draws one lane per task from these events.
#include <chrono>
#include <unordered_map>

#include "demos.hpp"
#include "wasync/fetch.hpp"
#include "wasync/wasync.hpp"
#include "wasync/websocket.hpp"

namespace demos {
namespace {

using namespace wasync;
using namespace std::chrono_literals;

std::vector<timeline_event> recorded;
bool running = false;

// Observer: gives each task a small id and stamps events relative to `t0`.
struct recorder {
  time_point t0;
  std::unordered_map<const void*, int> ids;
  int next_id = 0;

  void operator()(const task_event& e) {
    static const char* const kinds[] = {"spawned", "resumed", "waiting", "finished"};
    if (e.kind == task_event_kind::spawned) ids[e.task] = ++next_id;
    const auto id = ids.find(e.task);
    if (id == ids.end()) return;  // began before the recording
    std::string detail;
    if (e.waiting_on) detail = e.waiting_on;
    if (e.outcome) detail = e.outcome->ok() ? "ok" : std::string(to_string(e.outcome->code())) + ": " + e.outcome->message();
    const double at = std::chrono::duration<double, std::milli>(event_loop::current()->now() - t0).count();
    recorded.push_back({id->second, e.name, kinds[static_cast<int>(e.kind)], std::move(detail), at});
    if (e.kind == task_event_kind::finished) ids.erase(id);
  }
};

// CPU work in slices of a few milliseconds with pauses between them: while a
// slice runs, nothing else on the loop does (the other lanes wait longer).
task<void> crunch(int slices) {
  volatile double x = 0;
  for (int s = 0; s < slices; ++s) {
    for (int i = 0; i < 2'000'000; ++i) x = x + i * 0.5;
    co_await sleep(50ms);
  }
}

task<void> ticker() {
  for (int i = 0; i < 6; ++i) co_await sleep(120ms);
}

task<void> get_ok(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  co_await r.text();
  if (!r.ok()) co_await fail(errc::user, "HTTP " + std::to_string(r.status()));
}

task<void> echo_three(std::string url) {
  websocket ws = co_await websocket::connect(std::move(url));
  for (int i = 0; i < 3; ++i) {
    co_await ws.send("ping " + std::to_string(i));
    co_await ws.receive();
    co_await sleep(60ms);
  }
  co_await ws.close();
}

task<void> stubborn_sleeper() { co_await sleep(10s); }

}  // namespace

task<std::string> timeline_workload(std::string api_base, std::string ws_url) {
  if (running) co_await fail(errc::invalid_state, "the workload is already running");
  running = true;
  recorded.clear();
  event_loop& loop = *event_loop::current();
  loop.set_task_observer(recorder{.t0 = loop.now()});
  struct stop_guard {
    event_loop& loop;
    ~stop_guard() {
      loop.set_task_observer({});
      running = false;
    }
  } guard{loop};

  // Item 3 is slow (3 s) and item 7 answers 500 (see demos/web/server.mjs).
  auto tick = spawn(ticker(), {.name = "ticker (timers)"});
  auto work = spawn(crunch(6), {.name = "crunch (CPU slices)"});
  auto ok = spawn(get_ok(api_base + "/api/items/1"), {.name = "fetch item 1"});
  auto http_500 = spawn(get_ok(api_base + "/api/items/7"), {.name = "fetch item 7 (500)"});
  auto slow = spawn(wait_for(get_ok(api_base + "/api/items/3"), 500ms), {.name = "fetch item 3 (timeout)"});
  auto socket = spawn(echo_three(std::move(ws_url)), {.name = "websocket echo"});
  auto doomed = spawn(stubborn_sleeper(), {.name = "sleeper (cancelled)"});

  co_await sleep(400ms);
  doomed.cancel("no longer needed");
  int failed = 0;
  // Each outcome is retrieved here; failures are part of the show.
  for (auto* h : {&tick, &work, &ok, &http_500, &slow, &socket, &doomed})
    if (!co_await as_result(*h)) ++failed;
  co_return std::to_string(recorded.size()) + " events, " + std::to_string(failed) + " of 7 tasks failed or cancelled";
}

std::vector<timeline_event> timeline_events(int after) {
  const auto from = static_cast<std::size_t>(std::max(after, 0));
  if (from >= recorded.size()) return {};
  return {recorded.begin() + static_cast<std::ptrdiff_t>(from), recorded.end()};
}

}  // namespace demos
