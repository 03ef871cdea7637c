// Timers on the WASI host, measured against clock_time_get (steady_clock).
//   timers_probe lateness   one sleep at a time, fractional-ms durations
//   timers_probe order      many concurrent sleepers with tied deadlines
// Prints one JSON object on stdout.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "probe_support.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

/// {"samples":N,"max_late_us":..,"p90_late_us":..,"median_late_us":..,"min_late_us":..} over `late`.
std::string summary(std::vector<long long> late) {
  std::sort(late.begin(), late.end());
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "\"samples\":%zu,\"max_late_us\":%lld,\"p90_late_us\":%lld,\"median_late_us\":%lld,\"min_late_us\":%lld",
                late.size(), late.back(), late[late.size() * 9 / 10], late[late.size() / 2], late.front());
  return buf;
}

task<int> lateness() {
  std::vector<long long> late;
  for (int i = 0; i < 100; ++i) {
    const auto d = std::chrono::microseconds(500 + (i % 10) * 1000 + (i * 137) % 1000);
    const auto t0 = steady::now();
    co_await sleep(d);
    late.push_back(micros(steady::now() - t0) - d.count());
  }
  std::printf("{%s}\n", summary(std::move(late)).c_str());
  co_return 0;
}

task<int> order() {
  const int count = 300;
  std::vector<int> fired;
  std::vector<long long> late;
  auto sleeper = [&](int i, std::chrono::milliseconds d) -> task<void> {
    const auto t0 = steady::now();
    co_await sleep(d);
    late.push_back(micros(steady::now() - t0) - micros(d));
    fired.push_back(i);
  };
  auto delay = [](int i) { return std::chrono::milliseconds((i * 37) % 41 + 1); };
  std::vector<task<void>> sleepers;
  for (int i = 0; i < count; ++i) sleepers.push_back(sleeper(i, delay(i)));
  co_await gather(std::move(sleepers));
  // Expected: by deadline, ties in the order the timers were set.
  std::vector<int> expected(count);
  for (int i = 0; i < count; ++i) expected[i] = i;
  std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) { return delay(a) < delay(b); });
  std::printf("{\"in_order\":%s,%s}\n", fired == expected ? "true" : "false", summary(std::move(late)).c_str());
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "lateness") return run_probe(lateness());
  if (mode == "order") return run_probe(order());
  std::fprintf(stderr, "usage: timers_probe lateness|order\n");
  return 2;
}
