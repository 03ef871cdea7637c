// response_parser properties over generated responses (fixed seeds): any split
// of the bytes gives the same head and body as the generated response, for
// every framing; mutated responses never crash the parser and end done,
// failed or waiting, with no more body than bytes fed.
#include <gtest/gtest.h>

#include "http_test_support.hpp"
#include "wasync/http/response_parser.hpp"

namespace wasync::http::testing {
namespace {

constexpr std::string_view token_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~";
constexpr std::string_view value_chars = "abcXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x80\xff";

enum class framing { length, chunked, close, none };

struct generated {
  std::string wire;
  int status = 200;
  std::string reason;
  std::vector<header> headers;  ///< the fields the parser must report, in order
  std::string body;
  framing frame = framing::length;
};

generated valid_response(rng& g) {
  generated out;
  out.frame = static_cast<framing>(g.below(4));
  static constexpr std::array<int, 6> bodied{200, 201, 206, 302, 404, 500};
  static constexpr std::array<int, 2> bodiless{204, 304};
  out.status = out.frame == framing::none ? g.pick(bodiless) : g.pick(bodied);
  out.reason = g.percent(10) ? "" : g.text("abcdef XYZ", 1, 12);
  if (g.percent(15)) out.wire += "HTTP/1.1 100 Continue\r\n\r\n";
  out.wire += "HTTP/1.1 " + std::to_string(out.status) + " " + out.reason + "\r\n";
  const std::size_t fields = g.below(6);
  for (std::size_t i = 0; i < fields; ++i) {
    std::string name = "X-" + g.text(token_chars, 1, 10);
    std::string value = g.text(value_chars, 0, 30);
    while (!value.empty() && value.back() == ' ') value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    out.wire += name + ":" + (g.percent(50) ? " " : "") + value + "\r\n";
    out.headers.push_back({name, value});
  }
  const std::size_t size = g.percent(20) ? 0 : g.below(g.percent(10) ? 100'000 : 2'000);
  if (out.frame != framing::none) out.body = g.bytes(size);
  switch (out.frame) {
    case framing::length:
      out.wire += "Content-Length: " + std::to_string(out.body.size()) + "\r\n\r\n" + out.body;
      out.headers.push_back({"Content-Length", std::to_string(out.body.size())});
      break;
    case framing::chunked: {
      out.wire += "Transfer-Encoding: chunked\r\n\r\n";
      out.headers.push_back({"Transfer-Encoding", "chunked"});
      for (std::size_t at = 0; at < out.body.size();) {
        const std::size_t n = std::min(out.body.size() - at, 1 + g.below(5000));
        char size_hex[20];
        std::snprintf(size_hex, sizeof size_hex, g.percent(50) ? "%zx" : "%zX", n);
        out.wire += std::string(size_hex) + (g.percent(20) ? ";ext=1" : "") + "\r\n" + out.body.substr(at, n) + "\r\n";
        at += n;
      }
      out.wire += "0\r\n" + std::string(g.percent(20) ? "Trailer-Field: t\r\n" : "") + "\r\n";
      break;
    }
    case framing::close:
    case framing::none:
      out.wire += "\r\n" + out.body;
      break;
  }
  return out;
}

/// Feeds `wire` in random pieces; finish() at the end when the framing needs it.
struct outcome {
  std::optional<response_head> head;
  std::string body;
  bool done = false;
  bool failed = false;
};
outcome feed_in_pieces(rng& g, std::string_view wire, bool close) {
  response_parser p;
  outcome out;
  for (std::size_t at = 0; at < wire.size();) {
    const std::size_t n = std::min(wire.size() - at, g.percent(10) ? 1 : 1 + g.below(3000));
    p.feed(wire.substr(at, n));
    at += n;
    if (!out.head) out.head = p.head();
    out.body += p.take_body();
  }
  if (close) p.finish();
  if (!out.head) out.head = p.head();
  out.body += p.take_body();
  out.done = p.done();
  out.failed = p.failed();
  return out;
}

TEST(response_parser_property, generated_responses_parse_back_whatever_the_split) {
  rng g(20261125);
  for (int i = 0; i < 2000; ++i) {
    const generated r = valid_response(g);
    const outcome o = feed_in_pieces(g, r.wire, r.frame == framing::close);
    ASSERT_TRUE(o.done) << "response " << i;
    ASSERT_TRUE(o.head) << "response " << i;
    EXPECT_EQ(o.head->status, r.status);
    EXPECT_EQ(o.head->reason, r.reason);
    ASSERT_EQ(o.head->headers.size(), r.headers.size()) << "response " << i;
    std::size_t k = 0;
    for (const header& h : o.head->headers) EXPECT_EQ(h, r.headers[k++]) << "response " << i;
    ASSERT_EQ(o.body.size(), r.body.size()) << "response " << i;
    EXPECT_TRUE(o.body == r.body) << "response " << i;
  }
}

TEST(response_parser_property, mutated_responses_end_cleanly_with_bounded_output) {
  rng g(7);
  std::size_t done = 0, failed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string wire = valid_response(g).wire.substr(0, 6000);
    const std::size_t edits = 1 + g.below(4);
    for (std::size_t e = 0; e < edits && !wire.empty(); ++e) {
      const std::size_t at = g.below(wire.size());
      switch (g.below(3)) {
        case 0: wire[at] = static_cast<char>(g.below(256)); break;
        case 1: wire.erase(at, 1 + g.below(8)); break;
        default: wire.insert(at, g.pick(std::array<std::string_view, 5>{"\r\n", "\n", ":", " ", "0\r\n\r\n"})); break;
      }
    }
    const outcome o = feed_in_pieces(g, wire, g.percent(50));
    ASSERT_FALSE(o.done && o.failed);
    ASSERT_LE(o.body.size(), wire.size());
    done += o.done;
    failed += o.failed;
  }
  std::printf("[ property ] 20000 mutated responses: %zu done, %zu refused, %zu waiting for more\n", done, failed,
              20000 - done - failed);
  EXPECT_GT(done, 0u);
  EXPECT_GT(failed, 0u);
}

}  // namespace
}  // namespace wasync::http::testing
