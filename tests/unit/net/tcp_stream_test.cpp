// tcp_stream on the native host: real sockets on 127.0.0.1.
#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "net_test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using tcp_stream_test = net_test;

socket_address loopback() { return {ip_address::loopback_v4(), 0}; }

/// A connected pair made with the API under test.
struct stream_pair {
  tcp_stream client;
  tcp_stream server;
};
task<stream_pair> connect_pair() {
  auto listener = co_await tcp_listener::bind(loopback());
  auto client = co_await tcp_stream::connect(listener.local_address().value());
  auto server = co_await listener.accept();
  co_return stream_pair{std::move(client), std::move(server)};
}

TEST_F(tcp_stream_test, connect_to_a_port_nobody_listens_on_is_connection_refused) {
  socket_address unused;
  {
    raw_listener l;  // take a free port, then free it
    unused = l.address();
  }
  error e;
  auto body = [&]() -> task<void> { e = (co_await as_result(tcp_stream::connect(unused))).error(); };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(e.code(), errc::connection_refused) << e.describe();
  EXPECT_NE(e.message().find("refused"), std::string::npos) << e.describe();
}

TEST_F(tcp_stream_test, a_peer_that_resets_mid_read_fails_the_read_with_connection_reset) {
  raw_listener l;
  std::thread peer([&] {
    const int fd = l.accept_one();
    ASSERT_EQ(::send(fd, "hello", 5, 0), 5);
    std::this_thread::sleep_for(30ms);
    close_with_reset(fd);
  });
  error e;
  auto body = [&]() -> task<void> {
    auto s = co_await tcp_stream::connect(l.address());
    EXPECT_EQ(co_await s.read_exactly(5), "hello");
    std::byte buf[64];
    e = (co_await as_result(s.read_some(buf))).error();
  };
  ASSERT_TRUE(run(body()));
  peer.join();
  EXPECT_EQ(e.code(), errc::connection_reset) << e.describe();
}

TEST_F(tcp_stream_test, after_the_peer_half_closes_reads_return_zero_and_writes_still_arrive) {
  raw_listener l;
  std::string peer_got;
  std::thread peer([&] {
    const int fd = l.accept_one();
    ::shutdown(fd, SHUT_WR);
    char buf[64];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) peer_got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
  });
  auto body = [&]() -> task<std::size_t> {
    auto s = co_await tcp_stream::connect(l.address());
    std::byte buf[16];
    const std::size_t n = co_await s.read_some(buf);
    co_await s.write_all("still here");
    co_await s.shutdown_write();
    co_return n;
  };
  EXPECT_EQ(run(body()).value(), 0u);
  peer.join();
  EXPECT_EQ(peer_got, "still here");
}

TEST_F(tcp_stream_test, a_read_from_a_server_that_never_answers_times_out_and_releases_its_wait) {
  raw_listener l;  // the kernel completes the handshake; nobody ever writes
  auto body = [&]() -> task<errc> {
    auto s = co_await tcp_stream::connect(l.address());
    std::byte buf[16];
    auto r = co_await as_result(wait_for(s.read_some(buf), 30ms));
    EXPECT_EQ(host_.watched(), 0u);
    // The stream is still usable after the timed-out read.
    EXPECT_TRUE(s.is_open());
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::timeout);
}

TEST_F(tcp_stream_test, a_connect_that_hangs_times_out_and_releases_its_socket) {
  raw_listener l;
  ::listen(l.fd, 0);  // a full accept queue drops further SYNs: those connects hang
  auto body = [&]() -> task<bool> {
    std::vector<tcp_stream> accepted_by_kernel;
    for (int i = 0; i < 20; ++i) {
      auto s = co_await as_result(wait_for(tcp_stream::connect(l.address()), 100ms));
      if (!s) {
        EXPECT_EQ(s.error().code(), errc::timeout) << s.error().describe();
        EXPECT_EQ(host_.watched(), 0u);
        co_return true;
      }
      accepted_by_kernel.push_back(std::move(*s));
    }
    co_return false;
  };
  EXPECT_TRUE(run(body()).value()) << "every connect completed: the queue never filled";
}

TEST_F(tcp_stream_test, read_until_and_read_exactly_span_chunk_boundaries) {
  auto body = [&]() -> task<std::vector<std::string>> {
    auto [client, server] = co_await connect_pair();
    auto writer = [](tcp_stream& s) -> task<void> {
      for (const char* piece : {"GET / HT", "TP/1.1\r", "\nHost: x\r\n", "\r", "\n12", "345", "6789tail"}) {
        co_await s.write_all(std::string_view(piece));
        co_await sleep(2ms);  // each piece its own segment and its own read
      }
      co_await s.shutdown_write();
    };
    auto w = spawn(writer(client));
    std::vector<std::string> got;
    got.push_back(co_await server.read_until("\r\n"));
    got.push_back(co_await server.read_until("\r\n\r\n"));
    got.push_back(co_await server.read_exactly(4));
    got.push_back(co_await server.read_exactly(5));
    std::byte rest[16];
    const std::size_t n = co_await server.read_some(rest);
    got.emplace_back(reinterpret_cast<const char*>(rest), n);
    co_await w;
    co_return got;
  };
  EXPECT_EQ(run(body()).value(),
            (std::vector<std::string>{"GET / HTTP/1.1\r\n", "Host: x\r\n\r\n", "1234", "56789", "tail"}));
}

