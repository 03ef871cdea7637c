// request_parser: what it accepts, what it refuses with which status, and its limits.
#include <gtest/gtest.h>

#include <string>

#include "http_test_support.hpp"
#include "wasync/http/request_parser.hpp"

namespace wasync::http::testing {
namespace {

using namespace std::string_literals;

/// The one request `bytes` holds; fails the test otherwise.
request only(std::string_view bytes, request_parser_options options = {}) {
  auto out = parse(bytes, options);
  EXPECT_FALSE(out.failed) << out.error.reason;
  EXPECT_EQ(out.requests.size(), 1u);
  return out.requests.empty() ? request{} : out.requests.front();
}

/// The status `bytes` is refused with; fails the test if it is accepted.
status refused(std::string_view bytes, request_parser_options options = {}) {
  auto out = parse(bytes, options);
  EXPECT_TRUE(out.failed) << "accepted: " << ::testing::PrintToString(out);
  return out.error.status;
}

std::string with_fields(std::string_view fields, std::string_view body = {}) {
  return "POST /upload HTTP/1.1\r\nHost: h\r\n"s.append(fields).append("\r\n").append(body);
}

// Valid requests.

TEST(request_parser, parses_method_target_version_and_fields) {
  auto r = only("GET /a/b?c=d HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/a/b?c=d");
  EXPECT_EQ(r.version, version::http_1_1);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers.get("Host"), "example.com");
  EXPECT_EQ(r.headers.get("Accept"), "*/*");
  EXPECT_EQ(r.body, "");
}

TEST(request_parser, reads_a_content_length_body) {
  auto r = only(with_fields("Content-Length: 12\r\n", "hello\r\nworld"));
  EXPECT_EQ(r.body, "hello\r\nworld");
}

TEST(request_parser, accepts_http_1_0_without_host) {
  auto r = only("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.version, version::http_1_0);
  EXPECT_TRUE(r.headers.empty());
}

TEST(request_parser, reads_higher_http_1_minor_versions_as_1_1) {
  EXPECT_EQ(only("GET / HTTP/1.7\r\nHost: h\r\n\r\n").version, version::http_1_1);
}

TEST(request_parser, keeps_repeated_fields_in_order_and_case) {
  auto r = only("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-b: 2\r\nx-a: 3\r\n\r\n");
  EXPECT_EQ(r.headers.get_all("X-A"), (std::vector<std::string_view>{"1", "3"}));
  EXPECT_EQ((r.headers.begin() + 3)->name, "x-a");
}

TEST(request_parser, trims_whitespace_around_field_values_only) {
  auto r = only("GET / HTTP/1.1\r\nHost:h\r\nX-A: \t a \t b \t\r\nX-B:\r\nX-C:   \r\n\r\n");
  EXPECT_EQ(r.headers.get("Host"), "h");
  EXPECT_EQ(r.headers.get("X-A"), "a \t b");
  EXPECT_EQ(r.headers.get("X-B"), "");
  EXPECT_EQ(r.headers.get("X-C"), "");
}

TEST(request_parser, accepts_obs_text_in_field_values) {
  EXPECT_EQ(only("GET / HTTP/1.1\r\nHost: h\r\nX: caf\xc3\xa9\r\n\r\n").headers.get("X"), "caf\xc3\xa9");
}

TEST(request_parser, accepts_every_request_target_form) {
  EXPECT_EQ(only("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").target, "*");
  EXPECT_EQ(only("GET http://h:80/p?q HTTP/1.1\r\nHost: h:80\r\n\r\n").target, "http://h:80/p?q");
  EXPECT_EQ(only("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n").target, "h:443");
}

TEST(request_parser, accepts_any_method_token) {
  EXPECT_EQ(only("BREW-COFFEE /pot HTTP/1.1\r\nHost: h\r\n\r\n").method, "BREW-COFFEE");
}

TEST(request_parser, accepts_ip_literal_and_port_in_host) {
  EXPECT_EQ(only("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").headers.get("Host"), "[::1]:8080");
}

TEST(request_parser, accepts_an_empty_host) {
  EXPECT_EQ(only("GET / HTTP/1.1\r\nHost:\r\n\r\n").headers.get("Host"), "");
}

TEST(request_parser, skips_empty_lines_before_a_request_line) {
  auto out = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_FALSE(out.failed);
  EXPECT_EQ(out.requests.size(), 1u);
}

TEST(request_parser, accepts_repeated_equal_content_lengths) {
  EXPECT_EQ(only(with_fields("Content-Length: 3, 3\r\n", "abc")).body, "abc");
  EXPECT_EQ(only(with_fields("Content-Length: 3\r\nContent-Length: 003\r\n", "abc")).body, "abc");
}

TEST(request_parser, reads_a_zero_content_length_as_no_body) {
  auto out = parse(with_fields("Content-Length: 0\r\n") + "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 2u);
  EXPECT_EQ(out.requests[0].body, "");
}

TEST(request_parser, decodes_a_chunked_body) {
  auto r = only(with_fields("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\nA\r\n, chunked!\r\n0\r\n\r\n"));
  EXPECT_EQ(r.body, "hello, chunked!");
}

TEST(request_parser, reads_chunk_sizes_in_either_case_and_with_leading_zeros) {
  auto r = only(with_fields("Transfer-Encoding: chunked\r\n", "00b\r\n0123456789a\r\nB\r\nbcdefghijkl\r\n000\r\n\r\n"));
  EXPECT_EQ(r.body, "0123456789abcdefghijkl");
}

TEST(request_parser, accepts_transfer_encoding_chunked_in_any_case_and_across_fields) {
  EXPECT_EQ(only(with_fields("Transfer-Encoding: ChUnKeD\r\n", "1\r\nx\r\n0\r\n\r\n")).body, "x");
}

TEST(request_parser, ignores_chunk_extensions) {
  auto r = only(with_fields("Transfer-Encoding: chunked\r\n",
                            "3;name=value;q=\"quoted; still\"\r\nabc\r\n2 ; x\r\nde\r\n0;last\r\n\r\n"));
  EXPECT_EQ(r.body, "abcde");
}

TEST(request_parser, accepts_every_chunk_extension_form_of_rfc_9112) {
  // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
  for (std::string_view ext : {";a", " ;a", "\t; \ta", ";a=b", ";a = b", ";a\t=\tb", ";a=\"\"", ";a=\"q;\\\"x\\\" y\"",
                               ";a;b=c;d=\"e\"", " ; a ; b = \"c\" ; d", ";n=\"caf\xc3\xa9 \\\xc3\"", ";!#$%&'*+-.^_`|~09az"}) {
    auto out = parse(with_fields("Transfer-Encoding: chunked\r\n", "2"s.append(ext) + "\r\nab\r\n0\r\n\r\n"));
    EXPECT_FALSE(out.failed) << ext << ": " << out.error.reason;
    EXPECT_EQ(out.requests.size(), 1u) << ext;
  }
}

TEST(request_parser, refuses_malformed_chunk_extensions) {
  for (std::string_view ext : {";", "; ", ";;a", ";a;", ";=b", ";a=", ";a= ", ";a=\"b", ";a=\"b\\\"", ";a=b c", ";a b",
                               ";a ", ";a=b ", ";a=\"b\"c", ";a=b=c", ";a@b", ";a=b@", ";a=\"b\"\"c\"", "a", " ", "; ;a",
                               ";a=\"\\\x7f\"", ";a=(b)", ";a/b"}) {
    for (std::string_view last : {"0", "2"}) {
      const std::string chunks = last == "0" ? "0"s.append(ext) + "\r\n\r\n" : "2"s.append(ext) + "\r\nab\r\n0\r\n\r\n";
      EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", chunks)), status::bad_request) << chunks;
      // The same, a byte at a time.
      auto out = parse_bytewise(with_fields("Transfer-Encoding: chunked\r\n", chunks));
      EXPECT_TRUE(out.failed) << chunks;
    }
  }
}

TEST(request_parser, limits_the_chunk_extensions_of_a_request_to_max_chunk_extensions) {
  // One extension of exactly the limit passes; one byte more is 400.
  const request_parser_options o{.max_chunk_extensions = 100};
  const std::string at_limit = ";e=" + std::string(97, 'v');
  only(with_fields("Transfer-Encoding: chunked\r\n", "1" + at_limit + "\r\nx\r\n0\r\n\r\n"), o);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", "1" + at_limit + "v\r\nx\r\n0\r\n\r\n"), o),
            status::bad_request);
  // The limit is for all chunks of a request together, the last chunk's too.
  std::string many;
  for (int i = 0; i < 10; ++i) many += "1;e=" + std::string(7, 'v') + "\r\nx\r\n";  // 10 bytes each
  only(with_fields("Transfer-Encoding: chunked\r\n", many + "0\r\n\r\n"), o);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", many + "0;z\r\n\r\n"), o), status::bad_request);
  // ... and starts again with the next request.
  const auto one = with_fields("Transfer-Encoding: chunked\r\n", many + "0\r\n\r\n");
  auto out = parse(one + one, o);
  EXPECT_FALSE(out.failed) << out.error.reason;
  EXPECT_EQ(out.requests.size(), 2u);
}

TEST(request_parser, refuses_chunk_extensions_over_the_default_limit_of_16_kib) {
  EXPECT_EQ(request_parser_options{}.max_chunk_extensions, 16u * 1024);
  only(with_fields("Transfer-Encoding: chunked\r\n", "1;e=" + std::string(16 * 1024 - 3, 'v') + "\r\nx\r\n0\r\n\r\n"));
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n",
                                "1;e=" + std::string(16 * 1024 - 2, 'v') + "\r\nx\r\n0\r\n\r\n")),
            status::bad_request);
}

