// start_server and open_connection on the native host.
#include "net_test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using streams_test = net_test;

socket_address loopback() { return {ip_address::loopback_v4(), 0}; }

task<void> echo(tcp_stream s) {
  std::vector<std::byte> buf(4096);
  while (const std::size_t n = co_await s.read_some(buf)) co_await s.write_all(std::span(buf).first(n));
}

TEST_F(streams_test, a_hundred_concurrent_connections_echo_byte_exact) {
  auto body = [&]() -> task<void> {
    auto srv = co_await start_server(loopback(), echo);
    auto client = [&](unsigned i) -> task<void> {
      auto s = co_await open_connection("127.0.0.1", srv.address().port);
      // Sizes up to ~300 KB: each message spans many reads and writes.
      const std::string sent = random_bytes(1000 + i * 3000, i);
      auto writer = [](tcp_stream& st, const std::string& data) -> task<void> {
        co_await st.write_all(bytes_of(data));
        co_await st.shutdown_write();
      };
      auto w = spawn(writer(s, sent));
      std::string got;
      std::vector<std::byte> buf(1500);
      while (const std::size_t n = co_await s.read_some(buf))
        got.append(reinterpret_cast<const char*>(buf.data()), n);
      co_await w;
      EXPECT_EQ(got.size(), sent.size()) << "connection " << i;
      EXPECT_TRUE(got == sent) << "connection " << i << " differs";
    };
    std::vector<task<void>> clients;
    for (unsigned i = 0; i < 100; ++i) clients.push_back(client(i));
    co_await wait_for(gather(std::move(clients)), 30s);
    EXPECT_EQ(srv.accepted(), 100u);
    srv.close();
    co_await srv.wait_closed();
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(streams_test, start_server_serves_a_listener_already_open) {
  auto body = [&]() -> task<std::string> {
    auto listener = co_await tcp_listener::bind(loopback());
    const std::uint16_t port = listener.local_address().value().port;
    auto srv = co_await start_server(std::move(listener), echo);
    EXPECT_EQ(srv.address().port, port);
    auto s = co_await open_connection("127.0.0.1", port);
    co_await s.write_all("over an adopted listener\n");
    co_return co_await s.read_until("\n");
  };
  EXPECT_EQ(run(body()).value(), "over an adopted listener\n");
}

TEST_F(streams_test, start_server_refuses_a_closed_listener) {
  auto body = []() -> task<errc> {
    auto srv = co_await as_result(start_server(tcp_listener{}, echo));
    co_return srv ? errc::ok : srv.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_argument);
}

TEST_F(streams_test, a_failing_handler_is_reported_and_the_server_keeps_serving) {
  std::vector<std::string> reported;
  auto body = [&]() -> task<std::string> {
    int n = 0;
    auto handler = [&n](tcp_stream s) -> task<void> {
      if (n++ == 0) co_await fail(errc::user, "first handler fails");
      co_await s.write_all("served\n");
    };
    auto srv = co_await start_server(
        loopback(), handler,
        {.on_handler_error = [&](const error& e, const socket_address&) { reported.push_back(e.message()); }});
    {
      auto first = co_await open_connection("127.0.0.1", srv.address().port);
      std::byte buf[8];
      EXPECT_EQ(co_await first.read_some(buf), 0u);  // the failed handler's stream closed
    }
    auto second = co_await open_connection("127.0.0.1", srv.address().port);
    co_return co_await second.read_until("\n");
  };
  EXPECT_EQ(run(body()).value(), "served\n");
  EXPECT_EQ(reported, std::vector<std::string>{"first handler fails"});
}

TEST_F(streams_test, by_default_a_handlers_own_error_is_one_debug_line_naming_the_peer_not_an_unretrieved_error) {
  std::vector<std::string> errors, debug;
  std::size_t failed = 0;
  auto body = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info&) { errors.push_back(e.describe()); });
    detail::loop().set_debug_handler([&](const std::string& line) { debug.push_back(line); });
    auto handler = [](tcp_stream) -> task<void> { co_await fail(errc::user, "boom"); };
    auto srv = co_await start_server(loopback(), handler);
    auto c = co_await open_connection("127.0.0.1", srv.address().port);
    std::byte buf[8];
    EXPECT_EQ(co_await c.read_some(buf), 0u);
    failed = srv.handler_errors();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(failed, 1u);
  ASSERT_EQ(debug.size(), 1u);
  EXPECT_NE(debug[0].find("boom"), std::string::npos) << debug[0];
  EXPECT_NE(debug[0].find("127.0.0.1"), std::string::npos) << debug[0];
}

/// Connects a plain socket to `port`, sends `data`, waits for the echo's first
/// byte, then closes with a reset.
task<void> reset_after_echo(std::uint16_t port, std::string data) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);  // the backlog takes it: no accept needed
  EXPECT_EQ(::send(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  co_await readable(fd);
  close_with_reset(fd);
}

task<void> until(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) co_await sleep(2ms);
}

