// Standard output on the WASI host.
//   stdout_probe flood N     writes N pattern bytes (in 1 MiB write_all calls) while a
//                            stall meter runs; on stderr: {"bytes":N,"max_gap_us":G,"ticks":T}
//   stdout_probe closed      writes until the reader has gone; on stderr: the error seen
#include <cstdio>
#include <cstdlib>
#include <string>

#include "probe_support.hpp"
#include "wasync/stdio.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

task<int> flood(std::size_t n) {
  const std::string data = pattern(n);
  stall_meter meter;
  auto ticking = spawn(meter.run());
  const std::size_t piece = 1 << 20;
  for (std::size_t at = 0; at < n; at += piece)
    co_await standard_output().write_all(std::string_view(data).substr(at, piece));
  ticking.cancel();
  (void)co_await as_result(ticking);
  std::fprintf(stderr, "{\"bytes\":%zu,\"max_gap_us\":%lld,\"ticks\":%lld}\n", n, meter.max_gap_us, meter.ticks);
  co_return 0;
}

task<int> closed() {
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 1000; ++i) {
    auto r = co_await as_result(standard_output().write_all(chunk));
    if (!r) {
      std::fprintf(stderr, "write failed: %s\n", r.error().describe().c_str());
      co_await sleep(1ms);  // the loop still runs
      std::fprintf(stderr, "still running\n");
      co_return 0;
    }
  }
  std::fprintf(stderr, "no error after 64 MB\n");
  co_return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "flood" && argc > 2) return run_probe(flood(std::strtoul(argv[2], nullptr, 10)));
  if (mode == "closed") return run_probe(closed());
  std::fprintf(stderr, "usage: stdout_probe flood N | closed\n");
  return 2;
}