TEST(request_parser, drops_chunked_trailer_fields) {
  auto r = only(with_fields("Transfer-Encoding: chunked\r\n", "1\r\nx\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n"));
  EXPECT_EQ(r.body, "x");
  EXPECT_FALSE(r.headers.contains("Expires"));
}

TEST(request_parser, parses_a_request_split_at_every_offset) {
  const std::string bytes = with_fields("Content-Length: 4\r\nX-Y: z\r\n", "body");
  const auto whole = parse(bytes);
  ASSERT_EQ(whole.requests.size(), 1u);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) EXPECT_EQ(parse(bytes, {}, {cut}), whole) << "cut at " << cut;
  EXPECT_EQ(parse_bytewise(bytes), whole);
}

TEST(request_parser, returns_nothing_until_a_request_is_complete) {
  request_parser p;
  p.feed("GET / HTTP/1.1\r\nHost: h\r\n");
  EXPECT_FALSE(p.next());
  EXPECT_FALSE(p.idle());
  p.feed("\r");
  EXPECT_FALSE(p.next());
  p.feed("\n");
  EXPECT_TRUE(p.next());
  EXPECT_TRUE(p.idle());
  EXPECT_FALSE(p.failed());
}

// Pipelining.

TEST(request_parser, returns_pipelined_requests_in_order) {
  const std::string bytes = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n" + with_fields("Content-Length: 2\r\n", "ab") +
                            with_fields("Transfer-Encoding: chunked\r\n", "1\r\nc\r\n0\r\n\r\n") +
                            "GET /4 HTTP/1.0\r\n\r\n";
  auto out = parse(bytes);
  ASSERT_EQ(out.requests.size(), 4u);
  EXPECT_EQ(out.requests[0].target, "/1");
  EXPECT_EQ(out.requests[1].body, "ab");
  EXPECT_EQ(out.requests[2].body, "c");
  EXPECT_EQ(out.requests[3].target, "/4");
  EXPECT_TRUE(out.idle);
}

