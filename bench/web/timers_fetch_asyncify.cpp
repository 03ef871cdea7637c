// The timers + fetch program written blocking-style on Emscripten's ASYNCIFY
// (-sASYNCIFY): the peer of timers_fetch_wasync.cpp for bench/web/web_bench.mjs.
// Plain Emscripten, no wasync. Usage: <url> <suspensions> <timers> <fetches> <depth>.
// Prints "suspension_ns <x>" (awaits from main), "deep_suspension_ns <x>" (from
// <depth> calls down: ASYNCIFY unwinds and rewinds every frame), "program_ms <y>", "done".
#include <emscripten.h>
#include <emscripten/em_js.h>

#include <cstdio>
#include <cstdlib>

// One suspension on an already-settled Promise: unwind to JS, rewind on the microtask.
EM_ASYNC_JS(int, await_resolved, (), { return await 1; });

// GET `url`, the body read whole; its length.
EM_ASYNC_JS(int, fetch_length, (const char* url), {
  const response = await fetch(UTF8ToString(url));
  return (await response.text()).length;
});

// `n` suspensions `depth` calls down (noinline, and not a tail call, so every frame stays).
__attribute__((noinline)) int nested(int depth, int n) {
  if (depth == 0) {
    int sum = 0;
    for (int i = 0; i < n; ++i) sum += await_resolved();
    return sum;
  }
  return nested(depth - 1, n) + 1;
}

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s <url> <suspensions> <timers> <fetches> <depth>\n", argv[0]);
    return 2;
  }
  const int suspensions = std::atoi(argv[2]), timers = std::atoi(argv[3]), fetches = std::atoi(argv[4]);
  const int depth = std::atoi(argv[5]);

  int sum = nested(0, suspensions);  // warm-up: the JIT tiers up
  double t0 = emscripten_get_now();
  for (int i = 0; i < suspensions; ++i) sum += await_resolved();
  std::printf("suspension_ns %.1f\n", (emscripten_get_now() - t0) * 1e6 / suspensions);
  t0 = emscripten_get_now();
  sum += nested(depth, suspensions);
  std::printf("deep_suspension_ns %.1f\n", (emscripten_get_now() - t0) * 1e6 / suspensions);

  t0 = emscripten_get_now();
  long bytes = 0;
  for (int i = 0; i < timers; ++i) emscripten_sleep(1);
  for (int i = 0; i < fetches; ++i) bytes += fetch_length(argv[1]);
  std::printf("program_ms %.2f\n", emscripten_get_now() - t0);
  std::printf("done %d %ld\n", sum, bytes);
  return 0;
}
