// Standard input on the WASI host.
//   stdin_probe lines      read_line until EOF; prints each line as JSON, then "eof"
//   stdin_probe some       read_some until EOF; prints {"bytes":N,"fnv":H,"reads":R}
//   stdin_probe to_end     read_to_end; prints {"bytes":N,"fnv":H}
//   stdin_probe cancel     a read_line cancelled by a 100 ms timeout, then the lines
// A stall meter runs alongside; its longest gap is printed as {"max_gap_us":G}.
#include <cstdio>
#include <string>

#include "probe_support.hpp"
#include "wasync/stdio.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

task<void> print_lines() {
  while (auto line = co_await standard_input().read_line()) say("line " + json(*line));
  say("eof");
}

task<void> count_some() {
  std::string buf(10000, '\0');
  std::uint32_t h = fnv1a({});
  std::size_t total = 0, reads = 0;
  for (;;) {
    const std::size_t n = co_await standard_input().read_some(std::as_writable_bytes(std::span(buf)));
    if (n == 0) break;
    h = fnv1a(std::string_view(buf).substr(0, n), h);
    total += n;
    ++reads;
  }
  say("{\"bytes\":" + std::to_string(total) + ",\"fnv\":" + std::to_string(h) +
      ",\"reads\":" + std::to_string(reads) + "}");
}

task<void> to_end() {
  const std::string all = co_await standard_input().read_to_end();
  say("{\"bytes\":" + std::to_string(all.size()) + ",\"fnv\":" + std::to_string(fnv1a(all)) + "}");
}

task<void> cancel_then_read() {
  auto r = co_await as_result(wait_for(standard_input().read_line(), 100ms));
  say("first read: " + (r ? std::string("a line") : r.error().describe()) + ", watchers " +
      std::to_string(reactor().watched()));
  co_await print_lines();
}

task<int> probe_main(std::string mode) {
  stall_meter meter;
  auto ticking = spawn(meter.run());
  if (mode == "lines") co_await print_lines();
  else if (mode == "some") co_await count_some();
  else if (mode == "to_end") co_await to_end();
  else if (mode == "cancel") co_await cancel_then_read();
  else co_return 2;
  ticking.cancel();
  (void)co_await as_result(ticking);
  say("{\"max_gap_us\":" + std::to_string(meter.max_gap_us) + "}");
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_probe(probe_main(argc > 1 ? argv[1] : "")); }