TEST(request_parser, hands_out_one_request_per_next_call) {
  request_parser p;
  p.feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3");
  EXPECT_EQ(p.next()->target, "/1");
  EXPECT_FALSE(p.idle());
  EXPECT_EQ(p.next()->target, "/2");
  EXPECT_FALSE(p.next());
  p.feed(" HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(p.next()->target, "/3");
}

TEST(request_parser, parses_thousands_of_pipelined_requests_from_one_buffer) {
  std::string bytes;
  for (int i = 0; i < 5000; ++i) bytes += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
  auto out = parse(bytes);
  ASSERT_EQ(out.requests.size(), 5000u);
  EXPECT_EQ(out.requests[4999].target, "/4999");
}

TEST(request_parser, delivers_requests_before_a_malformed_one) {
  auto out = parse("GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\nHost: h\r\n\r\n");
  ASSERT_EQ(out.requests.size(), 1u);
  EXPECT_EQ(out.requests[0].target, "/ok");
  EXPECT_TRUE(out.failed);
}

// End of input.

TEST(request_parser, ends_cleanly_between_requests) {
  auto out = parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_TRUE(out.idle);
  EXPECT_FALSE(out.failed);
}

TEST(request_parser, fails_an_incomplete_request_at_end_of_input) {
  for (std::string_view cut :
       {"G", "GET / HTTP/1.1\r\nHost: h\r\n", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab"}) {
    auto out = parse(cut);
    EXPECT_TRUE(out.failed) << cut;
    EXPECT_EQ(out.error.status, status::bad_request);
    EXPECT_EQ(out.error.reason, "incomplete request");
  }
}

TEST(request_parser, still_hands_out_complete_requests_after_finish) {
  request_parser p;
  p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /partial");
  p.finish();
  EXPECT_TRUE(p.next());
  EXPECT_FALSE(p.next());
  EXPECT_TRUE(p.failed());
}

// 400 Bad Request.

TEST(request_parser, refuses_bare_lf_line_endings) {
  EXPECT_EQ(refused("GET / HTTP/1.1\nHost: h\n\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\n\n"), status::bad_request);
  EXPECT_EQ(refused("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\n\r\n").error.reason, "bare LF");
}

TEST(request_parser, refuses_a_bare_cr) {
  EXPECT_EQ(refused("GET / HTTP/1.1\rHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\n\rx"), status::bad_request);
}

TEST(request_parser, refuses_whitespace_before_the_colon) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_obs_fold) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\t2\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_whitespace_before_the_first_field_line) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\n Host: h\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_method_that_is_not_a_token) {
  EXPECT_EQ(refused("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused(" GET / HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_field_name_that_is_not_a_token) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX/Y: 1\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\n: 1\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX\xc3\xa9: 1\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_field_line_without_a_colon) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX-A\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_control_characters_in_field_values) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"s), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: h\r\nX: a\x1b[0m\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_request_line_without_single_spaces) {
  EXPECT_EQ(refused("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET /  HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_request_line_without_a_version) {
  EXPECT_EQ(refused("GET /\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_malformed_version) {
  for (std::string_view v :
       {"http/1.1", "HTTP/1.10", "HTTP/1", "HTTP/1.", "HTTP/11", "HTTP/a.b", "HTTPS/1.1", "HTTP/1.1x"})
    EXPECT_EQ(refused("GET / "s.append(v).append("\r\nHost: h\r\n\r\n")), status::bad_request) << v;
}

TEST(request_parser, refuses_control_and_non_ascii_characters_in_the_target) {
  EXPECT_EQ(refused("GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_content_length_that_is_not_digits) {
  for (std::string_view v : {"+5", "-1", "5a", "0x5", "5 5", "", " ", "5,", ",5", "1e3", "5;"})
    EXPECT_EQ(refused(with_fields("Content-Length: "s.append(v).append("\r\n"), "abcde")), status::bad_request) << v;
}

TEST(request_parser, refuses_differing_content_lengths) {
  EXPECT_EQ(refused(with_fields("Content-Length: 3\r\nContent-Length: 4\r\n", "abcd")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Content-Length: 3, 4\r\n", "abcd")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Content-Length: 0\r\nContent-Length: 00, 1\r\n", "abcd")), status::bad_request);
}

TEST(request_parser, refuses_content_length_with_transfer_encoding) {
  EXPECT_EQ(refused(with_fields("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
            status::bad_request);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n")),
            status::bad_request);
}

TEST(request_parser, refuses_transfer_encoding_in_http_1_0) {
  EXPECT_EQ(refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_transfer_encoding_whose_final_coding_is_not_chunked) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: gzip\r\n")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked, gzip\r\n")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: \r\n")), status::bad_request);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked;x=1\r\n")), status::bad_request);
}

TEST(request_parser, refuses_chunked_applied_twice) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n")), status::bad_request);
}

