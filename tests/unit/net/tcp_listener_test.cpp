// tcp_listener on the native host.
#include "net_test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using tcp_listener_test = net_test;

TEST_F(tcp_listener_test, port_zero_binds_a_port_the_host_picks) {
  auto body = [&]() -> task<socket_address> {
    auto l = co_await tcp_listener::bind({ip_address::loopback_v4(), 0});
    co_return l.local_address().value();
  };
  const socket_address a = run(body()).value();
  EXPECT_EQ(a.ip, ip_address::loopback_v4());
  EXPECT_NE(a.port, 0);
}

TEST_F(tcp_listener_test, binding_an_address_in_use_is_address_in_use) {
  raw_listener taken;
  error e;
  auto body = [&]() -> task<void> { e = (co_await as_result(tcp_listener::bind(taken.address()))).error(); };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(e.code(), errc::address_in_use) << e.describe();
  EXPECT_NE(e.message().find(taken.address().to_string()), std::string::npos) << e.describe();
}

TEST_F(tcp_listener_test, ipv6_loopback_accepts_a_connection) {
  auto body = [&]() -> task<void> {
    auto l = co_await as_result(tcp_listener::bind({ip_address::loopback_v6(), 0}));
    if (!l) {
      ADD_FAILURE() << "no IPv6 loopback here: " << l.error().describe();
      co_return;
    }
    auto c = co_await tcp_stream::connect(l->local_address().value());
    auto s = co_await l->accept();
    EXPECT_TRUE(s.peer_address().value().ip.is_v6());
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_listener_test, a_cancelled_accept_takes_no_connection) {
  auto body = [&]() -> task<void> {
    auto l = co_await tcp_listener::bind({ip_address::loopback_v4(), 0});
    auto r = co_await as_result(wait_for(l.accept(), 10ms));
    EXPECT_EQ(r.error().code(), errc::timeout);
    auto c = co_await tcp_stream::connect(l.local_address().value());
    auto s = co_await l.accept();
    co_await c.write_all("x");
    EXPECT_EQ(co_await s.read_exactly(1), "x");
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(tcp_listener_test, closing_the_listener_fails_its_accept_in_flight_with_closed) {
  auto body = [&]() -> task<errc> {
    auto l = co_await tcp_listener::bind({ip_address::loopback_v4(), 0});
    auto acceptor = spawn(l.accept());
    co_await sleep(2ms);
    l.close();
    co_return (co_await as_result(std::move(acceptor))).error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::closed);
}

TEST_F(tcp_listener_test, adopt_is_not_supported_natively) {
  auto l = tcp_listener::adopt(3);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code(), errc::not_supported);
  EXPECT_NE(l.error().message().find("(native)"), std::string::npos);
}

}  // namespace
}  // namespace wasync::testing
