// resolve() on the native host.
#include "net_test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using resolve_test = net_test;

TEST_F(resolve_test, localhost_resolves_to_loopback_addresses) {
  const auto found = run(resolve("localhost")).value();
  ASSERT_FALSE(found.empty());
  for (const ip_address& ip : found) {
    EXPECT_TRUE(ip.is_loopback()) << ip.to_string();
  }
}

TEST_F(resolve_test, a_numeric_address_is_returned_without_a_lookup) {
  EXPECT_EQ(run(resolve("127.0.0.1")).value(), std::vector{ip_address::loopback_v4()});
  EXPECT_EQ(run(resolve("[::1]")).value(), std::vector{ip_address::loopback_v6()});
}

TEST_F(resolve_test, a_name_that_cannot_exist_is_host_not_found) {
  // RFC 6761: .invalid never resolves.
  auto r = run(resolve("no-such-host.invalid"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::host_not_found) << r.error().describe();
}

TEST_F(resolve_test, an_empty_name_is_invalid_argument) {
  EXPECT_EQ(run(resolve("")).error().code(), errc::invalid_argument);
}

TEST_F(resolve_test, a_lookup_runs_beside_the_loop_and_can_be_cancelled) {
  auto body = [&]() -> task<void> {
    int ticks = 0;
    auto ticker = [&]() -> task<void> {
      for (;;) {
        co_await yield_now();
        ++ticks;
      }
    };
    auto t = spawn(ticker());
    auto lookup = spawn(resolve("localhost"));
    co_await yield_now();
    lookup.cancel();
    EXPECT_TRUE((co_await as_result(lookup)).error().is(errc::cancelled));
    EXPECT_EQ(co_await resolve("localhost"), co_await resolve("localhost"));
    EXPECT_GT(ticks, 0);
    t.cancel();
    co_await as_result(t);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