TEST(request_parser, refuses_http_1_1_without_host) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\n\r\n"), status::bad_request);
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nX: y\r\n\r\n").error.reason, "no Host");
}

TEST(request_parser, refuses_more_than_one_host) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_an_invalid_host) {
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), status::bad_request);
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nHost: a@b\r\n\r\n"), status::bad_request);
}

TEST(request_parser, refuses_a_malformed_chunk_size) {
  for (std::string_view chunks : {"x\r\n", "\r\n", "5 5\r\nhello\r\n0\r\n\r\n", "-1\r\n", "5 \r\nhello\r\n0\r\n\r\n",
                                  "5\nhello\r\n0\r\n\r\n", "5;\x01\r\nhello\r\n0\r\n\r\n", "0x5\r\nhello\r\n0\r\n\r\n"})
    EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", chunks)), status::bad_request) << chunks;
}

TEST(request_parser, refuses_chunk_data_longer_than_its_size) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", "3\r\nabcd\r\n0\r\n\r\n")), status::bad_request);
}

TEST(request_parser, refuses_a_malformed_trailer_field) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", "0\r\nX : y\r\n\r\n")), status::bad_request);
}

TEST(request_parser, refuses_a_chunk_size_of_more_than_4_kib_of_digits) {
  auto chunks = std::string(5000, '0') + "1\r\nx\r\n0\r\n\r\n";
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", chunks)), status::bad_request);
}

