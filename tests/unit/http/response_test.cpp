// response: one buffer per response, Connection and framing rules, header injection refused.
#include <gtest/gtest.h>

#include "wasync/http/response.hpp"

namespace wasync::http {
namespace {

using namespace std::string_literals;

request get(version v = version::http_1_1, std::string method = "GET") {
  request r{.method = std::move(method), .target = "/", .version = v};
  if (v == version::http_1_1) r.headers.add("Host", "h");
  return r;
}

std::string bytes(const response& r) {
  auto out = serialize(r);
  EXPECT_TRUE(out) << out.error().describe();
  return out ? *out : std::string();
}

std::string bytes(const response& r, const request& req) {
  auto out = serialize(r, req);
  EXPECT_TRUE(out) << out.error().describe();
  return out ? *out : std::string();
}

response with_field(std::string name, std::string value) {
  response r;
  r.headers.add(std::move(name), std::move(value));
  return r;
}

TEST(response, writes_status_line_fields_length_and_body_in_one_buffer) {
  response r{.status = status::not_found, .body = "no such page"};
  r.headers.add("Content-Type", "text/plain");
  EXPECT_EQ(bytes(r),
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 12\r\n"
            "\r\n"
            "no such page");
}

TEST(response, writes_a_zero_content_length_for_an_empty_body) {
  EXPECT_EQ(bytes({}), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, writes_the_reason_phrase_of_each_status) {
  EXPECT_EQ(reason_phrase(status::bad_request), "Bad Request");
  EXPECT_EQ(reason_phrase(status::content_too_large), "Content Too Large");
  EXPECT_EQ(reason_phrase(status::uri_too_long), "URI Too Long");
  EXPECT_EQ(reason_phrase(status::request_header_fields_too_large), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(status::not_implemented), "Not Implemented");
  EXPECT_EQ(reason_phrase(status::http_version_not_supported), "HTTP Version Not Supported");
  EXPECT_EQ(bytes({.status = status::internal_server_error}).substr(0, 36), "HTTP/1.1 500 Internal Server Error\r\n");
}

TEST(response, writes_an_empty_reason_phrase_for_an_unregistered_status) {
  EXPECT_EQ(reason_phrase(static_cast<status>(299)), "");
  EXPECT_EQ(bytes({.status = static_cast<status>(299)}).substr(0, 15), "HTTP/1.1 299 \r\n");
}

TEST(response, close_adds_connection_close) {
  EXPECT_EQ(bytes({.close = true}), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(bytes({.close = true}, get()), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, answers_a_request_that_does_not_keep_alive_with_connection_close) {
  auto closing = get();
  closing.headers.add("Connection", "close");
  EXPECT_EQ(bytes({}, closing), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(bytes({}, get(version::http_1_0)), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, answers_a_kept_alive_http_1_1_request_without_a_connection_field) {
  EXPECT_EQ(bytes({}, get()), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, answers_a_kept_alive_http_1_0_request_with_connection_keep_alive) {
  auto keep = get(version::http_1_0);
  keep.headers.add("Connection", "keep-alive");
  EXPECT_EQ(bytes({}, keep), "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(bytes({.close = true}, keep), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, answers_head_with_the_length_of_the_body_but_not_the_body) {
  EXPECT_EQ(bytes({.body = "hello"}, get(version::http_1_1, "HEAD")), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
}

TEST(response, writes_no_content_length_for_statuses_without_a_body) {
  EXPECT_EQ(bytes({.status = status::no_content}), "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(bytes({.status = status::not_modified}), "HTTP/1.1 304 Not Modified\r\n\r\n");
  EXPECT_EQ(bytes({.status = status::continue_}), "HTTP/1.1 100 Continue\r\n\r\n");
  auto upgrade = with_field("Upgrade", "websocket");
  upgrade.status = status::switching_protocols;
  upgrade.headers.add("Connection", "Upgrade");
  EXPECT_EQ(bytes(upgrade, get()),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
}

TEST(response, refuses_a_body_on_a_status_without_one) {
  for (auto s : {status::continue_, status::no_content, status::not_modified}) {
    auto out = serialize({.status = s, .body = "x"});
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code(), errc::invalid_argument);
  }
}

TEST(response, refuses_cr_or_lf_in_a_field_value) {
  for (std::string value : {"a\r\nSet-Cookie: evil=1"s, "a\nb"s, "a\rb"s, "a\0b"s, "a\x7f"s}) {
    auto out = serialize(with_field("X-Name", value));
    ASSERT_FALSE(out) << value;
    EXPECT_EQ(out.error().code(), errc::invalid_argument);
  }
}

TEST(response, refuses_a_field_name_that_is_not_a_token) {
  for (std::string name : {"", "X Name", "X:Name", "X\r\nY", "X\n", "caf\xc3\xa9"}) {
    auto out = serialize(with_field(name, "v"));
    ASSERT_FALSE(out) << name;
    EXPECT_EQ(out.error().code(), errc::invalid_argument);
  }
}

TEST(response, accepts_tabs_spaces_and_obs_text_in_field_values) {
  EXPECT_EQ(bytes(with_field("X", "a\tb c\xc3\xa9")),
            "HTTP/1.1 200 OK\r\nX: a\tb c\xc3\xa9\r\nContent-Length: 0\r\n\r\n");
}

TEST(response, refuses_framing_fields_the_writer_sets_itself) {
  for (std::string name : {"Content-Length", "transfer-encoding"}) {
    auto out = serialize(with_field(name, "5"));
    ASSERT_FALSE(out) << name;
    EXPECT_EQ(out.error().code(), errc::invalid_argument);
  }
}

TEST(response, refuses_a_status_outside_100_to_999) {
  for (int code : {0, 99, 1000, -200}) {
    auto out = serialize({.status = static_cast<status>(code)});
    ASSERT_FALSE(out) << code;
    EXPECT_EQ(out.error().code(), errc::invalid_argument);
  }
}

}  // namespace
}  // namespace wasync::http
