// ip_address and socket_address: parsing and printing without the host.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

std::string round_trip(std::string_view text) {
  auto ip = ip_address::parse(text);
  return ip ? ip->to_string() : "error: " + ip.error().message();
}

TEST(address, ipv4_parses_and_prints_dotted) {
  auto ip = ip_address::parse("192.168.0.255").value();
  EXPECT_TRUE(ip.is_v4());
  EXPECT_EQ(ip, ip_address::v4({192, 168, 0, 255}));
  EXPECT_EQ(ip.to_string(), "192.168.0.255");
  EXPECT_TRUE(ip_address::parse("127.0.0.1").value().is_loopback());
  EXPECT_TRUE(ip_address::parse("0.0.0.0").value().is_unspecified());
}

TEST(address, malformed_ipv4_is_invalid_argument) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", "1..2.3"}) {
    auto ip = ip_address::parse(bad);
    ASSERT_FALSE(ip) << bad;
    EXPECT_EQ(ip.error().code(), errc::invalid_argument) << bad;
  }
}

TEST(address, ipv6_prints_in_rfc5952_form) {
  EXPECT_EQ(round_trip("::1"), "::1");
  EXPECT_EQ(round_trip("::"), "::");
  EXPECT_EQ(round_trip("2001:0DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(round_trip("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");  // first of equal runs
  EXPECT_EQ(round_trip("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero group stays
  EXPECT_EQ(round_trip("fe80::"), "fe80::");
  EXPECT_EQ(round_trip("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
  EXPECT_EQ(round_trip("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
  EXPECT_TRUE(ip_address::parse("::1").value().is_loopback());
  EXPECT_EQ(ip_address::parse("::1").value(), ip_address::loopback_v6());
}

TEST(address, malformed_ipv6_is_invalid_argument) {
  for (const char* bad : {":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g",
                          "1:", ":1", "::1.2.3", "fe80::1%eth0", "1:2:3:4:5:6:7::1.2.3.4"}) {
    auto ip = ip_address::parse(bad);
    ASSERT_FALSE(ip) << bad;
    EXPECT_EQ(ip.error().code(), errc::invalid_argument) << bad;
  }
}

TEST(address, socket_address_parses_both_families) {
  auto a = socket_address::parse("127.0.0.1:8080").value();
  EXPECT_EQ(a.ip, ip_address::loopback_v4());
  EXPECT_EQ(a.port, 8080);
  EXPECT_EQ(a.to_string(), "127.0.0.1:8080");
  auto b = socket_address::parse("[::1]:0").value();
  EXPECT_EQ(b.ip, ip_address::loopback_v6());
  EXPECT_EQ(b.port, 0);
  EXPECT_EQ(b.to_string(), "[::1]:0");
}

TEST(address, malformed_socket_address_is_invalid_argument) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:08", "::1:80",
                          "[::1]", "[::1]80", "[127.0.0.1]:80", "localhost:80", ":80"}) {
    auto a = socket_address::parse(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_EQ(a.error().code(), errc::invalid_argument) << bad;
  }
}

TEST(address, addresses_order_ipv4_first_then_by_bytes_then_port) {
  const auto a = socket_address::parse("10.0.0.1:80").value();
  const auto b = socket_address::parse("10.0.0.1:81").value();
  const auto c = socket_address::parse("10.0.0.2:1").value();
  const auto d = socket_address::parse("[::1]:1").value();
  EXPECT_TRUE(a < b && b < c && c < d);
  EXPECT_FALSE(b < a || a < a);
}

}  // namespace
}  // namespace wasync::testing