TEST_F(tcp_stream_test, read_until_past_max_length_fails_and_keeps_the_data) {
  auto body = [&]() -> task<void> {
    auto [client, server] = co_await connect_pair();
    co_await client.write_all("0123456789\n");
    auto r = co_await as_result(server.read_until("\n", 5));
    EXPECT_EQ(r.error().code(), errc::invalid_argument) << r.error().describe();
    EXPECT_EQ(co_await server.read_until("\n"), "0123456789\n");
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_stream_test, read_exactly_when_the_peer_closes_early_is_closed_and_keeps_the_bytes) {
  auto body = [&]() -> task<void> {
    auto [client, server] = co_await connect_pair();
    co_await client.write_all("abc");
    client.close();
    auto r = co_await as_result(server.read_exactly(10));
    EXPECT_EQ(r.error().code(), errc::closed) << r.error().describe();
    std::byte buf[16];
    EXPECT_EQ(co_await server.read_some(buf), 3u);
    EXPECT_EQ(co_await server.read_some(buf), 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_stream_test, a_second_concurrent_read_is_invalid_state) {
  auto body = [&]() -> task<errc> {
    auto [client, server] = co_await connect_pair();
    std::byte a[8], b[8];
    auto first = spawn(server.read_some(a));
    co_await yield_now();
    auto second = co_await as_result(server.read_some(b));
    first.cancel();
    co_await as_result(first);
    co_return second.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_state);
}

TEST_F(tcp_stream_test, closing_a_stream_fails_its_read_in_flight_with_closed) {
  auto body = [&]() -> task<errc> {
    auto [client, server] = co_await connect_pair();
    std::byte buf[8];
    auto reader = spawn(server.read_some(buf));
    co_await sleep(2ms);
    server.close();
    EXPECT_FALSE(server.is_open());
    co_return (co_await as_result(reader)).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::closed);
}

TEST_F(tcp_stream_test, ten_thousand_cancelled_reads_leave_no_task_watch_or_fd_behind) {
  auto body = [&]() -> task<std::string> {
    auto [client, server] = co_await connect_pair();
    for (int i = 0; i < 10'000; ++i) {
      std::byte buf[8];
      auto h = spawn(server.read_some(buf));
      co_await yield_now();
      h.cancel();
      EXPECT_TRUE((co_await as_result(h)).error().is(errc::cancelled));
    }
    EXPECT_EQ(host_.watched(), 0u);
    EXPECT_EQ(detail::loop().live_tasks(), 1u);  // only this one
    co_await client.write_all("after");  // nothing was lost or stolen
    co_return co_await server.read_exactly(5);
  };
  EXPECT_EQ(run(body()).value(), "after");
}

TEST_F(tcp_stream_test, write_all_waits_for_a_slow_reader_instead_of_buffering) {
  auto body = [&]() -> task<void> {
    auto [client, server] = co_await connect_pair();
    const std::string big = random_bytes(8 << 20, 7);  // far more than the socket buffers hold
    auto w = spawn(client.write_all(bytes_of(big)));
    co_await sleep(20ms);
    EXPECT_FALSE(w.done()) << "8 MiB cannot fit in the kernel buffers: write_all must be waiting";
    EXPECT_EQ(co_await server.read_exactly(big.size()), big);
    co_await w;
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_stream_test, local_and_peer_addresses_mirror_each_other) {
  auto body = [&]() -> task<void> {
    auto [client, server] = co_await connect_pair();
    EXPECT_EQ(client.local_address().value(), server.peer_address().value());
    EXPECT_EQ(client.peer_address().value(), server.local_address().value());
    EXPECT_EQ(client.peer_address().value().ip, ip_address::loopback_v4());
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_stream_test, a_closed_stream_fails_every_operation_with_closed) {
  auto body = [&]() -> task<void> {
    tcp_stream s;
    std::byte buf[4];
    EXPECT_EQ((co_await as_result(s.read_some(buf))).error().code(), errc::closed);
    EXPECT_EQ((co_await as_result(s.write_all("x"))).error().code(), errc::closed);
    EXPECT_EQ(s.peer_address().error().code(), errc::closed);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