TEST(request_parser, accepts_a_chunk_size_of_exactly_4_kib_of_digits_with_or_without_extensions) {
  const auto digits = std::string(4095, '0') + "1";
  EXPECT_EQ(only(with_fields("Transfer-Encoding: chunked\r\n", digits + "\r\nx\r\n0\r\n\r\n")).body, "x");
  EXPECT_EQ(only(with_fields("Transfer-Encoding: chunked\r\n", digits + ";a\r\nx\r\n0\r\n\r\n")).body, "x");
}

TEST(request_parser, counts_chunk_size_digits_apart_from_the_request_line) {
  // A request line of 5 KiB is within max_request_line; its bytes are no chunk size's.
  const std::string line = "POST /" + std::string(5 * 1024, 'a') + " HTTP/1.1\r\n";
  auto r = only(line + "Host: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n");
  EXPECT_EQ(r.body, "x");
}

// 413, 414, 431: limits.

TEST(request_parser, refuses_a_content_length_over_max_body_before_the_body_arrives) {
  request_parser p({.max_body = 10});
  p.feed(with_fields("Content-Length: 11\r\n"));
  EXPECT_FALSE(p.next());
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::content_too_large);
}

TEST(request_parser, accepts_a_body_of_exactly_max_body) {
  EXPECT_EQ(only(with_fields("Content-Length: 10\r\n", "0123456789"), {.max_body = 10}).body.size(), 10u);
  const auto chunked = with_fields("Transfer-Encoding: chunked\r\n", "4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n");
  EXPECT_EQ(only(chunked, {.max_body = 10}).body.size(), 10u);
}

