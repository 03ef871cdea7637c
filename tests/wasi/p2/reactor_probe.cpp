// The preview2 reactor's host calls, run by reactor.test.mjs under wasmtime 49
// against Node echo peers on 127.0.0.1. One JSON line on stdout per mode:
//   reactor_probe tcp PORT N [timer]   N round trips of 64 B on one connection
//   reactor_probe udp PORT N [timer]   N round trips of 64 B on one UDP socket
//   reactor_probe udp_burst PORT N     N datagrams sent, then received in order;
//                                      two of 100 B received into 50 B
//   reactor_probe cancel_reads PORT N  N reads cancelled, then one round trip
// Each reports the pollables subscribed (wasip2_host::subscriptions()) and the
// polls from the connect (or bind) on, with the live waits and tasks
// afterwards. `timer`: a task sleeps through the round trips, so every poll
// has a deadline to wait for.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../probe_support.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

socket_address local(int port) { return {ip_address::loopback_v4(), static_cast<std::uint16_t>(port)}; }

std::string counts(std::uint64_t subscriptions0, std::uint64_t polls0) {
  return "\"subscriptions\":" + std::to_string(reactor().subscriptions() - subscriptions0) +
         ",\"polls\":" + std::to_string(reactor().polls() - polls0);
}

task<void> nap(std::chrono::seconds d) { co_await sleep(d); }

std::string leftovers() {
  return "\"waits\":" + std::to_string(reactor().watched()) + ",\"tasks\":" + std::to_string(detail::live_contexts);
}

/// Runs `trips` with a sleeping task beside it when `timer`: the exact trips
/// and the counts since `s0` subscriptions and `p0` polls, in JSON.
task<std::string> counted_trips(task<int> trips, bool timer, std::uint64_t s0, std::uint64_t p0) {
  auto sleeper = spawn(nap(timer ? 60s : 0s));
  if (!timer) (void)co_await as_result(sleeper);  // no deadline left
  const int exact = co_await std::move(trips);
  const std::string c = counts(s0, p0);
  sleeper.cancel();
  (void)co_await as_result(sleeper);
  co_return "\"exact\":" + std::to_string(exact) + "," + c;
}

task<int> tcp_trips(tcp_stream& conn, int n) {
  const std::string data = pattern(64);
  int exact = 0;
  for (int i = 0; i < n; ++i) {
    co_await conn.write_all(data);
    if (co_await conn.read_exactly(data.size()) == data) ++exact;
  }
  co_return exact;
}

task<void> tcp(int port, int n, bool timer) {
  const auto s0 = reactor().subscriptions();
  const auto p0 = reactor().polls();
  auto conn = co_await tcp_stream::connect(local(port));
  const std::string c = co_await counted_trips(tcp_trips(conn, n), timer, s0, p0);
  say("{" + c + "," + leftovers() + "}");
}

task<int> udp_trips(udp_socket& sock, int n) {
  const std::string data = pattern(64);
  std::vector<std::byte> buf(2048);
  int exact = 0;
  for (int i = 0; i < n; ++i) {
    co_await sock.send(std::as_bytes(std::span(data)));
    // No wait_for: its deadline, new each trip, would subscribe a clock each time.
    const std::size_t got = co_await sock.receive(buf);
    if (std::string_view(reinterpret_cast<const char*>(buf.data()), got) == data) ++exact;
  }
  co_return exact;
}

task<void> udp(int port, int n, bool timer) {
  const auto s0 = reactor().subscriptions();
  const auto p0 = reactor().polls();
  auto sock = co_await udp_socket::bind(local(0));
  co_await sock.connect(local(port));
  const std::string c = co_await counted_trips(udp_trips(sock, n), timer, s0, p0);
  say("{" + c + "," + leftovers() + "}");
}

/// N numbered datagrams sent before any is received (the echoes queue up, so
/// receives get two at once and hold one), then two of 100 B into 50 B.
task<void> udp_burst(int port, int n) {
  auto sock = co_await udp_socket::bind(local(0));
  co_await sock.connect(local(port));
  for (int i = 0; i < n; ++i) {
    const std::string data = std::to_string(i) + ":" + pattern(40);
    co_await sock.send(std::as_bytes(std::span(data)));
  }
  std::vector<std::byte> buf(2048);
  int in_order = 0;
  for (int i = 0; i < n; ++i) {
    const std::size_t got = co_await sock.receive(buf);
    if (std::string_view(reinterpret_cast<const char*>(buf.data()), got) == std::to_string(i) + ":" + pattern(40))
      ++in_order;
  }
  const std::string big = pattern(100);
  co_await sock.send(std::as_bytes(std::span(big)));
  co_await sock.send(std::as_bytes(std::span(big)));
  co_await sleep(100ms);  // both echoes are queued: one receive gets both
  std::vector<std::byte> small(50);
  int truncated = 0;
  for (int i = 0; i < 2; ++i) {
    const datagram_info d = co_await sock.receive_from(small);
    if (d.truncated && d.size == 50 && std::string_view(reinterpret_cast<const char*>(small.data()), 50) == big.substr(0, 50))
      ++truncated;
  }
  say("{\"in_order\":" + std::to_string(in_order) + ",\"truncated\":" + std::to_string(truncated) + "," + leftovers() + "}");
}

task<void> cancel_reads(int port, int n) {
  auto conn = co_await tcp_stream::connect(local(port));
  (void)co_await tcp_trips(conn, 1);
  const auto s0 = reactor().subscriptions();
  const auto p0 = reactor().polls();
  std::vector<std::byte> buf(64);
  int cancelled = 0;
  for (int i = 0; i < n; ++i) {
    auto h = spawn(conn.read_some(buf));
    co_await yield_now();  // the read is parked on its pollable now
    h.cancel();
    auto r = co_await as_result(h);
    if (!r && r.error().is(errc::cancelled)) ++cancelled;
  }
  const std::string c = counts(s0, p0);
  const std::string after = leftovers();
  const int exact = co_await tcp_trips(conn, 1);
  say("{\"cancelled\":" + std::to_string(cancelled) + ",\"exact\":" + std::to_string(exact) + "," + c + "," + after +
      "}");
}

task<int> probe_main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const int port = argc > 2 ? std::atoi(argv[2]) : 0;
  const int n = argc > 3 ? std::atoi(argv[3]) : 0;
  const bool timer = argc > 4 && std::string(argv[4]) == "timer";
  if (mode == "tcp") co_await tcp(port, n, timer);
  else if (mode == "udp") co_await udp(port, n, timer);
  else if (mode == "udp_burst") co_await udp_burst(port, n);
  else if (mode == "cancel_reads") co_await cancel_reads(port, n);
  else {
    std::fprintf(stderr, "usage: reactor_probe tcp|udp PORT N [timer] | udp_burst PORT N | cancel_reads PORT N\n");
    co_return 2;
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_probe(probe_main(argc, argv)); }
