// request_parser: a section at a time, each a byte-at-a-time state machine
// that copies runs of plain characters in bulk, so feeding a request byte by
// byte or whole gives the same outcome, and every limit is checked before the
// bytes are stored. Field lines and chunked bodies are the shared
// detail::field_lexer and detail::chunked_decoder.
#include "wasync/http/request_parser.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "wasync/http/detail/chars.hpp"

namespace wasync::http {

namespace {

using detail::is;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

void request_parser::advance(bool stop_at_body) {
  stop_at_body_ = stop_at_body;
  const char* begin = buffer_.data() + head_;
  const char* stop = parse(begin, buffer_.data() + buffer_.size());
  if (failed()) {
    buffer_ = std::string();  // the connection is done; free what it sent
    head_ = 0;
    return;
  }
  head_ += static_cast<std::size_t>(stop - begin);
  if (head_ == buffer_.size()) {
    buffer_.clear();
    head_ = 0;
  } else if (head_ >= 4096 && head_ * 2 >= buffer_.size()) {
    // Pipelined requests leave a parsed prefix; drop it now and then, not per request.
    buffer_.erase(0, head_);
    head_ = 0;
  }
}

std::optional<request> request_parser::next() {
  if (failed() || body_pending_) return std::nullopt;
  advance(false);
  if (failed()) return std::nullopt;
  if (complete_) {
    request done = std::move(current_);
    reset_request();
    return done;
  }
  if (finished_ && !idle()) fail(status::bad_request, "incomplete request");
  return std::nullopt;
}

std::optional<request> request_parser::next_head() {
  if (failed() || body_pending_) return std::nullopt;
  advance(true);
  if (failed()) return std::nullopt;
  if (complete_) {  // no body
    request done = std::move(current_);
    reset_request();
    return done;
  }
  if (state_ == state::body || state_ == state::chunked) {
    body_pending_ = true;
    request head;
    head.method = std::move(current_.method);
    head.target = std::move(current_.target);
    head.version = current_.version;
    head.headers = std::move(current_.headers);
    return head;
  }
  if (finished_ && !idle()) fail(status::bad_request, "incomplete request");
  return std::nullopt;
}

bool request_parser::read_body(std::string& out) {
  if (failed()) return false;
  if (!body_pending_) return true;
  advance(false);
  if (out.empty()) out.swap(current_.body);
  else out += current_.body;
  current_.body.clear();
  if (failed()) return false;
  if (complete_) {
    body_pending_ = false;
    reset_request();
    return true;
  }
  if (finished_) fail(status::bad_request, "incomplete request");
  return false;
}

parse_stage request_parser::stage() const noexcept {
  if (idle()) return parse_stage::idle;
  return state_ >= state::body ? parse_stage::body : parse_stage::head;
}

const char* request_parser::fail(http::status status, std::string_view reason) noexcept {
  state_ = state::failed;
  expects_continue_ = false;
  error_ = {status, reason};
  return nullptr;
}

const char* request_parser::fail(const detail::framing_error& error) noexcept {
  using kind = detail::framing_error::kind;
  return fail(error.what == kind::fields_too_large ? status::request_header_fields_too_large
              : error.what == kind::body_too_large ? status::content_too_large
                                                   : status::bad_request,
              error.reason);
}

const char* request_parser::line_too_long() noexcept { return fail(status::uri_too_long, "request line too long"); }

bool request_parser::count_line(std::size_t n) noexcept { return (line_bytes_ += n) <= options_.max_request_line; }

void request_parser::reset_request() {
  state_ = state::start;
  current_ = request{};
  complete_ = false;
  line_bytes_ = version_chars_ = remaining_ = 0;
  expects_continue_ = false;
}

const char* request_parser::parse(const char* p, const char* end) {
  while (p != nullptr && p < end && !complete_ &&
         !(stop_at_body_ && (state_ == state::body || state_ == state::chunked))) {
    switch (state_) {
      case state::start:
      case state::start_lf: p = skip_empty_lines(p, end); break;
      case state::method: p = parse_method(p, end); break;
      case state::target: p = parse_target(p, end); break;
      case state::version: p = parse_version(p, end); break;
      case state::header_section: p = parse_header_section(p, end); break;
      case state::body: p = parse_fixed_body(p, end); break;
      case state::chunked: p = parse_chunked_body(p, end); break;
      case state::failed: return nullptr;
    }
  }
  return p;
}

// Empty lines before a request line are skipped (RFC 9112 §2.2), counted
// against its limit.
const char* request_parser::skip_empty_lines(const char* p, const char* end) {
  for (; p < end; ++p) {
    const char c = *p;
    if (state_ == state::start_lf) {
      if (c != '\n') return fail(status::bad_request, "bare CR");
      state_ = state::start;
    } else if (c == '\r') {
      state_ = state::start_lf;
    } else {
      if (!is(c, detail::tchar)) return fail(status::bad_request, c == '\n' ? "bare LF" : "method is not a token");
      state_ = state::method;
      return p;
    }
    if (!count_line(1)) return line_too_long();
  }
  return p;
}

template <detail::char_class k>
const char* request_parser::line_run(const char* p, const char* end, std::string& out) {
  p = detail::append_run<k>(p, end, out, [this](std::size_t n) { return count_line(n); });
  return p != nullptr ? p : line_too_long();
}

// request-line = method SP request-target SP HTTP-version CRLF, single spaces.
const char* request_parser::parse_method(const char* p, const char* end) {
  p = line_run<detail::tchar>(p, end, current_.method);
  if (p == nullptr || p == end) return p;
  if (*p != ' ') return fail(status::bad_request, "method is not a token");
  return line_space(p, state::target);
}

const char* request_parser::parse_target(const char* p, const char* end) {
  p = line_run<detail::target_char>(p, end, current_.target);
  if (p == nullptr || p == end) return p;
  if (*p != ' ' || current_.target.empty())
    return fail(status::bad_request, *p == ' '                  ? "empty request target"
                                     : *p == '\r' || *p == '\n' ? "no HTTP version"
                                                                : "invalid character in request target");
  return line_space(p, state::version);
}

const char* request_parser::line_space(const char* p, state next) {
  if (!count_line(1)) return line_too_long();
  state_ = next;
  return p + 1;
}

// "HTTP/" DIGIT "." DIGIT CRLF; case-sensitive (RFC 9112 §2.3).
const char* request_parser::parse_version(const char* p, const char* end) {
  constexpr std::string_view shape = "HTTP/x.y\r\n";
  for (; p < end; ++p) {
    const char c = *p;
    const auto i = version_chars_++;
    if (!(i == 5 || i == 7 ? is_digit(c) : c == shape[i]))
      return fail(status::bad_request, i == 9 ? "bare CR" : "malformed HTTP version");
    if (!count_line(1)) return line_too_long();
    if (i == 5) version_major_ = c;
    if (i == 7) version_minor_ = c;
    if (i == 9) break;
  }
  if (p == end) return p;
  if (version_major_ != '1') return fail(status::http_version_not_supported, "HTTP major version is not 1");
  current_.version = version_minor_ == '0' ? version::http_1_0 : version::http_1_1;
  fields_.start({.bytes = options_.max_header_bytes, .fields = options_.max_header_count});
  state_ = state::header_section;
  return p + 1;
}

const char* request_parser::parse_header_section(const char* p, const char* end) {
  p = fields_.lex(p, end, &current_.headers);
  if (p == nullptr) return fail(fields_.error());
  if (fields_.done()) end_header_section();
  return failed() ? nullptr : p;
}

const char* request_parser::parse_fixed_body(const char* p, const char* end) {
  expects_continue_ = false;
  const auto n = std::min(remaining_, static_cast<std::size_t>(end - p));
  current_.body.append(p, n);
  remaining_ -= n;
  complete_ = remaining_ == 0;
  return p + n;
}

const char* request_parser::parse_chunked_body(const char* p, const char* end) {
  expects_continue_ = false;
  p = chunks_.decode(p, end, current_.body);
  if (p == nullptr) return fail(chunks_.error());
  complete_ = chunks_.done();
  return p;
}

void request_parser::end_header_section() {
  bool continue_wanted = false;
  if (!check_host() || !check_expectations(continue_wanted)) return;
  choose_body_framing();
  // Only a body still to come can be waited for.
  expects_continue_ = continue_wanted && (state_ == state::body || state_ == state::chunked);
}

// Exactly one Host in HTTP/1.1, at most one in 1.0 (RFC 9112 §3.2).
bool request_parser::check_host() {
  const auto& h = current_.headers;
  const auto hosts = h.count("Host");
  if (hosts > 1) return fail(status::bad_request, "more than one Host"), false;
  if (hosts == 0 && current_.version == version::http_1_1) return fail(status::bad_request, "no Host"), false;
  if (hosts == 1 && !detail::all_of(*h.get("Host"), detail::host_char))
    return fail(status::bad_request, "invalid Host"), false;
  return true;
}

// Expectations (RFC 9110 §10.1.1): 100-continue is the only one there is;
// an HTTP/1.0 client cannot mean it, so it is ignored there.
bool request_parser::check_expectations(bool& continue_wanted) {
  const bool v1_1 = current_.version == version::http_1_1;
  for (auto value : current_.headers.get_all("Expect")) {
    const bool known = detail::for_each_element(value, [&](std::string_view e) {
      continue_wanted = continue_wanted || v1_1;
      return iequals(e, "100-continue");
    });
    if (!known) return fail(status::expectation_failed, "unknown expectation"), false;
  }
  return true;
}

// Framing (RFC 9112 §6.3): chunked, Content-Length, or no body.
void request_parser::choose_body_framing() {
  const auto& h = current_.headers;
  const bool has_length = h.contains("Content-Length");
  if (h.contains("Transfer-Encoding")) {
    if (has_length) return void(fail(status::bad_request, "both Content-Length and Transfer-Encoding"));
    if (current_.version != version::http_1_1)
      return void(fail(status::bad_request, "Transfer-Encoding in HTTP/1.0"));
    if (!chunked_is_the_final_coding()) return;
    // Trailers spend what the header section left of its limits.
    chunks_.start({.max_body = options_.max_body,
                   .max_extensions = options_.max_chunk_extensions,
                   .max_size_line = std::numeric_limits<std::size_t>::max(),
                   .trailers = fields_.budget()});
    state_ = state::chunked;
    return;
  }
  if (has_length && !read_content_length()) return;
  if (remaining_ != 0) state_ = state::body;
  else complete_ = true;
}

// chunked must come last, once; we implement no other coding.
bool request_parser::chunked_is_the_final_coding() {
  std::size_t codings = 0;
  bool chunked_last = false, chunked_earlier = false;
  for (auto value : current_.headers.get_all("Transfer-Encoding")) {
    detail::for_each_element(value, [&](std::string_view coding) {
      chunked_earlier = chunked_earlier || chunked_last;
      chunked_last = iequals(coding, "chunked");
      ++codings;
      return true;
    });
  }
  if (!chunked_last || chunked_earlier)
    return fail(status::bad_request, "chunked is not the final transfer coding"), false;
  if (codings > 1) return fail(status::not_implemented, "transfer coding other than chunked"), false;
  return true;
}

// Every value in every Content-Length field must be digits, and all must
// agree ("5, 5" is one length, RFC 9110 §8.6); leading zeros do not count.
bool request_parser::read_content_length() {
  std::string_view length;
  bool seen = false;
  for (auto value : current_.headers.get_all("Content-Length")) {
    while (true) {
      auto comma = value.find(',');
      auto element = detail::trim_ows(value.substr(0, comma));
      if (element.empty() || !detail::all_of(element, detail::digit))
        return fail(status::bad_request, "Content-Length is not a number"), false;
      element.remove_prefix(std::min(element.find_first_not_of('0'), element.size()));
      if (seen && element != length) return fail(status::bad_request, "Content-Length values differ"), false;
      length = element;
      seen = true;
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  // 19 digits always fit in 64 bits; more is too large for any max_body.
  unsigned long long n = 0;
  for (char c : length) n = n * 10 + static_cast<unsigned>(c - '0');
  if (length.size() > 19 || n > options_.max_body)
    return fail(status::content_too_large, "Content-Length too large"), false;
  remaining_ = static_cast<std::size_t>(n);
  return true;
}

}  // namespace wasync::http
