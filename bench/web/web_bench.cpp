// Web benchmarks driven by bench/web/web_bench.mjs: each export returns the id
// of a Promise (to_js_promise) of the elapsed milliseconds.
#include <emscripten.h>

#include "wasync/fetch.hpp"
#include "wasync/js_promise.hpp"
#include "wasync/wasync.hpp"
#include "wasync/web_host.hpp"
#include "wasync/websocket.hpp"

using namespace wasync;

namespace {

double ms_since(time_point t0) { return std::chrono::duration<double, std::milli>(detail::loop().now() - t0).count(); }

// Awaits the same already-resolved Promise n times.
task<double> await_resolved(js_value promise, int n) {
  const time_point t0 = detail::loop().now();
  for (int i = 0; i < n; ++i) (void)co_await js_await(promise);
  co_return ms_since(t0);
}

task<std::size_t> fetch_one(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  co_return (co_await r.text()).size();
}

// n concurrent GETs of `url`, bodies read whole.
task<double> fetch_fanout(std::string url, int n) {
  std::vector<task<std::size_t>> all;
  for (int i = 0; i < n; ++i) all.push_back(fetch_one(url));
  const time_point t0 = detail::loop().now();
  (void)co_await gather(std::move(all));
  co_return ms_since(t0);
}

// n round trips of a `size`-byte binary message through an echo server.
task<double> ws_echo(std::string url, int n, int size) {
  websocket ws = co_await websocket::connect(std::move(url));
  const time_point t0 = detail::loop().now();
  for (int i = 0; i < n; ++i) {
    co_await ws.send(std::vector<std::byte>(static_cast<std::size_t>(size)));
    (void)co_await ws.receive();
  }
  const double ms = ms_since(t0);
  co_await ws.close();
  co_return ms;
}

std::string arg_string(std::int32_t id) { return js_value::adopt(id).as_string().value_or(""); }

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE std::int32_t bench_await_resolved(std::int32_t promise, int n) {
  return to_js_promise(await_resolved(js_value::adopt(promise), n)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t bench_fetch_fanout(std::int32_t url, int n) {
  return to_js_promise(fetch_fanout(arg_string(url), n)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t bench_ws_echo(std::int32_t url, int n, int size) {
  return to_js_promise(ws_echo(arg_string(url), n, size)).release();
}
}

int main() { emscripten_exit_with_live_runtime(); }
