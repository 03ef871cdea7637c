// tcp_echo PORT: a TCP echo server on 127.0.0.1:PORT, one task per connection.
// Prints nothing on stdout; "listening on ADDR" on stderr once it listens.
//
//   dist/native/tcp_echo 7000
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

task<void> echo(tcp_stream s) {
  std::vector<std::byte> buf(64 * 1024);
  while (const std::size_t n = co_await s.read_some(buf)) co_await s.write_all(std::span(buf).first(n));
}

task<int> serve(std::uint16_t port) {
  auto srv = co_await start_server(socket_address{ip_address::loopback_v4(), port}, echo);
  std::fprintf(stderr, "listening on %s\n", srv.address().to_string().c_str());
  co_await srv.serve_forever();
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const long port = argc == 2 ? std::strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || *end != '\0' || port < 0 || port > 65535) {
    std::fprintf(stderr, "usage: tcp_echo PORT\n");
    return 2;
  }
  auto r = run(serve(static_cast<std::uint16_t>(port)));
  if (!r) {
    std::fprintf(stderr, "tcp_echo: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
