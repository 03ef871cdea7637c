// Networking on WASI preview1, run by net.test.mjs under wasmtime -S preview2=n.
//   listener_probe unsupported  connect, bind, UDP, name lookup, addresses: one line
//                               each "<what>: <errc>: <message>"; adopt of a bad fd too
//   listener_probe close        (with -S tcplisten) a cancelled accept; then, with a
//                               silent client, a read that close() ends with
//                               errc::closed; the watchers left afterwards
//   listener_probe shutdown     (with -S tcplisten) accepts one connection, writes
//                               "bye", shuts its write side, then prints what the
//                               peer sends until it closes
#include <cstdio>
#include <string>

#include "probe_support.hpp"
#include "wasync/preopened_listener.hpp"
#include "wasync/wasi_host.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

wasi_host& host() { return static_cast<wasi_host&>(default_host()); }

template <class R>
void say(const char* what, const R& r) {
  if (r) std::printf("%s: ok\n", what);
  else std::printf("%s: %s\n", what, r.error().describe().c_str());
}

task<int> unsupported() {
  const socket_address local{ip_address::loopback_v4(), 9};
  say("connect", co_await as_result(tcp_stream::connect(local)));
  say("open_connection", co_await as_result(open_connection("127.0.0.1", 9)));
  say("bind", co_await as_result(tcp_listener::bind(local)));
  say("udp bind", co_await as_result(udp_socket::bind(local)));
  say("resolve", co_await as_result(resolve("localhost")));
  say("adopt fd 99", tcp_listener::adopt(99));
  say("adopt stdout", tcp_listener::adopt(1));
  auto found = preopened_listener();
  say("preopened", found);
  if (found) say("listener address", found->local_address());
  co_return 0;
}

task<int> close_in_flight() {
  auto listener = preopened_listener();
  if (!listener) co_return listener.error();
  say("accept with nobody connecting", co_await as_result(wait_for(listener->accept(), 50ms)));
  std::printf("watchers after the cancelled accept: %zu\n", host().watched());
  std::printf("ready\n");
  std::fflush(stdout);
  auto conn = co_await listener->accept();
  say("peer address", conn.peer_address());
  std::byte buf[64];
  auto reader = spawn(conn.read_some(buf));
  co_await sleep(20ms);
  std::printf("watchers while the read waits: %zu\n", host().watched());
  conn.close();
  say("read closed under it", co_await as_result(reader));
  std::printf("watchers after close: %zu\n", host().watched());
  co_return 0;
}

task<int> shutdown_write() {
  auto listener = preopened_listener();
  if (!listener) co_return listener.error();
  std::printf("ready\n");
  std::fflush(stdout);
  auto conn = co_await listener->accept();
  co_await conn.write_all("bye");
  co_await conn.shutdown_write();
  std::string got;
  std::byte buf[256];
  while (const std::size_t n = co_await conn.read_some(buf)) got.append(reinterpret_cast<const char*>(buf), n);
  std::printf("peer sent after our shutdown: %s\n", got.c_str());
  conn.close();
  say("write after close", co_await as_result(conn.write_all("x")));
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "unsupported") return probe::run_probe(unsupported());
  if (mode == "close") return probe::run_probe(close_in_flight());
  if (mode == "shutdown") return probe::run_probe(shutdown_write());
  std::fprintf(stderr, "usage: listener_probe unsupported|close|shutdown\n");
  return 2;
}
