// Test helpers for wasync::http: a request back to bytes, the outcome of
// parsing bytes fed in pieces, and what every outcome must satisfy. Shared by
// the unit tests and the fuzz target.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <limits>
#include <ostream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "wasync/http/request_parser.hpp"

namespace wasync::http {

/// Readable failure messages in GoogleTest.
inline void PrintTo(const request& r, std::ostream* os) {
  *os << '{' << r.method << ' ' << r.target << ' ' << to_string(r.version);
  for (const auto& f : r.headers) *os << " [" << f.name << ": " << f.value << ']';
  *os << " body " << r.body.size() << " bytes}";
}

namespace testing {

/// A seeded generator; modulo keeps sequences identical on every standard library.
struct rng {
  std::mt19937_64 engine;
  explicit rng(std::uint64_t seed) : engine(seed) {}
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(engine() % n); }
  bool percent(std::size_t p) { return below(100) < p; }
  char pick(std::string_view chars) { return chars[below(chars.size())]; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) { return items[below(N)]; }
  std::string text(std::string_view chars, std::size_t min, std::size_t max) {
    std::string s(min + below(max - min + 1), ' ');
    for (auto& c : s) c = pick(chars);
    return s;
  }
  std::string bytes(std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(below(256));
    return s;
  }
};


/// `r` as bytes that parse back to `r`: a Content-Length body as it is, a
/// chunked one (Transfer-Encoding present) as one chunk and the last chunk.
inline std::string to_wire(const request& r) {
  std::string out = r.method + ' ' + r.target + ' ' + std::string(to_string(r.version)) + "\r\n";
  for (const auto& f : r.headers) out += f.name + ": " + f.value + "\r\n";
  out += "\r\n";
  if (!r.headers.contains("Transfer-Encoding")) return out + r.body;
  if (!r.body.empty()) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string size;
    for (auto n = r.body.size(); n != 0; n /= 16) size.insert(size.begin(), hex[n % 16]);
    out += size + "\r\n" + r.body + "\r\n";
  }
  return out + "0\r\n\r\n";
}

/// Everything a parser made of one connection's input.
struct outcome {
  std::vector<request> requests;
  bool failed = false;
  parse_error error;  // when failed
  bool idle = false;  // ended between requests

  friend bool operator==(const outcome& a, const outcome& b) {
    return a.requests == b.requests && a.failed == b.failed && a.idle == b.idle &&
           (!a.failed || (a.error.status == b.error.status && a.error.reason == b.error.reason));
  }
  friend void PrintTo(const outcome& o, std::ostream* os) {
    *os << o.requests.size() << " requests";
    for (const auto& r : o.requests) PrintTo(r, os);
    if (o.failed) *os << ", failed " << static_cast<int>(o.error.status) << ' ' << o.error.reason;
    if (o.idle) *os << ", idle";
  }
};

/// Feeds `bytes` cut at the ascending offsets `cuts`, taking every request
/// after each piece as a server would, then ends the input with finish().
inline outcome parse(std::string_view bytes, request_parser_options options = {},
                     const std::vector<std::size_t>& cuts = {}) {
  request_parser parser(options);
  outcome out;
  std::size_t at = 0;
  auto drain = [&] {
    while (auto r = parser.next()) out.requests.push_back(std::move(*r));
  };
  for (auto cut : cuts) {
    parser.feed(bytes.substr(at, cut - at));
    drain();
    at = cut;
  }
  parser.feed(bytes.substr(at));
  drain();
  out.idle = parser.idle();
  parser.finish();
  drain();
  out.failed = parser.failed();
  if (out.failed) out.error = parser.error();
  return out;
}

