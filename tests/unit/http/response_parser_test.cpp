// response_parser: framing, interim responses and refusals, on fixed examples.
#include <gtest/gtest.h>

#include "wasync/http/response_parser.hpp"

namespace wasync::http::testing {
namespace {

struct parsed {
  std::optional<response_head> head;
  std::string body;
  bool done = false;
  std::string error;
};

parsed parse_all(std::string_view wire, std::string_view method = "GET", bool close = false) {
  response_parser p(method);
  parsed out;
  p.feed(wire);
  if (close) p.finish();
  out.head = p.head();
  out.body = p.take_body();
  out.done = p.done();
  out.error = std::string(p.error());
  return out;
}

TEST(response_parser, content_length_body) {
  auto r = parse_all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b \r\n\r\nhello");
  ASSERT_TRUE(r.head);
  EXPECT_EQ(r.head->status, 200);
  EXPECT_EQ(r.head->reason, "OK");
  EXPECT_EQ(r.head->headers.get("x-a"), "b");
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.done);
}

TEST(response_parser, chunked_body_with_extensions_and_trailers) {
  auto r = parse_all(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "4;name=value\r\nwasy\r\nA\r\nnc chunked\r\n0\r\nTrailer: x\r\n\r\n");
  EXPECT_EQ(r.body, "wasync chunked");
  EXPECT_TRUE(r.done) << r.error;
}

TEST(response_parser, a_body_without_length_runs_until_the_peer_closes) {
  response_parser p;
  p.feed("HTTP/1.0 200 OK\r\n\r\nsome ");
  EXPECT_EQ(p.head()->version_minor, 0);
  p.feed("bytes");
  EXPECT_FALSE(p.done());
  p.finish();
  EXPECT_EQ(p.take_body(), "some bytes");
  EXPECT_TRUE(p.done());
}

TEST(response_parser, head_requests_204_and_304_have_no_body) {
  EXPECT_TRUE(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "HEAD").done);
  EXPECT_TRUE(parse_all("HTTP/1.1 204 No Content\r\n\r\n").done);
  EXPECT_TRUE(parse_all("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").done);
}

TEST(response_parser, interim_100_continue_is_skipped) {
  auto r = parse_all("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_TRUE(r.head);
  EXPECT_EQ(r.head->status, 201);
  EXPECT_EQ(r.body, "ok");
}

TEST(response_parser, an_empty_reason_phrase_is_fine) {
  auto r = parse_all("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(r.head) << r.error;
  EXPECT_EQ(r.head->status, 404);
  EXPECT_EQ(r.head->reason, "");
  EXPECT_TRUE(parse_all("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").done);
}

TEST(response_parser, bytes_after_the_response_are_left_over) {
  response_parser p;
  p.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1");
  EXPECT_TRUE(p.done());
  EXPECT_EQ(p.take_body(), "ok");
  EXPECT_EQ(p.leftover(), "HTTP/1.1");
}

TEST(response_parser, malformed_heads_fail) {
  for (const char* bad : {
           "HTTP/2 200 OK\r\n\r\n",
           "HTTP/1.1 20 OK\r\n\r\n",
           "HTTP/1.1 200OK\r\n\r\n",
           "HTTP/1.1 200 OK\n\r\n\r\n",
           "HTTP/1.1 200 OK\r\nName : v\r\n\r\n",
           "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n",
           "HTTP/1.1 200 OK\r\nBad\x01Name: v\r\n\r\n",
       }) {
    response_parser p;
    p.feed(bad);
    EXPECT_TRUE(p.failed()) << bad;
    EXPECT_FALSE(p.head()) << bad;
  }
}

TEST(response_parser, malformed_chunks_fail) {
  for (const char* bad : {"zz\r\n", "4\r\nabcdef\r\n", "-1\r\n", "4;\r\n", "4;a=\"b\r\n", "4;a=\r\n", "4;a b\r\n",
                          "4 \r\n", "4;a=\"b\"c\r\n", "0;\r\n\r\n"}) {
    response_parser p;
    p.feed(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") + bad);
    EXPECT_TRUE(p.failed()) << bad;
  }
}

TEST(response_parser, trailer_fields_are_held_to_the_rules_of_header_fields) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n";
  EXPECT_TRUE(parse_all(head + "Checksum: 1\r\n\r\n").done);
  for (const char* bad : {"Checksum : 1\r\n", " folded\r\n", "No colon\r\n", "Bad\x01Name: 1\r\n", "A: b\x01\r\n"}) {
    response_parser p;
    p.feed(head + bad + "\r\n");
    EXPECT_TRUE(p.failed()) << bad;
  }
}

TEST(response_parser, accepts_every_chunk_extension_form_of_rfc_9112) {
  for (const char* ext : {";a", " ; a", ";a = b", ";a=\"q;\\\"x\\\" y\"", ";a;b=c;d=\"e\""}) {
    auto r = parse_all(std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4") + ext + "\r\nwasy\r\n0" +
                       ext + "\r\n\r\n");
    EXPECT_TRUE(r.done) << ext << ": " << r.error;
    EXPECT_EQ(r.body, "wasy") << ext;
  }
}

TEST(response_parser, a_response_cut_short_fails_at_finish) {
  for (const char* cut : {"HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc",
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}) {
    response_parser p;
    p.feed(cut);
    EXPECT_FALSE(p.failed()) << cut;
    p.finish();
    EXPECT_TRUE(p.failed()) << cut;
  }
}

TEST(response_parser, an_oversized_head_fails_before_it_ends) {
  response_parser p("GET", {.max_head_bytes = 100});
  p.feed("HTTP/1.1 200 OK\r\nX: " + std::string(200, 'a'));
  EXPECT_TRUE(p.failed());
}

}  // namespace
}  // namespace wasync::http::testing
