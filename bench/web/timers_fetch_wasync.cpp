// The timers + fetch program on wasync: the peer of timers_fetch_asyncify.cpp
// (same work, same output) for bench/web/web_bench.mjs.
// Usage: <url> <suspensions> <timers> <fetches> <depth>.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "wasync/fetch.hpp"
#include "wasync/js_promise.hpp"
#include "wasync/js_value.hpp"
#include "wasync/wasync.hpp"
#include "wasync/web_host.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

double ms_since(time_point t0) { return std::chrono::duration<double, std::milli>(detail::loop().now() - t0).count(); }

// `n` suspensions `depth` coroutines down: a resumption runs only the innermost frame.
task<int> nested(int depth, int n, const js_value& resolved) {
  if (depth == 0) {
    int sum = 0;
    for (int i = 0; i < n; ++i) sum += static_cast<int>((co_await js_await(resolved)).as_number().value_or(0));
    co_return sum;
  }
  co_return co_await nested(depth - 1, n, resolved) + 1;
}

task<int> program(std::string url, int suspensions, int timers, int fetches, int depth) {
  // One suspension on an already-settled Promise, as the ASYNCIFY peer's `await 1`.
  const js_value one[] = {js_value::number(1)};
  const js_value resolved = js_value::global("Promise").call("resolve", one).value_or(js_value());
  int sum = co_await nested(0, suspensions, resolved);  // warm-up: the JIT tiers up
  time_point t0 = detail::loop().now();
  for (int i = 0; i < suspensions; ++i) sum += static_cast<int>((co_await js_await(resolved)).as_number().value_or(0));
  std::printf("suspension_ns %.1f\n", ms_since(t0) * 1e6 / suspensions);
  t0 = detail::loop().now();
  sum += co_await nested(depth, suspensions, resolved);
  std::printf("deep_suspension_ns %.1f\n", ms_since(t0) * 1e6 / suspensions);

  t0 = detail::loop().now();
  long bytes = 0;
  for (int i = 0; i < timers; ++i) co_await sleep(1ms);
  for (int i = 0; i < fetches; ++i) {
    fetch_response r = co_await fetch(url);
    bytes += static_cast<long>((co_await r.text()).size());
  }
  std::printf("program_ms %.2f\n", ms_since(t0));
  std::printf("done %d %ld\n", sum, bytes);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s <url> <suspensions> <timers> <fetches> <depth>\n", argv[0]);
    return 2;
  }
  start(program(argv[1], std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5])));
  return 0;
}