TEST(request_parser, refuses_a_content_length_too_large_for_64_bits_with_413) {
  EXPECT_EQ(refused(with_fields("Content-Length: 99999999999999999999999999\r\n")), status::content_too_large);
  EXPECT_EQ(refused(with_fields("Content-Length: 18446744073709551617\r\n")), status::content_too_large);
  EXPECT_EQ(only(with_fields("Content-Length: 0000000000000000000000000001\r\n", "x")).body, "x");
}

TEST(request_parser, refuses_a_chunked_body_over_max_body) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", "6\r\n012345\r\n5\r\n"), {.max_body = 10}),
            status::content_too_large);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: chunked\r\n", "ffffffffffffffffffffffff\r\n")),
            status::content_too_large);
}

TEST(request_parser, refuses_a_request_line_over_the_limit_before_it_ends) {
  request_parser p({.max_request_line = 64});
  p.feed("GET /" + std::string(100, 'a'));
  EXPECT_FALSE(p.next());
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::uri_too_long);
}

TEST(request_parser, accepts_a_request_line_of_exactly_the_limit) {
  const std::string line = "GET /" + std::string(64 - 16, 'a') + " HTTP/1.1\r\n";
  ASSERT_EQ(line.size(), 64u);
  only(line + "Host: h\r\n\r\n", {.max_request_line = 64});
  EXPECT_EQ(refused("GET /a" + line.substr(5) + "Host: h\r\n\r\n", {.max_request_line = 64}), status::uri_too_long);
}

TEST(request_parser, counts_empty_lines_before_a_request_line_against_its_limit) {
  std::string empty_lines;
  for (int i = 0; i < 40; ++i) empty_lines += "\r\n";
  EXPECT_EQ(refused(empty_lines + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", {.max_request_line = 64}), status::uri_too_long);
}

TEST(request_parser, refuses_a_header_section_over_the_limit_before_it_ends) {
  request_parser p({.max_header_bytes = 100});
  p.feed("GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + std::string(200, 'v'));
  EXPECT_FALSE(p.next());
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::request_header_fields_too_large);
}

TEST(request_parser, accepts_a_header_section_of_exactly_the_limit) {
  // "Host: h\r\n" (9) + "X: " (3) + value + "\r\n" (2) + "\r\n" (2) == 100
  const std::string fields = "Host: h\r\nX: " + std::string(100 - 16, 'v') + "\r\n\r\n";
  ASSERT_EQ(fields.size(), 100u);
  only("GET / HTTP/1.1\r\n" + fields, {.max_header_bytes = 100});
  EXPECT_EQ(refused("GET / HTTP/1.1\r\nX" + fields, {.max_header_bytes = 100}),
            status::request_header_fields_too_large);
}

TEST(request_parser, refuses_more_fields_than_max_header_count) {
  std::string fields = "Host: h\r\n";
  for (int i = 0; i < 9; ++i) fields += "X: " + std::to_string(i) + "\r\n";
  only("GET / HTTP/1.1\r\n" + fields + "\r\n", {.max_header_count = 10});
  EXPECT_EQ(refused("GET / HTTP/1.1\r\n" + fields + "Y: z\r\n\r\n", {.max_header_count = 10}),
            status::request_header_fields_too_large);
}

TEST(request_parser, counts_trailer_fields_against_the_header_limits) {
  const auto chunked = with_fields("Transfer-Encoding: chunked\r\n", "1\r\nx\r\n0\r\nT: 1\r\nT: 2\r\n\r\n");
  EXPECT_EQ(refused(chunked, {.max_header_count = 3}), status::request_header_fields_too_large);
  only(chunked, {.max_header_count = 4});
}

// 501, 505.

TEST(request_parser, refuses_transfer_codings_other_than_chunked_with_501) {
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n")), status::not_implemented);
  EXPECT_EQ(refused(with_fields("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
            status::not_implemented);
}

TEST(request_parser, refuses_major_versions_other_than_1_with_505) {
  for (std::string_view v : {"HTTP/0.9", "HTTP/2.0", "HTTP/3.1", "HTTP/9.9"})
    EXPECT_EQ(refused("GET / "s.append(v).append("\r\nHost: h\r\n\r\n")), status::http_version_not_supported) << v;
}

// Where a request stands, and Expect (RFC 9110 §10.1.1).

TEST(request_parser, tells_whether_it_waits_for_a_request_its_head_or_its_body) {
  request_parser p;
  EXPECT_EQ(p.stage(), parse_stage::idle);
  p.feed("P");
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::head);
  p.feed(with_fields("Content-Length: 2\r\n").substr(1));
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::body);
  p.feed("ab");
  EXPECT_TRUE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::idle);
  // A chunked body's trailers are part of the body stage.
  p.feed(with_fields("Transfer-Encoding: chunked\r\n", "1\r\nx\r\n0\r\nX-Sum: 1\r\n"));
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::body);
  p.feed("\r\n");
  EXPECT_TRUE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::idle);
}

