// request_parser properties over generated input (fixed seeds, reproducible):
// how bytes are split never changes the outcome, valid requests come out as
// generated, and thousands of mutated requests each end in requests that
// re-serialize consistently and either a clean end or a refusal status; the
// streaming interface (next_head, read_body) always agrees with next().
// Each random draw is its own statement: C++ leaves the order of operands
// unspecified, and the sequences must match on every compiler.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "http_test_support.hpp"
#include "wasync/http/request_parser.hpp"

namespace wasync::http::testing {
namespace {

constexpr std::string_view token_chars =
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view target_chars = "abcxyzABC0123456789-._~%!$&'()*+,;=:@/?#[]";
constexpr std::string_view value_chars = "abcdefXYZ0123456789 \t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x80\xc3\xa9\xff";
constexpr std::string_view ows = " \t";

std::string ows_run(rng& g) { return g.percent(70) ? "" : g.text(ows, 1, 3); }

/// A valid request, as bytes with optional variation, and as the parser must return it.
struct generated {
  std::string wire;
  request model;
};

generated valid_request(rng& g) {
  generated out;
  request& m = out.model;
  static constexpr std::array<std::string_view, 7> methods{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"};
  m.method = g.percent(85) ? std::string(g.pick(methods)) : g.text(token_chars, 1, 12);
  m.target = g.percent(5)   ? "*"
             : g.percent(5) ? "http://example.com:8080/" + g.text(target_chars, 0, 20)
                            : "/" + g.text(target_chars, 0, 40);
  m.version = g.percent(80) ? version::http_1_1 : version::http_1_0;

  std::string& w = out.wire;
  for (auto n = g.percent(5) ? 1 + g.below(3) : 0; n != 0; --n) w += "\r\n";
  const char* wire_version = m.version == version::http_1_0 ? "HTTP/1.0" : g.percent(10) ? "HTTP/1.5" : "HTTP/1.1";
  w += m.method + ' ' + m.target + ' ' + wire_version + "\r\n";

  // Fields: Host where required, some repeated names, a framing choice.
  std::vector<header> fields;
  static constexpr std::array<std::string_view, 6> names{"Accept", "X-Tag", "x-tag",
                                                          "User-Agent", "Cookie", "Connection"};
  for (auto n = g.below(8); n != 0; --n) {
    std::string name = g.percent(80) ? std::string(g.pick(names)) : g.text(token_chars, 1, 16);
    std::string value = g.text(value_chars, 0, 30);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    fields.push_back({std::move(name), std::move(value)});
  }
  std::erase_if(fields, [](const header& f) {  // the generated names never collide with framing by chance
    return iequals(f.name, "Host") || iequals(f.name, "Content-Length") || iequals(f.name, "Transfer-Encoding");
  });
  if (m.version == version::http_1_1 || g.percent(50)) {
    std::string host = g.percent(50) ? "example.com:8080" : g.text("abcxyz0123456789.-[]:", 0, 20);
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(g.below(fields.size() + 1)), {"Host", host});
  }

  const auto framing = g.below(10);  // 0-4 none, 5-7 Content-Length, 8-9 chunked (1.1 only)
  m.body = g.bytes(g.percent(5) ? g.below(3000) : g.below(200));
  std::string chunked_body;
  if (framing >= 8 && m.version == version::http_1_1) {
    fields.push_back(
        {g.percent(50) ? "Transfer-Encoding" : "transfer-encoding", g.percent(80) ? "chunked" : "Chunked"});
    for (std::size_t at = 0; at < m.body.size();) {
      const auto n = std::min(m.body.size() - at, 1 + g.below(64));
      // Not (c ? "..." : "...")[i]: GCC 12 with -fsanitize=shift or
      // signed-integer-overflow indexes the wrong literal.
      const std::string_view digits = g.percent(50) ? "0123456789abcdef" : "0123456789ABCDEF";
      std::string size;
      for (auto v = n; v != 0; v /= 16) size.insert(size.begin(), digits[v % 16]);
      chunked_body += std::string(g.below(3), '0') + size;
      if (g.percent(10)) chunked_body += ";ext=\"v\"";
      chunked_body += "\r\n" + m.body.substr(at, n) + "\r\n";
      at += n;
    }
    chunked_body += g.percent(20) ? "0;last\r\n" : "0\r\n";
    for (auto n = g.percent(20) ? 1 + g.below(2) : 0; n != 0; --n)
      chunked_body += "X-Trailer: " + g.text(value_chars, 0, 10) + "x\r\n";
    chunked_body += "\r\n";
  } else if (framing >= 5 || !m.body.empty()) {
    auto n = std::to_string(m.body.size());
    fields.push_back({"Content-Length", g.percent(10) ? n + ", " + n : g.percent(10) ? "00" + n : n});
  }

  for (auto& f : fields) {
    w += f.name + ':' + ows_run(g) + f.value;
    w += ows_run(g) + "\r\n";
    m.headers.add(std::move(f.name), std::move(f.value));
  }
  w += "\r\n";
  w += chunked_body.empty() && !m.headers.contains("Transfer-Encoding") ? m.body : chunked_body;
  return out;
}

/// Random ascending cut points inside `n` bytes.
std::vector<std::size_t> random_cuts(rng& g, std::size_t n) {
  std::vector<std::size_t> cuts;
  for (std::size_t at = 0; n > 1;) {
    at += 1 + g.below(g.percent(30) ? 4 : 200);
    if (at >= n) break;
    cuts.push_back(at);
  }
  return cuts;
}

TEST(request_parser_property, generated_valid_requests_parse_to_their_model_however_they_are_split) {
  rng g(0x5eed0001);
  std::size_t requests = 0, pipelines = 0, bytes = 0;
  for (int i = 0; i < 2000; ++i) {
    // One to four requests in a row on one connection.
    std::string wire;
    outcome expected;
    expected.idle = true;
    for (auto n = 1 + g.below(g.percent(30) ? 4 : 1); n != 0; --n) {
      auto r = valid_request(g);
      wire += r.wire;
      expected.requests.push_back(std::move(r.model));
    }
    requests += expected.requests.size();
    pipelines += expected.requests.size() > 1;
    bytes += wire.size();
    ASSERT_EQ(parse(wire), expected) << "input #" << i;
    ASSERT_EQ(parse(wire, {}, random_cuts(g, wire.size())), expected) << "input #" << i;
    ASSERT_EQ(parse_bytewise(wire), expected) << "input #" << i;
    ASSERT_EQ(parse_streaming(wire, {}, random_cuts(g, wire.size())), expected) << "input #" << i;
    ASSERT_EQ(invariant_violation(expected, {}), "") << "input #" << i;
  }
  std::printf(
      "[ property ] 2000 valid inputs: %zu requests (%zu pipelined inputs), %zu bytes, "
      "each whole, in random pieces and byte by byte\n",
      requests, pipelines, bytes);
}

/// One random change to a request's bytes, from byte flips to oversized fields.
void mutate(rng& g, std::string& s) {
  static constexpr std::string_view special = std::string_view("\r\n \t:;,0123456789aAfF/\x00\x7f\x80\xff-\"", 26);
  static constexpr std::array<std::string_view, 12> tokens{
      "\r\n", "\n", "\r", " ", "HTTP/1.1", "HTTP/2.0", "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n",
      "Transfer-Encoding: gzip\r\n", "Host: h\r\n", "0\r\n\r\n", "Connection: close\r\n"};
  // Words and what they may turn into: other versions, codings, framings.
  static constexpr std::array<std::array<std::string_view, 2>, 8> rewrites{{
      {"HTTP/1.1", "HTTP/2.0"}, {"HTTP/1.", "HTTP/0."}, {"chunked", "gzip, chunked"}, {"chunked", "chunked, chunked"},
      {"Content-Length", "Transfer-Encoding"}, {"Transfer-Encoding", "Content-Length"}, {"Host", "X-Host"},
      {"\r\n", "\n"}}};
  const auto at = g.below(s.size() + 1);
  switch (g.below(12)) {
    case 0:  // flip a byte to anything
      if (!s.empty()) s[g.below(s.size())] = static_cast<char>(g.below(256));
      break;
    case 1:  // flip a byte to a delimiter or a digit
      if (!s.empty()) s[g.below(s.size())] = g.pick(special);
      break;
    case 2:  // insert delimiters
      s.insert(at, g.text(special, 1, 3));
      break;
    case 3:  // delete a few bytes
      s.erase(at, 1 + g.below(8));
      break;
    case 4:  // truncate
      s.resize(at);
      break;
    case 5: {  // duplicate a slice elsewhere (repeated fields, lines, bodies)
      const auto from = g.below(s.size() + 1);
      const auto slice = s.substr(from, g.below(64));
      s.insert(g.below(s.size() + 1), slice);
      break;
    }
    case 6: {  // an oversized run: request line, field value, or digits
      const auto n = 100 + g.below(20000);
      s.insert(at, std::string(n, g.pick("a0f ,")));
      break;
    }
    case 7: {  // many copies of one field line
      std::string line = "X-Many: " + g.text(value_chars, 0, 20) + "\r\n";
      const auto crlf = s.find("\r\n");
      std::string lines;
      for (auto n = 5 + g.below(200); n != 0; --n) lines += line;
      s.insert(crlf == std::string::npos ? at : crlf + 2, lines);
      break;
    }
    case 8:  // splice in a protocol fragment
      s.insert(at, g.pick(tokens));
      break;
    case 9:  // flip letter case
      if (!s.empty()) s[g.below(s.size())] ^= 0x20;
      break;
    case 10: {  // rewrite a protocol word
      const auto& [from, to] = g.pick(rewrites);
      if (auto found = s.find(from, g.below(s.size() + 1) / 2); found != std::string::npos)
        s.replace(found, from.size(), to);
      break;
    }
    default:  // garbage, sometimes after a valid prefix
      s = g.percent(50) ? s.substr(0, at) : std::string();
      s += g.bytes(g.below(400));
      break;
  }
}

TEST(request_parser_property, mutated_requests_end_in_valid_requests_and_a_clean_end_or_a_refusal) {
  rng g(0x5eed0002);
  constexpr int inputs = 20000;
  const request_parser_options small{
      .max_request_line = 128, .max_header_bytes = 512, .max_header_count = 8, .max_body = 256};
  std::map<int, std::size_t> refusals;
  std::size_t clean = 0, requests = 0, bytes = 0, still_valid = 0;
  for (int i = 0; i < inputs; ++i) {
    std::string input = valid_request(g).wire;
    if (g.percent(20)) input += valid_request(g).wire;
    for (auto n = 1 + g.below(3); n != 0; --n) mutate(g, input);
    const auto options = i % 2 == 0 ? request_parser_options{} : small;

    const auto whole = parse(input, options);
    ASSERT_EQ(parse(input, options, random_cuts(g, input.size())), whole) << "input #" << i;
    ASSERT_EQ(parse_streaming(input, options, random_cuts(g, input.size())), whole) << "input #" << i;
    if (i % 8 == 0) {
      ASSERT_EQ(parse_bytewise(input, options), whole) << "input #" << i;
    }
    ASSERT_EQ(invariant_violation(whole, options), "") << "input #" << i;

    bytes += input.size();
    requests += whole.requests.size();
    if (whole.failed) {
      ++refusals[static_cast<int>(whole.error.status)];
    } else {
      ++clean;
      still_valid += !whole.requests.empty();
    }
  }
  std::string by_status;
  for (auto [code, n] : refusals) by_status += ' ' + std::to_string(code) + ':' + std::to_string(n);
  std::printf(
      "[ property ] %d mutated inputs (%zu bytes): %zu ended cleanly (%zu with requests), "
      "refused by status:%s; %zu requests re-serialized consistently\n",
      inputs, bytes, clean, still_valid, by_status.c_str(), requests);
  // The mutations must reach every refusal, or the test proves less than it claims.
  for (int code : {400, 413, 414, 431, 501, 505}) EXPECT_GT(refusals[code], 0u) << code;
}

}  // namespace
}  // namespace wasync::http::testing
