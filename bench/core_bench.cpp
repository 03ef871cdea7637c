// Core runtime benchmarks: spawn (a million tasks alive at once, and fan-outs
// of 1,000), ping_pong through queue<T>, bytes per sleeping task. Prints one JSON line per result: {"bench","impl","value","unit"}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "wasync/manual_host.hpp"
#include "wasync/wasync.hpp"

#include <malloc.h>
#if defined(__wasm__)
#include <unistd.h>
#endif

#ifndef WASYNC_BENCH_IMPL
#define WASYNC_BENCH_IMPL "wasync-native"
#endif

using namespace wasync;
using namespace std::chrono_literals;
using bench_clock = std::chrono::steady_clock;

namespace {

void emit(const char* bench, double value, const char* unit) {
  std::printf("{\"bench\":\"%s\",\"impl\":\"%s\",\"value\":%.2f,\"unit\":\"%s\"}\n", bench,
              WASYNC_BENCH_IMPL, value, unit);
  std::fflush(stdout);
}

// Bytes the allocator has handed out. WASI's libc has no mallinfo: there the
// heap's top is used, so this bench runs first, on a fresh heap.
std::size_t heap_in_use() {
#if defined(__EMSCRIPTEN__)
  return static_cast<std::size_t>(mallinfo().uordblks);
#elif defined(__wasm__)
  return reinterpret_cast<std::size_t>(sbrk(0));
#else
  return mallinfo2().uordblks;
#endif
}

template <class F>
double best_of(int runs, F&& once) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) best = std::min(best, once());
  return best;
}

template <class T>
T must(result<T> r) {
  if (!r) {
    std::fprintf(stderr, "bench failed: %s\n", r.error().describe().c_str());
    std::exit(1);
  }
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

task<int> trivial(int i) { co_return i; }

// `n` tasks, `batch` at a time: each batch is spawned, then awaited one by
// one. With n == batch every task is alive at once (a million tasks: mostly
// memory traffic); batches of 1,000 stay in the caches (a fan-out, as
// cppcoro's when_all benchmarks measure).
task<long long> spawn_and_await(int n, int batch) {
  std::vector<task_handle<int>> hs;
  hs.reserve(static_cast<std::size_t>(batch));
  long long sum = 0;
  for (int first = 0; first < n; first += batch) {
    for (int i = first; i < first + batch; ++i) hs.push_back(spawn(trivial(i)));
    for (auto& h : hs) sum += co_await h;
    hs.clear();
  }
  co_return sum;
}

double spawn_ns(driver& h, int n, int batch) {
  const auto t0 = bench_clock::now();
  const long long sum = must(run(spawn_and_await(n, batch), h));
  const auto t1 = bench_clock::now();
  if (sum != static_cast<long long>(n) * (n - 1) / 2) {
    std::fprintf(stderr, "spawn: wrong sum\n");
    std::exit(1);
  }
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
}

task<void> pinger(queue<int>& to, queue<int>& from, int n) {
  for (int i = 0; i < n; ++i) {
    co_await to.put(i);
    if (co_await from.get() != i) std::exit(2);
  }
}
task<void> ponger(queue<int>& from, queue<int>& to, int n) {
  for (int i = 0; i < n; ++i) co_await to.put(co_await from.get());
}
task<void> ping_pong(int n) {
  queue<int> a(1), b(1);
  co_await gather(pinger(a, b, n), ponger(a, b, n));
}

double ping_pong_ns(driver& h, int round_trips) {
  const auto t0 = bench_clock::now();
  must(run(ping_pong(round_trips), h));
  const auto t1 = bench_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / (2.0 * round_trips);
}

task<void> sleeper(int i) { co_await sleep(60s + std::chrono::microseconds(i)); }

task<double> measure_sleepers(int n) {
  const std::size_t before = heap_in_use();
  for (int i = 0; i < n; ++i) spawn(sleeper(i));
  co_await yield_now();  // every sleeper has started and armed its timer
  const std::size_t after = heap_in_use();
  co_return static_cast<double>(after - before) / n;
}

}  // namespace

int main(int argc, char** argv) {
  // Optional arguments pick workloads by name.
  auto wanted = [&](const char* name) {
    if (argc < 2) return true;
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == name) return true;
    return false;
  };
#if !defined(__wasm__)
  // glibc hands freed memory back to the kernel between runs and then faults it
  // in again (spawn: ~115 ns/task of which ~40 are page faults); keep it, as the
  // wasm heap and V8's heap do, so the runs measure the runtime.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 256 << 20);
#endif
  // The loop runs on a manual clock: these workloads never wait for time, and
  // run() cancels the sleepers at the end instead of waiting a minute.
  manual_host h;
  if (wanted("sleepers_bytes_per_task"))
    emit("sleepers_bytes_per_task", must(run(measure_sleepers(100'000), h)), "bytes/task");
  if (wanted("spawn")) {
    spawn_ns(h, 100'000, 100'000);  // warm-up
    emit("spawn", best_of(3, [&] { return spawn_ns(h, 1'000'000, 1'000'000); }), "ns/task");
  }
  if (wanted("spawn_fanout_1000")) {
    spawn_ns(h, 100'000, 1'000);
    emit("spawn_fanout_1000", best_of(3, [&] { return spawn_ns(h, 1'000'000, 1'000); }), "ns/task");
  }
  if (wanted("ping_pong")) {
    ping_pong_ns(h, 100'000);
    emit("ping_pong", best_of(3, [&] { return ping_pong_ns(h, 1'000'000); }), "ns/hop");
  }
  return 0;
}
