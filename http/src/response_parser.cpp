// response_parser: line-based HTTP/1.1 response parsing for clients.
#include "wasync/http/response_parser.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "wasync/http/detail/chars.hpp"

namespace wasync::http {
namespace {
bool is_digit(char c) noexcept { return detail::is(c, detail::digit); }
// A chunk-size line up to its CR, extensions included; they are dropped, so a
// client needs no more.
constexpr std::size_t max_chunk_line = 1024;
}  // namespace

response_parser::response_parser(std::string_view request_method, response_parser_options options)
    : head_request_(request_method == "HEAD"), options_(options) {}

void response_parser::fail(std::string_view why) {
  state_ = state::failed;
  error_ = why;
  buffer_.clear();
  pos_ = 0;
}

void response_parser::compact() {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

void response_parser::feed(std::string_view bytes) {
  if (state_ == state::failed) return;
  buffer_.append(bytes);
  parse();
}

void response_parser::finish() {
  parse();
  if (state_ == state::close_body) state_ = state::done;
  else if (state_ != state::done && state_ != state::failed)
    fail(state_ == state::head ? "the connection closed before the response head ended"
                               : "the connection closed before the response body ended");
}

std::optional<response_head> response_parser::head() {
  if (!head_ || head_taken_ || !has_head() || failed()) return std::nullopt;
  head_taken_ = true;
  return std::move(head_);
}

std::string response_parser::take_body() { return std::exchange(body_, {}); }

std::optional<std::string_view> response_parser::line(std::size_t limit) {
  const std::string_view rest = std::string_view(buffer_).substr(pos_);
  const std::size_t lf = rest.find('\n');
  if (lf == std::string_view::npos) {
    if (rest.size() > limit) fail("a line is too long");
    return std::nullopt;
  }
  if (lf > limit) {
    fail("a line is too long");
    return std::nullopt;
  }
  if (lf == 0 || rest[lf - 1] != '\r') {
    fail("a line ends in a bare LF");
    return std::nullopt;
  }
  const std::string_view l = rest.substr(0, lf - 1);
  if (l.find('\r') != std::string_view::npos) {
    fail("a bare CR");
    return std::nullopt;
  }
  pos_ += lf + 1;
  return l;
}

// The head is parsed whole once its empty line is here: a head is small and
// bounded, and a failed head leaves nothing half-applied.
bool response_parser::parse_head() {
  const std::string_view rest = std::string_view(buffer_).substr(pos_);
  const std::size_t end = rest.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (rest.size() > options_.max_head_bytes) fail("the response head is too large");
    return false;
  }
  if (end + 4 > options_.max_head_bytes) {
    fail("the response head is too large");
    return false;
  }
  const std::size_t head_start = pos_;
  response_head h;
  if (!parse_status_line(h)) return false;
  // The field lines end at the head's empty line, which is buffered: the
  // lexer stops just past it or refuses.
  fields_.start({.bytes = options_.max_head_bytes - (pos_ - head_start), .fields = options_.max_header_count});
  const char* from = buffer_.data() + pos_;
  const char* stop = fields_.lex(from, buffer_.data() + buffer_.size(), &h.headers);
  if (stop == nullptr) return fail(fields_.error().reason), false;
  pos_ += static_cast<std::size_t>(stop - from);
  if (h.status < 200 && h.status != 101) return true;  // interim: the final head follows
  if (!choose_body_framing(h)) return false;
  head_ = std::move(h);
  return true;
}

// HTTP/1.x SP 3DIGIT SP reason (the reason may be empty).
bool response_parser::parse_status_line(response_head& h) {
  auto status_line = line(options_.max_head_bytes);
  if (!status_line) return fail("malformed status line"), false;
  const std::string_view s = *status_line;
  if (s.size() < 12 || !s.starts_with("HTTP/1.") || !is_digit(s[7]) || s[8] != ' ' || !is_digit(s[9]) ||
      !is_digit(s[10]) || !is_digit(s[11]) || (s.size() > 12 && s[12] != ' '))
    return fail("malformed status line"), false;
  h.version_minor = s[7] - '0';
  h.status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
  if (h.status < 100) return fail("malformed status line"), false;
  h.reason = s.size() > 13 ? std::string(s.substr(13)) : std::string();
  if (!detail::all_of(h.reason, detail::field_char)) return fail("control character in the reason phrase"), false;
  return true;
}

// Framing (RFC 9112 §6.3).
bool response_parser::choose_body_framing(const response_head& h) {
  const bool no_body = head_request_ || h.status < 200 || h.status == 204 || h.status == 304;
  if (no_body) {
    state_ = state::done;
  } else if (h.headers.contains("Transfer-Encoding")) {
    const auto codings = h.headers.get_all("Transfer-Encoding");
    std::string_view last = codings.back();
    if (const std::size_t comma = last.rfind(','); comma != std::string_view::npos) last = last.substr(comma + 1);
    if (iequals(detail::trim_ows(last), "chunked")) {
      // Extensions are bounded per line, not per body: a response may stream
      // for as long as it likes. Trailers are bounded like a head, fields too.
      chunks_.start({.max_body = std::numeric_limits<std::size_t>::max(),
                     .max_extensions = std::numeric_limits<std::size_t>::max(),
                     .max_size_line = max_chunk_line,
                     .trailers = {.bytes = options_.max_head_bytes, .fields = options_.max_header_count}});
      state_ = state::chunked_body;
    } else {
      state_ = state::close_body;
    }
  } else if (h.headers.contains("Content-Length")) {
    std::optional<std::size_t> length;
    for (std::string_view v : h.headers.get_all("Content-Length")) {
      std::size_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (v.empty() || ec != std::errc() || p != v.data() + v.size() || !detail::all_of(v, detail::digit))
        return fail("malformed Content-Length"), false;
      if (length && *length != n) return fail("conflicting Content-Length values"), false;
      length = n;
    }
    remaining_ = *length;
    state_ = remaining_ == 0 ? state::done : state::length_body;
  } else {
    state_ = state::close_body;
  }
  return true;
}

bool response_parser::decode_chunks() {
  const char* from = buffer_.data() + pos_;
  const char* stop = chunks_.decode(from, buffer_.data() + buffer_.size(), body_);
  if (stop == nullptr) return fail(chunks_.error().reason), false;
  pos_ += static_cast<std::size_t>(stop - from);
  return chunks_.done();
}

bool response_parser::take_counted() {
  const std::size_t n = std::min(remaining_, buffer_.size() - pos_);
  body_.append(buffer_, pos_, n);
  pos_ += n;
  remaining_ -= n;
  return remaining_ == 0;
}

void response_parser::parse() {
  for (;;) {
    switch (state_) {
      case state::head:
        if (!parse_head()) return compact();
        continue;
      case state::length_body:
        if (!take_counted()) return compact();
        state_ = state::done;
        continue;
      case state::close_body:
        body_.append(buffer_, pos_);
        pos_ = buffer_.size();
        return compact();
      case state::chunked_body:
        if (!decode_chunks()) return compact();
        state_ = state::done;
        continue;
      case state::done:
      case state::failed:
        return;
    }
  }
}

}  // namespace wasync::http
