// Workloads for the web I/O tests (js_interop.test.mjs, fetch.test.mjs,
// websocket.test.mjs): each exported probe takes table ids from JS and returns
// the id of a Promise made with to_js_promise, so the tests await C++ tasks.
#include <emscripten.h>

#include <string>

#include "wasync/js_promise.hpp"
#include "wasync/js_value.hpp"
#include "wasync/wasync.hpp"
#include "wasync/web_host.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

std::string arg_string(std::int32_t id) { return js_value::adopt(id).as_string().value_or(""); }

std::string describe(const error& e) { return std::string(to_string(e.code())) + ": " + e.message(); }

// ---- JS interop ----

task<std::string> await_text(js_value promise) {
  auto r = co_await as_result(js_await(std::move(promise)));
  if (!r) co_return "error " + describe(r.error());
  if (auto s = r->as_string()) co_return "string " + *s;
  if (auto d = r->as_number()) co_return "number " + std::to_string(static_cast<long long>(*d));
  if (auto b = r->as_bytes()) co_return "bytes " + std::to_string(b->size());
  co_return "other";
}

// The propagating form: a rejection unwinds this task (no exceptions needed).
task<js_value> await_propagating(js_value promise) { co_return co_await js_await(std::move(promise)); }

task<js_value> promised(int kind) {
  switch (kind) {
    case 0: co_return js_value::string("hello");
    case 1: co_return js_value::number(42);
    case 2: {
      const std::byte b[] = {std::byte{1}, std::byte{2}, std::byte{3}};
      co_return js_value::bytes(b);
    }
    case 3: co_await fail(errc::timeout, "too slow");
    default: co_await sleep(1h);  // until its AbortSignal cancels it
  }
  co_return js_value();
}

js_value inspect(const js_value& v) {
  js_value o = js_value::object();
  (void)o.set("type", js_value::number(static_cast<double>(v.type())));
  if (auto s = v.as_string()) (void)o.set("string", js_value::string(*s + "!"));
  if (auto d = v.as_number()) (void)o.set("number", js_value::number(*d * 2));
  if (auto b = v.as_boolean()) (void)o.set("boolean", js_value::boolean(!*b));
  if (auto b = v.as_bytes()) {
    for (auto& x : *b) x = static_cast<std::byte>(static_cast<unsigned>(x) + 1);
    (void)o.set("bytes", js_value::bytes(*b));
  }
  return o;
}

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE std::int32_t probe_await_text(std::int32_t promise) {
  return to_js_promise(await_text(js_value::adopt(promise))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_await_propagating(std::int32_t promise) {
  return to_js_promise(await_propagating(js_value::adopt(promise))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_promised(int kind, std::int32_t signal) {
  return to_js_promise(promised(kind), js_value::adopt(signal)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_inspect(std::int32_t value) { return inspect(js_value::adopt(value)).release(); }
EMSCRIPTEN_KEEPALIVE std::int32_t probe_call(std::int32_t target, std::int32_t method) {
  const js_value t = js_value::adopt(target);
  const js_value args[] = {js_value::number(20), js_value::string("x")};
  auto r = t.call(arg_string(method), args);
  return r ? r->release() : js_value::string("error " + describe(r.error())).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_global(std::int32_t name) {
  return js_value::global(arg_string(name)).release();
}
EMSCRIPTEN_KEEPALIVE int probe_live_tasks() { return static_cast<int>(the_web_loop().live_tasks()); }
}

int main() {
  // The JS tests drive everything; keep the runtime alive after main returns.
  emscripten_exit_with_live_runtime();
}
