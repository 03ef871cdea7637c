// netcat HOST PORT: resolves HOST, connects, and copies standard input to the
// connection and the connection to standard output at the same time. At the
// end of input it shuts down its write side and exits once the peer closes.
// On failure: one line on stderr and exit status 1.
//
//   printf 'hello\n' | dist/native/netcat localhost 7000
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wasync/stdio.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

constexpr std::size_t chunk = 64 * 1024;

task<void> stdin_to_socket(tcp_stream& conn) {
  std::vector<std::byte> buf(chunk);
  while (const std::size_t n = co_await standard_input().read_some(buf))
    co_await conn.write_all(std::span(buf).first(n));
  co_await conn.shutdown_write();
}

task<void> socket_to_stdout(tcp_stream& conn) {
  std::vector<std::byte> buf(chunk);
  while (const std::size_t n = co_await conn.read_some(buf))
    co_await standard_output().write_all(std::span<const std::byte>(buf).first(n));
}

task<int> netcat(std::string host, std::uint16_t port) {
  auto conn = co_await open_connection(host, port);
  auto up = spawn(stdin_to_socket(conn));
  auto down = co_await as_result(socket_to_stdout(conn));
  // The peer closed (or failed): input still being read has nowhere to go.
  up.cancel();
  auto sent = co_await as_result(up);
  if (!down) co_return down.error();
  if (!sent && !sent.error().is(errc::cancelled)) co_return sent.error();
  co_return 0;
}

// The failure is told inside the task: where the host does not own the thread
// (WASI 0.3), run() does not return to main().
task<int> netcat_reporting(std::string host, std::uint16_t port) {
  auto r = co_await as_result(netcat(std::move(host), port));
  if (r) co_return *r;
  std::fprintf(stderr, "netcat: %s\n", r.error().describe().c_str());
  co_return 1;
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const long port = argc == 3 ? std::strtol(argv[2], &end, 10) : -1;
  if (argc != 3 || *end != '\0' || port < 1 || port > 65535) {
    std::fprintf(stderr, "usage: netcat HOST PORT\n");
    return 2;
  }
  return run(netcat_reporting(argv[1], static_cast<std::uint16_t>(port))).value_or(1);
}