TEST_F(streams_test, a_client_reset_is_counted_and_reaches_neither_the_error_nor_the_debug_handler) {
  std::vector<std::string> errors, debug;
  std::size_t failed = 0;
  auto body = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info&) { errors.push_back(e.describe()); });
    detail::loop().set_debug_handler([&](const std::string& line) { debug.push_back(line); });
    auto srv = co_await start_server(loopback(), echo);
    for (int i = 0; i < 20; ++i) co_await reset_after_echo(srv.address().port, "ping");
    co_await until([&] { return srv.handler_errors() == 20; });
    failed = srv.handler_errors();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(failed, 20u);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_TRUE(debug.empty()) << debug.front();
}

TEST_F(streams_test, on_handler_error_hears_of_a_client_reset_with_the_peers_address) {
  std::vector<error> heard;
  std::vector<socket_address> peers;
  std::vector<std::string> errors;
  auto body = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info&) { errors.push_back(e.describe()); });
    auto srv = co_await start_server(loopback(), echo,
                                     {.on_handler_error = [&](const error& e, const socket_address& peer) {
                                       heard.push_back(e);
                                       peers.push_back(peer);
                                     }});
    co_await reset_after_echo(srv.address().port, "ping");
    co_await until([&] { return !heard.empty(); });
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(errors.empty()) << errors.front();
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].code(), errc::connection_reset) << heard[0].describe();
  EXPECT_TRUE(peers[0].ip == ip_address::loopback_v4()) << peers[0].to_string();
  EXPECT_NE(peers[0].port, 0);
}

TEST_F(streams_test, closing_the_server_cancels_its_connections_and_stops_accepting) {
  auto body = [&]() -> task<void> {
    auto srv = co_await start_server(loopback(), echo);
    const std::uint16_t port = srv.address().port;
    auto c = co_await open_connection("127.0.0.1", port);
    co_await c.write_all("x");
    EXPECT_EQ(co_await c.read_exactly(1), "x");
    EXPECT_EQ(srv.connections(), 1u);
    srv.close();
    co_await srv.wait_closed();
    EXPECT_EQ(srv.connections(), 0u);
    std::byte buf[8];
    EXPECT_EQ(co_await c.read_some(buf), 0u);  // its handler unwound and closed the stream
    EXPECT_EQ((co_await as_result(open_connection("127.0.0.1", port))).error().code(), errc::connection_refused);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(streams_test, at_max_connections_the_server_stops_accepting_until_a_handler_ends) {
  auto body = [&]() -> task<void> {
    // Each handler greets, then holds its connection until the client closes.
    auto greet = [](tcp_stream s) -> task<void> {
      co_await s.write_all("hello\n");
      std::byte buf[64];
      while (co_await s.read_some(buf) != 0) {
      }
    };
    auto srv = co_await start_server(loopback(), greet, {.max_connections = 2});
    const std::uint16_t port = srv.address().port;
    std::vector<tcp_stream> held;
    for (int i = 0; i < 2; ++i) {
      held.push_back(co_await open_connection("127.0.0.1", port));
      EXPECT_EQ(co_await held.back().read_until("\n"), "hello\n");
    }
    // The third connects (the listen backlog takes it) but is not accepted.
    auto third = co_await open_connection("127.0.0.1", port);
    auto early = co_await as_result(wait_for(third.read_until("\n"), 300ms));
    EXPECT_TRUE(!early && early.error().is(errc::timeout)) << "a third connection was served";
    EXPECT_EQ(srv.accepted(), 2u);
    EXPECT_EQ(srv.connections(), 2u);
    held.front().close();
    EXPECT_EQ(co_await wait_for(third.read_until("\n"), 5s), "hello\n");
    EXPECT_EQ(srv.accepted(), 3u);
    EXPECT_EQ(srv.connections(), 2u);
    srv.close();
    co_await srv.wait_closed();
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(streams_test, serve_forever_runs_until_cancelled_then_closes) {
  auto body = [&]() -> task<void> {
    auto srv = co_await start_server("localhost", 0, echo);
    auto forever = spawn(srv.serve_forever());
    auto c = co_await open_connection("localhost", srv.address().port);
    co_await c.write_all("y");
    EXPECT_EQ(co_await c.read_exactly(1), "y");
    forever.cancel();
    EXPECT_TRUE((co_await as_result(forever)).error().is(errc::cancelled));
    EXPECT_EQ(srv.connections(), 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(streams_test, open_connection_to_a_name_that_does_not_exist_is_host_not_found) {
  auto body = []() -> task<errc> {
    co_return (co_await as_result(open_connection("no-such-host.invalid", 80))).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::host_not_found);
}

}  // namespace
}  // namespace wasync::testing
