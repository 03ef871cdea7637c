// Sockets of the WASI components under wasmtime 49 (-S inherit-network
// -S allow-ip-name-lookup; the preview2 and WASI 0.3 builds), run
// by component_net.test.mjs against Node peers on 127.0.0.1. One JSON line per mode:
//   net_probe connect PORT          connect, then the outcome
//   net_probe read_all PORT         read until the end or an error: bytes and outcome
//   net_probe half_close PORT       read to the peer's FIN, then reply and shut down
//   net_probe silent PORT MS        a read bounded by wait_for(MS) on a peer that never answers
//   net_probe echo PORT N           N concurrent connections, random sizes, byte-exact echo
//   net_probe udp PORT              datagrams of 1 B to 65507 B to an echo peer and back
//   net_probe resolve HOST          the addresses of HOST
//   net_probe cancel_reads PORT N   N reads cancelled on one connection, then one that succeeds
//   net_probe cancel_udp_receives PORT N
//                                   N UDP receives cancelled, then a datagram to an echo
//                                   peer whose answer the next receive gets
//   net_probe udp_too_large PORT    a 70,000 B datagram: its outcome, then a small one that goes
//   net_probe udp_close_receive     a UDP receive waiting when its socket is closed: its outcome
//   net_probe cancel_connects N     N connects cut short by a timeout: to its own listener,
//                                   whose accept queue (backlog 1, nothing accepted) is full
// Each prints the host's live waits and tasks as well.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "probe_support.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

std::string outcome(const error& e) {
  return e.ok() ? "\"code\":\"ok\"" : "\"code\":" + json(to_string(e.code())) + ",\"message\":" + json(e.message());
}

std::string leftovers() {
  return "\"waits\":" + std::to_string(reactor().watched()) + ",\"tasks\":" + std::to_string(detail::live_contexts);
}

void say(const std::string& line) {
  std::printf("{%s}\n", line.c_str());
  std::fflush(stdout);
}

socket_address local(int port) { return {ip_address::loopback_v4(), static_cast<std::uint16_t>(port)}; }

task<void> connect_only(int port) {
  auto c = co_await as_result(tcp_stream::connect(local(port)));
  say(outcome(c ? error() : c.error()));
}

task<void> read_all(int port) {
  auto conn = co_await tcp_stream::connect(local(port));
  std::vector<std::byte> buf(64 * 1024);
  std::size_t total = 0;
  for (;;) {
    auto n = co_await as_result(conn.read_some(buf));
    if (!n) co_return say("\"bytes\":" + std::to_string(total) + "," + outcome(n.error()));
    if (*n == 0) co_return say("\"bytes\":" + std::to_string(total) + ",\"code\":\"eof\"");
    total += *n;
  }
}

task<void> half_close(int port) {
  auto conn = co_await tcp_stream::connect(local(port));
  std::string got;
  std::vector<std::byte> buf(4096);
  while (const std::size_t n = co_await conn.read_some(buf)) got.append(reinterpret_cast<const char*>(buf.data()), n);
  co_await conn.write_all("reply after your FIN");  // our side is still open
  co_await conn.shutdown_write();
  say("\"got\":" + json(got));
}

task<void> silent(int port, int ms) {
  auto conn = co_await tcp_stream::connect(local(port));
  std::vector<std::byte> buf(16);
  const auto t0 = steady::now();
  auto r = co_await as_result(wait_for(conn.read_some(buf), std::chrono::milliseconds(ms)));
  say(outcome(r ? error() : r.error()) + ",\"ms\":" + std::to_string(micros(steady::now() - t0) / 1000) + "," +
      leftovers());
}

task<void> echo(int port, int n) {
  int exact = 0;
  auto one = [&](int i) -> task<void> {
    const std::string data = pattern(static_cast<std::size_t>(i) * 7919 % 65536 + 1);
    auto conn = co_await tcp_stream::connect(local(port));
    co_await gather(conn.write_all(data), [&]() -> task<void> {
      if (co_await conn.read_exactly(data.size()) == data) ++exact;
    }());
  };
  std::vector<task<void>> all;
  for (int i = 0; i < n; ++i) all.push_back(one(i));
  co_await gather(std::move(all));
  say("\"connections\":" + std::to_string(n) + ",\"exact\":" + std::to_string(exact) + "," + leftovers());
}

task<void> udp(int port) {
  auto sock = co_await udp_socket::bind(local(0));
  co_await sock.connect(local(port));
  std::vector<std::byte> buf(udp_socket::max_datagram_v4);
  int exact = 0, sent = 0;
  for (std::size_t size : {std::size_t{1}, std::size_t{100}, std::size_t{1400}, std::size_t{9000}, std::size_t{32768},
                           std::size_t{65536 - 1024}, udp_socket::max_datagram_v4}) {
    const std::string data = pattern(size);
    co_await sock.send(std::as_bytes(std::span(data)));
    ++sent;
    const std::size_t n = co_await wait_for(sock.receive(buf), 2s);
    if (std::string_view(reinterpret_cast<const char*>(buf.data()), n) == data) ++exact;
  }
  say("\"sent\":" + std::to_string(sent) + ",\"exact\":" + std::to_string(exact));
}

