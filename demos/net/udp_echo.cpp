// udp_echo PORT: sends every datagram on 127.0.0.1:PORT back to its sender.
// Prints nothing on stdout; "listening on ADDR" on stderr once bound.
//
//   dist/native/udp_echo 7001
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

task<int> serve(std::uint16_t port) {
  auto sock = co_await udp_socket::bind({ip_address::loopback_v4(), port});
  std::fprintf(stderr, "listening on %s\n", sock.local_address().value().to_string().c_str());
  std::vector<std::byte> buf(64 * 1024);
  for (;;) {
    const datagram_info d = co_await sock.receive_from(buf);
    co_await sock.send_to(std::span(buf).first(d.size), d.from);
  }
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const long port = argc == 2 ? std::strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || *end != '\0' || port < 0 || port > 65535) {
    std::fprintf(stderr, "usage: udp_echo PORT\n");
    return 2;
  }
  auto r = run(serve(static_cast<std::uint16_t>(port)));
  if (!r) {
    std::fprintf(stderr, "udp_echo: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