TEST(request_parser, asks_for_100_continue_from_the_end_of_the_head_until_the_first_body_byte) {
  request_parser p;
  p.feed(with_fields("Expect: 100-continue\r\nContent-Length: 5\r\n"));
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::body);
  EXPECT_TRUE(p.expects_continue());
  p.feed("he");
  EXPECT_FALSE(p.next());
  EXPECT_FALSE(p.expects_continue());
  p.feed("llo");
  EXPECT_EQ(p.next()->body, "hello");
  EXPECT_FALSE(p.expects_continue());
}

TEST(request_parser, reads_100_continue_in_any_case_for_chunked_bodies_too) {
  request_parser p;
  p.feed(with_fields("expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n"));
  EXPECT_FALSE(p.next());
  EXPECT_TRUE(p.expects_continue());
  p.feed("0\r\n\r\n");
  EXPECT_TRUE(p.next());
  EXPECT_FALSE(p.expects_continue());
}

TEST(request_parser, does_not_ask_for_100_continue_without_a_body_or_in_http_1_0) {
  request_parser p;
  p.feed(with_fields("Expect: 100-continue\r\nContent-Length: 0\r\n"));
  EXPECT_TRUE(p.next());
  EXPECT_FALSE(p.expects_continue());
  // An HTTP/1.0 client cannot expect it (RFC 9110 §10.1.1: ignore it).
  p.feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::body);
  EXPECT_FALSE(p.expects_continue());
  p.feed("abc");
  EXPECT_TRUE(p.next());
  p.feed(with_fields("Content-Length: 3\r\n"));
  EXPECT_FALSE(p.next());
  EXPECT_EQ(p.stage(), parse_stage::body);
  EXPECT_FALSE(p.expects_continue());
}

TEST(request_parser, refuses_an_unknown_expectation_with_417_before_the_body) {
  for (std::string_view expect : {"x", "100-continue, x", "100-continue;a=b", "101-continue", "100-continue=1"}) {
    request_parser p;
    p.feed(with_fields("Expect: "s.append(expect) + "\r\nContent-Length: 5\r\n"));
    EXPECT_FALSE(p.next()) << expect;
    ASSERT_TRUE(p.failed()) << expect;
    EXPECT_EQ(p.error().status, status::expectation_failed) << expect;
    EXPECT_FALSE(p.expects_continue()) << expect;
  }
  EXPECT_EQ(refused("GET / HTTP/1.0\r\nExpect: x\r\n\r\n"), status::expectation_failed);
  // Empty list elements are no expectation.
  EXPECT_EQ(only(with_fields("Expect: ,\r\nExpect:\r\nContent-Length: 1\r\n", "x")).body, "x");
}

TEST(request_parser, answers_a_content_length_over_max_body_with_413_rather_than_100_continue) {
  request_parser p({.max_body = 4});
  p.feed(with_fields("Expect: 100-continue\r\nContent-Length: 5\r\n"));
  EXPECT_FALSE(p.next());
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::content_too_large);
  EXPECT_FALSE(p.expects_continue());
}

