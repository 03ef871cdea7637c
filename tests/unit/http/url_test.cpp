// http::url: what a client needs from an http(s) URL.
#include <gtest/gtest.h>

#include "wasync/http/url.hpp"

namespace wasync::http::testing {
namespace {

TEST(url, parts_and_defaults) {
  auto u = url::parse("HTTP://example.com").value();
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.authority(), "example.com");
  auto s = url::parse("https://h:8443/a/b?x=1#frag").value();
  EXPECT_EQ(s.port, 8443);
  EXPECT_EQ(s.target, "/a/b?x=1");
  EXPECT_EQ(s.authority(), "h:8443");
  EXPECT_EQ(url::parse("http://h?q").value().target, "/?q");
}

TEST(url, ipv6_literals_keep_their_brackets_in_the_authority) {
  auto u = url::parse("http://[::1]:8080/x").value();
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.authority(), "[::1]:8080");
}

TEST(url, malformed_urls_are_invalid_argument) {
  for (const char* bad : {"example.com", "ftp://h/", "http://", "http://u@h/", "http://h:0/", "http://h:99999/",
                          "http://h:x/", "http://h/a b", "http://[::1/", "http://h h/"}) {
    auto u = url::parse(bad);
    ASSERT_FALSE(u) << bad;
    EXPECT_EQ(u.error().code(), errc::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace wasync::http::testing