/// parse(), streaming the bodies: next_head() then read_body() after each
/// piece, a request counted once its body is complete.
inline outcome parse_streaming(std::string_view bytes, request_parser_options options = {},
                               const std::vector<std::size_t>& cuts = {}) {
  request_parser parser(options);
  outcome out;
  std::optional<request> pending;
  std::size_t at = 0;
  auto drain = [&] {
    for (;;) {
      if (pending) {
        if (!parser.read_body(pending->body)) return;
        out.requests.push_back(std::move(*pending));
        pending.reset();
      }
      pending = parser.next_head();
      if (!pending) return;
    }
  };
  for (auto cut : cuts) {
    parser.feed(bytes.substr(at, cut - at));
    drain();
    at = cut;
  }
  parser.feed(bytes.substr(at));
  drain();
  out.idle = parser.idle();
  parser.finish();
  drain();
  out.failed = parser.failed();
  if (out.failed) out.error = parser.error();
  return out;
}

/// parse() one byte at a time.
inline outcome parse_bytewise(std::string_view bytes, request_parser_options options = {}) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  return parse(bytes, options, cuts);
}

/// What any outcome of any input must satisfy, as a message naming the first
/// broken rule, or "" when all hold. Checked independently of the parser's
/// own character tables: a refusal carries one of the statuses the parser may
/// send; otherwise the input ended between requests; each request is made of
/// valid parts, respects `options` and the framing rules, and its
/// serialization parses back to itself.
inline std::string invariant_violation(const outcome& o, const request_parser_options& options) {
  auto in = [](char c, const char* set) { return c != '\0' && std::strchr(set, c) != nullptr; };
  auto alnum = [](char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); };
  auto token = [&](std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!alnum(c) && !in(c, "!#$%&'*+-.^_`|~")) return false;
    return true;
  };
  auto visible = [](char c, bool obs_text) {
    auto u = static_cast<unsigned char>(c);
    return (u > 0x20 && u < 0x7f) || (obs_text && u >= 0x80);
  };

  if (o.failed) {
    switch (static_cast<int>(o.error.status)) {
      case 400: case 413: case 414: case 417: case 431: case 501: case 505: break;
      default: return "refused with status " + std::to_string(static_cast<int>(o.error.status));
    }
    if (o.error.reason.empty()) return "refused without a reason";
  } else if (!o.idle) {
    return "input ended inside a request without failing";
  }
  for (const auto& r : o.requests) {
    if (!token(r.method)) return "method is not a token: " + r.method;
    if (r.target.empty()) return "empty target";
    for (char c : r.target)
      if (!visible(c, false)) return "target holds an invalid byte";
    for (const auto& f : r.headers) {
      if (!token(f.name)) return "field name is not a token: " + f.name;
      for (char c : f.value)
        if (!visible(c, true) && c != ' ' && c != '\t') return "field value holds an invalid byte: " + f.name;
      if (!f.value.empty() && (in(f.value.front(), " \t") || in(f.value.back(), " \t")))
        return "field value not trimmed: " + f.name;
    }
    if (r.body.size() > options.max_body) return "body over max_body";
    const auto hosts = r.headers.count("Host");
    if (hosts > 1 || (hosts == 0 && r.version == version::http_1_1)) return "Host count";
    const bool chunked = r.headers.contains("Transfer-Encoding");
    if (chunked && r.headers.contains("Content-Length")) return "both Content-Length and Transfer-Encoding";
    if (!chunked) {
      std::size_t length = 0;
      if (auto cl = r.headers.get("Content-Length")) {
        auto digits = cl->substr(0, cl->find(','));
        while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
        for (char c : digits) length = length * 10 + static_cast<std::size_t>(c - '0');
      }
      if (r.body.size() != length) return "body size differs from Content-Length";
    }
    // Re-serialized bytes lose optional whitespace and gain a space after each
    // colon, so only the body keeps its limit here.
    request_parser_options generous{.max_request_line = std::numeric_limits<std::size_t>::max(),
                                    .max_header_bytes = std::numeric_limits<std::size_t>::max(),
                                    .max_header_count = std::numeric_limits<std::size_t>::max(),
                                    .max_body = options.max_body};
    outcome expected;
    expected.requests.push_back(r);
    expected.idle = true;
    if (!(parse(to_wire(r), generous) == expected))
      return "re-serialized request parses differently: " + r.method + ' ' + r.target;
  }
  return {};
}

}  // namespace testing
}  // namespace wasync::http