// After an error.

TEST(request_parser, stays_failed_after_an_error) {
  request_parser p;
  p.feed("GET / HTTP/1.1\r\nHost : h\r\n\r\n");
  EXPECT_FALSE(p.next());
  ASSERT_TRUE(p.failed());
  const auto first = p.error();
  p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_FALSE(p.next());
  EXPECT_TRUE(p.failed());
  EXPECT_FALSE(p.idle());
  EXPECT_EQ(p.error().status, first.status);
  EXPECT_EQ(p.error().reason, first.reason);
}

// Streaming bodies: next_head() and read_body().

TEST(request_parser, hands_out_a_head_before_its_content_length_body_arrives) {
  request_parser p;
  p.feed("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
  auto head = p.next_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->target, "/up");
  EXPECT_EQ(head->headers.get("Content-Length"), "10");
  EXPECT_TRUE(head->body.empty());
  EXPECT_TRUE(p.body_pending());
  std::string body;
  EXPECT_FALSE(p.read_body(body));
  EXPECT_EQ(body, "abc");
  p.feed("defghij");
  EXPECT_TRUE(p.read_body(body));
  EXPECT_EQ(body, "abcdefghij");
  EXPECT_FALSE(p.body_pending());
  EXPECT_TRUE(p.idle());
}

TEST(request_parser, streams_a_chunked_body_decoded_chunk_by_chunk) {
  request_parser p;
  p.feed(with_fields("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n"));
  ASSERT_TRUE(p.next_head());
  std::string body;
  EXPECT_FALSE(p.read_body(body));
  EXPECT_EQ(body, "abc");
  body.clear();
  p.feed("4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n");
  EXPECT_TRUE(p.read_body(body));
  EXPECT_EQ(body, "defg");
}

TEST(request_parser, gives_no_next_head_until_the_pending_body_is_complete) {
  request_parser p;
  p.feed(with_fields("Content-Length: 2\r\n", "x") + "");
  ASSERT_TRUE(p.next_head());
  p.feed("yGET /second HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_FALSE(p.next_head());
  EXPECT_FALSE(p.next());
  std::string body;
  EXPECT_TRUE(p.read_body(body));
  EXPECT_EQ(body, "xy");
  auto second = p.next_head();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->target, "/second");
  EXPECT_FALSE(p.body_pending());  // no body: complete at once
}

TEST(request_parser, refuses_a_streamed_chunked_body_over_max_body_with_413_mid_body) {
  request_parser p({.max_body = 4});
  p.feed(with_fields("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n"));
  ASSERT_TRUE(p.next_head());
  std::string body;
  EXPECT_FALSE(p.read_body(body));
  EXPECT_FALSE(p.failed());
  p.feed("3\r\ndef\r\n");
  EXPECT_FALSE(p.read_body(body));
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::content_too_large);
}

TEST(request_parser, fails_a_streamed_body_cut_short_by_the_peer_with_400) {
  request_parser p;
  p.feed(with_fields("Content-Length: 5\r\n", "ab"));
  ASSERT_TRUE(p.next_head());
  std::string body;
  EXPECT_FALSE(p.read_body(body));
  p.finish();
  EXPECT_FALSE(p.read_body(body));
  ASSERT_TRUE(p.failed());
  EXPECT_EQ(p.error().status, status::bad_request);
}

TEST(request_parser, expects_continue_after_a_streamed_head_until_body_bytes_are_read) {
  request_parser p;
  p.feed(with_fields("Content-Length: 3\r\nExpect: 100-continue\r\n"));
  ASSERT_TRUE(p.next_head());
  EXPECT_TRUE(p.expects_continue());
  p.feed("abc");
  std::string body;
  EXPECT_TRUE(p.read_body(body));
  EXPECT_FALSE(p.expects_continue());
}

}  // namespace
}  // namespace wasync::http::testing
