// request: the keep-alive rule of RFC 9112 §9.3 and version names.
#include <gtest/gtest.h>

#include "wasync/http/request.hpp"

namespace wasync::http {
namespace {

request make(version v, std::initializer_list<header> fields = {}) {
  request r{.method = "GET", .target = "/", .version = v};
  for (const auto& f : fields) r.headers.add(f.name, f.value);
  return r;
}

TEST(request, http_1_1_keeps_alive_by_default) {
  EXPECT_TRUE(make(version::http_1_1).keep_alive());
  EXPECT_TRUE(make(version::http_1_1, {{"Connection", "keep-alive"}}).keep_alive());
  EXPECT_TRUE(make(version::http_1_1, {{"Connection", "Upgrade"}}).keep_alive());
}

TEST(request, http_1_1_closes_when_a_connection_field_says_close) {
  EXPECT_FALSE(make(version::http_1_1, {{"Connection", "close"}}).keep_alive());
  EXPECT_FALSE(make(version::http_1_1, {{"connection", "CLOSE"}}).keep_alive());
  EXPECT_FALSE(make(version::http_1_1, {{"Connection", "Upgrade, ,close "}}).keep_alive());
  EXPECT_FALSE(make(version::http_1_1, {{"Connection", "Upgrade"}, {"Connection", "close"}}).keep_alive());
}

TEST(request, http_1_1_is_not_closed_by_a_token_that_only_contains_close) {
  EXPECT_TRUE(make(version::http_1_1, {{"Connection", "closed, x-close"}}).keep_alive());
  EXPECT_TRUE(make(version::http_1_1, {{"X-Connection", "close"}}).keep_alive());
}

TEST(request, http_1_0_closes_by_default) { EXPECT_FALSE(make(version::http_1_0).keep_alive()); }

TEST(request, http_1_0_keeps_alive_when_a_connection_field_says_keep_alive) {
  EXPECT_TRUE(make(version::http_1_0, {{"Connection", "Keep-Alive"}}).keep_alive());
}

TEST(request, close_wins_over_keep_alive) {
  EXPECT_FALSE(make(version::http_1_0, {{"Connection", "keep-alive, close"}}).keep_alive());
  EXPECT_FALSE(make(version::http_1_1, {{"Connection", "keep-alive"}, {"Connection", "close"}}).keep_alive());
}

TEST(request, names_its_versions) {
  EXPECT_EQ(to_string(version::http_1_0), "HTTP/1.0");
  EXPECT_EQ(to_string(version::http_1_1), "HTTP/1.1");
}

}  // namespace
}  // namespace wasync::http