task<void> resolve_host(std::string host) {
  auto r = co_await as_result(resolve(host));
  if (!r) co_return say(outcome(r.error()));
  std::string list;
  for (const auto& a : *r) list += std::string(list.empty() ? "" : ",") + json(a.to_string());
  say("\"addresses\":[" + list + "]");
}

task<void> cancel_reads(int port, int n) {
  auto conn = co_await tcp_stream::connect(local(port));
  std::vector<std::byte> buf(64);
  int cancelled = 0;
  for (int i = 0; i < n; ++i) {
    auto h = spawn(conn.read_some(buf));
    co_await yield_now();  // the read is parked on its pollable now
    h.cancel();
    auto r = co_await as_result(h);
    if (!r && r.error().is(errc::cancelled)) ++cancelled;
  }
  const std::string after = leftovers();
  co_await conn.write_all("go");
  const std::string reply = co_await conn.read_exactly(4);
  say("\"cancelled\":" + std::to_string(cancelled) + ",\"after_cancels\":{" + after + "},\"reply\":" + json(reply));
}

task<void> cancel_udp_receives(int port, int n) {
  auto sock = co_await udp_socket::bind(local(0));
  co_await sock.connect(local(port));
  std::vector<std::byte> buf(64);
  int cancelled = 0;
  for (int i = 0; i < n; ++i) {
    auto h = spawn(sock.receive(buf));
    co_await yield_now();  // the receive waits on the host now
    h.cancel();
    auto r = co_await as_result(h);
    if (!r && r.error().is(errc::cancelled)) ++cancelled;
  }
  const std::string after = leftovers();
  // A receive the host still ran would take the answer: this one would wait in vain.
  co_await sock.send(std::as_bytes(std::span(std::string_view("ping"))));
  const std::size_t got = co_await wait_for(sock.receive(buf), 2s);
  say("\"cancelled\":" + std::to_string(cancelled) + ",\"after_cancels\":{" + after + "},\"reply\":" +
      json(std::string(reinterpret_cast<const char*>(buf.data()), got)));
}

task<void> udp_too_large(int port) {
  auto sock = co_await udp_socket::bind(local(0));
  const std::string big(70'000, 'x');
  auto r = co_await as_result(sock.send_to(std::as_bytes(std::span(big)), local(port)));
  co_await sock.send_to(std::as_bytes(std::span(std::string_view("small"))), local(port));
  say(r ? std::string("\"code\":\"ok\"") : outcome(r.error()));
}

task<void> udp_close_receive() {
  auto sock = co_await udp_socket::bind(local(0));
  std::vector<std::byte> buf(64);
  auto h = spawn(sock.receive(buf));
  co_await yield_now();  // the receive waits on the host now
  sock.close();
  auto r = co_await as_result(h);
  h = {};
  say((r ? std::string("\"code\":\"ok\"") : outcome(r.error())) + "," + leftovers());
}

task<void> cancel_connects(int n) {
  auto listener = co_await tcp_listener::bind(local(0), 1);
  const socket_address to = listener.local_address().value();
  std::vector<tcp_stream> queued;  // the connections the full queue took
  int timeouts = 0;
  for (int i = 0; timeouts < n && i < n + 16; ++i) {
    auto c = co_await as_result(wait_for(tcp_stream::connect(to), 50ms));
    if (c) queued.push_back(std::move(*c));
    else if (c.error().is(errc::timeout)) ++timeouts;
  }
  say("\"timeouts\":" + std::to_string(timeouts) + ",\"queued\":" + std::to_string(queued.size()) + "," + leftovers());
}

task<int> probe_main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const std::string arg = argc > 2 ? argv[2] : "";
  const int port = std::atoi(arg.c_str());
  const int n = argc > 3 ? std::atoi(argv[3]) : 0;
  if (mode == "connect") co_await connect_only(port);
  else if (mode == "read_all") co_await read_all(port);
  else if (mode == "half_close") co_await half_close(port);
  else if (mode == "silent") co_await silent(port, n);
  else if (mode == "echo") co_await echo(port, n);
  else if (mode == "udp") co_await udp(port);
  else if (mode == "resolve") co_await resolve_host(arg);
  else if (mode == "cancel_reads") co_await cancel_reads(port, n);
  else if (mode == "cancel_udp_receives") co_await cancel_udp_receives(port, n);
  else if (mode == "udp_too_large") co_await udp_too_large(port);
  else if (mode == "udp_close_receive") co_await udp_close_receive();
  else if (mode == "cancel_connects") co_await cancel_connects(port);
  else co_return 2;
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_probe(probe_main(argc, argv)); }
