// Shared bits of the WASI probe programs: running a probe, a loop-stall meter,
// and JSON-ish output the node tests parse.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "wasync/wasync.hpp"
// The probes build for every WASI host (tests/wasi/CMakeLists.txt).
#if WASYNC_PROBE_WASIP2
#include "wasync/wasip2_host.hpp"
#elif WASYNC_PROBE_WASIP3
#include "wasync/wasip3_host.hpp"
#else
#include "wasync/wasi_host.hpp"
#endif

namespace probe {

using namespace wasync;
using steady = std::chrono::steady_clock;

#if WASYNC_PROBE_WASIP2
using probe_host = wasip2_host;
#elif WASYNC_PROBE_WASIP3
using probe_host = wasip3_host;
#else
using probe_host = wasi_host;
#endif
/// The reactor's host, for its watch counts.
inline probe_host& reactor() { return static_cast<probe_host&>(default_host()); }

/// Microseconds between two steady_clock readings (clock_time_get, not the host's now()).
inline long long micros(steady::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

/// `s` as a JSON string literal.
inline std::string json(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

/// FNV-1a, to compare large payloads without printing them.
inline std::uint32_t fnv1a(std::string_view s, std::uint32_t h = 2166136261u) {
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

/// Bytes 0..n-1 of a fixed pattern (the node tests build the same one).
inline std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return s;
}

/// Ticks every millisecond until cancelled and records the longest gap: how long
/// the loop was held by something else.
struct stall_meter {
  long long max_gap_us = 0;
  long long ticks = 0;
  task<void> run() {
    auto last = steady::now();
    for (;;) {
      co_await sleep(std::chrono::milliseconds(1));
      const auto t = steady::now();
      max_gap_us = std::max(max_gap_us, micros(t - last));
      last = t;
      ++ticks;
    }
  }
};

/// One line of the probe's report on stdout, flushed at once: the test reads it live.
inline void say(std::string_view line) {
  std::printf("%.*s\n", static_cast<int>(line.size()), line.data());
  std::fflush(stdout);
}

/// Runs a probe's main task; an error ends the program with status 1.
inline int run_probe(task<int> main) {
  auto r = run(std::move(main));
  if (!r) {
    std::fprintf(stderr, "probe failed: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}

}  // namespace probe
