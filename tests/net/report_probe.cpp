// report_probe PORT | report_probe --preopened: an echo server (like
// demos/net/tcp_echo) whose every connection also leaves behind a task that
// fails with nobody awaiting it: one report on standard error per connection.
// stderr_pipe.test.mjs runs it with a standard error nobody reads; the loop
// must keep serving. Says "listening" on stderr once it listens.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wasync/wasync.hpp"
#if WASYNC_PROBE_PREVIEW1
#include "wasync/preopened_listener.hpp"
#endif

using namespace wasync;

namespace {

task<void> unretrieved_failure() { co_await fail(errc::user, "report_probe: one report per connection"); }

task<void> echo(tcp_stream s) {
  spawn(unretrieved_failure());
  std::vector<std::byte> buf(16 * 1024);
  while (const std::size_t n = co_await s.read_some(buf)) co_await s.write_all(std::span(buf).first(n));
}

task<int> serve(const std::string& arg) {
#if WASYNC_PROBE_PREVIEW1
  (void)arg;
  auto listener = preopened_listener();
  if (!listener) co_return listener.error();
  auto srv = co_await start_server(std::move(*listener), echo);
#else
  const socket_address local{ip_address::loopback_v4(), static_cast<std::uint16_t>(std::atoi(arg.c_str()))};
  auto srv = co_await start_server(local, echo);
#endif
  std::fprintf(stderr, "listening\n");
  co_await srv.serve_forever();
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: report_probe PORT | report_probe --preopened\n");
    return 2;
  }
  auto r = run(serve(argv[1]));
  if (!r) std::fprintf(stderr, "report_probe: %s\n", r.error().describe().c_str());
  return r ? *r : 1;
}
