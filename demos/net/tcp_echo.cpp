// tcp_echo PORT: a TCP echo server on 127.0.0.1:PORT, one task per connection.
// tcp_echo --preopened[=FD]: the same on a listener the host opened (WASI
// preview1: wasmtime's -S tcplisten socket, fd 3 unless directories are
// preopened too). Prints nothing on stdout; "listening on ADDR" (or "listening
// on fd FD") on stderr once it listens.
//
//   dist/native/tcp_echo 7000
//   wasmtime run -S preview2=n -S tcplisten=127.0.0.1:7000 dist/wasi/echo_server.wasm --preopened
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

task<int> serve_preopened(int fd) {
  auto listener = tcp_listener::adopt(fd);
  if (!listener) co_return listener.error();
  auto srv = co_await start_server(std::move(*listener), echo);
  std::fprintf(stderr, "listening on fd %d\n", fd);
  co_await srv.serve_forever();
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string arg = argc == 2 ? argv[1] : "";
  const bool preopened = arg == "--preopened" || arg.starts_with("--preopened=");
  const char* number = preopened ? (arg.size() > 12 ? arg.c_str() + 12 : "3") : arg.c_str();
  char* end = nullptr;
  const long n = std::strtol(number, &end, 10);
  if (argc != 2 || *number == '\0' || *end != '\0' || n < 0 || n > (preopened ? 1 << 20 : 65535)) {
    std::fprintf(stderr, "usage: tcp_echo PORT | tcp_echo --preopened[=FD]\n");
    return 2;
  }
  auto r = run(preopened ? serve_preopened(static_cast<int>(n)) : serve(static_cast<std::uint16_t>(n)));
  if (!r) {
    std::fprintf(stderr, "tcp_echo: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
