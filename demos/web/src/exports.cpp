// JS entry points for the demos (wasync_demos module): arguments arrive as
// js_value table ids, async functions return Promises made by to_js_promise
// (an AbortSignal cancels the task), records become plain objects.
#include <emscripten.h>

#include <cstdint>

#include "demos.hpp"
#include "wasync/js_promise.hpp"
#include "wasync/js_value.hpp"
#include "wasync/web_host.hpp"

using namespace wasync;

namespace {

std::string string_arg(std::int32_t id) { return js_value::adopt(id).as_string().value_or(""); }

// An Error-like object for sync calls (async ones reject their Promise instead).
js_value error_object(const error& e) {
  js_value o = js_value::object();
  (void)o.set("code", js_value::string(to_string(e.code())));
  (void)o.set("message", js_value::string(e.message()));
  return o;
}

template <class T, class F>
js_value array_of(const std::vector<T>& items, F to_object) {
  js_value list = js_value::global("Array").call("of").value();
  for (const T& item : items) {
    const js_value one[] = {to_object(item)};
    (void)list.call("push", one);
  }
  return list;
}

js_value object_of(const demos::request_row& r) {
  js_value o = js_value::object();
  (void)o.set("id", to_js(r.id));
  (void)o.set("state", to_js(r.state));
  (void)o.set("status", to_js(r.status));
  (void)o.set("ms", to_js(r.ms));
  (void)o.set("detail", to_js(r.detail));
  return o;
}

js_value object_of(const demos::chat_line& l) {
  js_value o = js_value::object();
  (void)o.set("seq", to_js(l.seq));
  (void)o.set("kind", to_js(l.kind));
  (void)o.set("text", to_js(l.text));
  return o;
}

js_value object_of(const demos::timeline_event& e) {
  js_value o = js_value::object();
  (void)o.set("task", to_js(e.task));
  (void)o.set("name", to_js(e.name));
  (void)o.set("kind", to_js(e.kind));
  (void)o.set("detail", to_js(e.detail));
  (void)o.set("atMs", to_js(e.at_ms));
  return o;
}

task<js_value> fan_out_object(std::string url, int count, int concurrency, int timeout_ms) {
  const demos::fan_out_summary s = co_await demos::fan_out(std::move(url), count, concurrency, timeout_ms);
  js_value o = js_value::object();
  (void)o.set("ok", to_js(s.ok));
  (void)o.set("failed", to_js(s.failed));
  (void)o.set("timedOut", to_js(s.timed_out));
  (void)o.set("ms", to_js(s.ms));
  co_return o;
}

const auto as_object = [](const auto& item) { return object_of(item); };

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE std::int32_t demo_fan_out(std::int32_t url, int count, int concurrency, int timeout_ms,
                                               std::int32_t signal) {
  return to_js_promise(fan_out_object(string_arg(url), count, concurrency, timeout_ms), js_value::adopt(signal))
      .release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_fan_out_rows() { return array_of(demos::fan_out_rows(), as_object).release(); }

EMSCRIPTEN_KEEPALIVE std::int32_t demo_chat_run(std::int32_t url, int max_attempts, std::int32_t signal) {
  return to_js_promise(demos::chat_run(string_arg(url), max_attempts), js_value::adopt(signal)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_chat_send(std::int32_t text) {
  auto r = demos::chat_send(string_arg(text));
  return r ? 0 : error_object(r.error()).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_chat_lines(int after) {
  return array_of(demos::chat_lines(after), as_object).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_chat_state() { return to_js(demos::chat_state()).release(); }

EMSCRIPTEN_KEEPALIVE std::int32_t demo_timeline_workload(std::int32_t api_base, std::int32_t ws_url) {
  return to_js_promise(demos::timeline_workload(string_arg(api_base), string_arg(ws_url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_timeline_events(int after) {
  return array_of(demos::timeline_events(after), as_object).release();
}

EMSCRIPTEN_KEEPALIVE std::int32_t demo_count_primes_cooperative(int limit) {
  return to_js_promise(demos::count_primes_cooperative(limit)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t demo_count_primes_blocking(int limit) {
  auto r = demos::count_primes_blocking(limit);
  return r ? to_js(*r).release() : error_object(r.error()).release();
}
EMSCRIPTEN_KEEPALIVE double demo_job_progress() { return demos::job_progress(); }
EMSCRIPTEN_KEEPALIVE int demo_live_tasks() { return static_cast<int>(the_web_loop().live_tasks()); }
}

int main() {
  // The pages drive everything; keep the runtime alive after main returns.
  emscripten_exit_with_live_runtime();
}
