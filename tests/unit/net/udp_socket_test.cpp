// udp_socket on the native host.
#include "net_test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using udp_socket_test = net_test;

socket_address loopback() { return {ip_address::loopback_v4(), 0}; }

TEST_F(udp_socket_test, datagrams_from_1_byte_to_the_ipv4_maximum_round_trip_byte_exact) {
  auto body = [&]() -> task<void> {
    auto echo = co_await udp_socket::bind(loopback());
    auto client = co_await udp_socket::bind(loopback());
    auto echo_loop = [](udp_socket& s) -> task<void> {
      std::vector<std::byte> buf(udp_socket::max_datagram_v4);
      for (;;) {
        auto d = co_await s.receive_from(buf);
        co_await s.send_to(std::span(buf).first(d.size), d.from);
      }
    };
    auto server = spawn(echo_loop(echo));
    std::vector<std::byte> got(udp_socket::max_datagram_v4 + 1);
    for (std::size_t size : {std::size_t{1}, std::size_t{100}, std::size_t{1472}, std::size_t{9000},
                             std::size_t{32768}, udp_socket::max_datagram_v4}) {
      const std::string sent = random_bytes(size, static_cast<unsigned>(size));
      co_await client.send_to(bytes_of(sent), echo.local_address().value());
      auto d = co_await wait_for(client.receive_from(got), 2s);
      EXPECT_EQ(d.size, size);
      EXPECT_FALSE(d.truncated);
      EXPECT_EQ(d.from, echo.local_address().value());
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(got.data()), d.size), sent) << size;
    }
    server.cancel();
    co_await as_result(server);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(udp_socket_test, a_datagram_longer_than_the_buffer_is_truncated_and_says_so) {
  auto body = [&]() -> task<void> {
    auto a = co_await udp_socket::bind(loopback());
    auto b = co_await udp_socket::bind(loopback());
    co_await a.send_to(bytes_of("0123456789"), b.local_address().value());
    std::byte buf[4];
    auto d = co_await b.receive_from(buf);
    EXPECT_EQ(d.size, 4u);
    EXPECT_TRUE(d.truncated);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(udp_socket_test, connect_sets_the_default_peer_for_send_and_receive) {
  auto body = [&]() -> task<std::string> {
    auto a = co_await udp_socket::bind(loopback());
    auto b = co_await udp_socket::bind(loopback());
    co_await a.connect(b.local_address().value());
    co_await b.connect(a.local_address().value());
    co_await a.send(bytes_of("ping"));
    std::byte buf[16];
    const std::size_t n = co_await b.receive(buf);
    co_return std::string(reinterpret_cast<const char*>(buf), n);
  };
  EXPECT_EQ(run(body()).value(), "ping");
}

TEST_F(udp_socket_test, send_without_a_peer_is_invalid_state) {
  auto body = [&]() -> task<errc> {
    auto a = co_await udp_socket::bind(loopback());
    co_return (co_await as_result(a.send(bytes_of("x")))).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_state);
}

TEST_F(udp_socket_test, a_datagram_over_the_maximum_is_invalid_argument) {
  auto body = [&]() -> task<errc> {
    auto a = co_await udp_socket::bind(loopback());
    const std::string big(70'000, 'x');
    co_return (co_await as_result(a.send_to(bytes_of(big), a.local_address().value()))).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_argument);
}

TEST_F(udp_socket_test, a_receive_inside_wait_for_times_out_and_unwatches) {
  auto body = [&]() -> task<errc> {
    auto a = co_await udp_socket::bind(loopback());
    std::byte buf[8];
    auto r = co_await as_result(wait_for(a.receive_from(buf), 10ms));
    EXPECT_EQ(host_.watched(), 0u);
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::timeout);
}

TEST_F(udp_socket_test, binding_a_udp_port_in_use_is_address_in_use) {
  auto body = [&]() -> task<errc> {
    auto a = co_await udp_socket::bind(loopback());
    co_return (co_await as_result(udp_socket::bind(a.local_address().value()))).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::address_in_use);
}

}  // namespace
}  // namespace wasync::testing
