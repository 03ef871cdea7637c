// upcase: a line-oriented tool on the WASI host (timers + stdin). Echoes each
// line of standard input upper-cased, stamped with the seconds since start. After
// IDLE seconds without input it prints "idle" and exits with status 2; at the end
// of input it exits with 0.
//
//   wasmtime run dist/wasi/upcase.wasm [IDLE]          (IDLE defaults to 5)
//   node scripts/run-wasm.mjs dist/wasi/upcase.wasm [IDLE]
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "wasync/stdio.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

std::string stamp(duration since_start) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "[%8.3f] ", std::chrono::duration<double>(since_start).count());
  return buf;
}

task<int> upcase(duration idle) {
  const time_point start = event_loop::current()->now();
  input_stream& in = standard_input();
  output_stream& out = standard_output();
  for (;;) {
    // A timed-out read loses nothing: whatever arrived stays buffered.
    auto line = co_await as_result(wait_for(in.read_line(), idle));
    if (!line && line.error().is(errc::timeout)) {
      co_await out.write_all(stamp(event_loop::current()->now() - start) + "idle\n");
      co_return 2;
    }
    if (!line) co_return line.error();
    if (!*line) co_return 0;  // end of input
    std::string text = std::move(**line);
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    co_await out.write_all(stamp(event_loop::current()->now() - start) + text + "\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::strtod(argv[1], nullptr) : 5.0;
  if (!(seconds > 0)) {
    std::fprintf(stderr, "usage: upcase [IDLE-SECONDS > 0]\n");
    return 64;
  }
  auto r = run(upcase(std::chrono::duration_cast<duration>(std::chrono::duration<double>(seconds))));
  if (!r) {
    std::fprintf(stderr, "upcase: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
