// request_parser: a byte-at-a-time state machine that copies runs of plain
// characters in bulk, so feeding a request byte by byte or whole gives the
// same outcome, and every limit is checked before the bytes are stored.
#include "wasync/http/request_parser.hpp"

#include <algorithm>
#include <utility>

#include "chars.hpp"

namespace wasync::http {

namespace {

using detail::is;

// A chunk size never needs more digits than this, leading zeros included.
constexpr std::size_t max_chunk_size_digits = 4 * 1024;

std::size_t run_of(const char* p, const char* end, detail::char_class k) noexcept {
  const char* q = p;
  while (q < end && is(*q, k)) ++q;
  return static_cast<std::size_t>(q - p);
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string_view control_reason(char c) noexcept {
  return c == '\n' ? "bare LF" : c == '\r' ? "bare CR" : "control character";
}

}  // namespace

std::optional<request> request_parser::next() {
  if (failed()) return std::nullopt;
  const char* begin = buffer_.data() + head_;
  const char* stop = parse(begin, buffer_.data() + buffer_.size());
  if (failed()) {
    buffer_ = std::string();  // the connection is done; free what it sent
    head_ = 0;
    return std::nullopt;
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
  if (complete_) {
    request done = std::move(current_);
    reset_request();
    return done;
  }
  if (finished_ && !idle()) fail(status::bad_request, "incomplete request");
  return std::nullopt;
}

parse_stage request_parser::stage() const noexcept {
  if (idle()) return parse_stage::idle;
  return state_ >= state::body || in_trailers_ ? parse_stage::body : parse_stage::head;
}

const char* request_parser::fail(http::status status, std::string_view reason) noexcept {
  state_ = state::failed;
  expects_continue_ = false;
  error_ = {status, reason};
  return nullptr;
}

void request_parser::reset_request() {
  state_ = state::start;
  current_ = request{};
  complete_ = false;
  field_name_.clear();
  field_value_.clear();
  chunk_ext_.clear();
  line_bytes_ = header_bytes_ = field_count_ = version_chars_ = remaining_ = chunk_ext_bytes_ = 0;
  chunk_digits_ = in_trailers_ = expects_continue_ = false;
}

const char* request_parser::parse(const char* p, const char* end) {
  const auto& o = options_;
  // Each consumed byte is counted against its section's limit first.
  auto line = [&](std::size_t n) { return (line_bytes_ += n) <= o.max_request_line; };
  auto section = [&](std::size_t n) { return (header_bytes_ += n) <= o.max_header_bytes; };
  constexpr auto line_too_long = status::uri_too_long;
  constexpr auto section_too_large = status::request_header_fields_too_large;

  while (p < end) {
    const char c = *p;
    switch (state_) {
      // Empty lines before a request line are skipped (RFC 9112 §2.2).
      case state::start:
        if (c == '\r') {
          if (!line(1)) return fail(line_too_long, "request line too long");
          state_ = state::start_lf;
          ++p;
          continue;
        }
        if (!is(c, detail::tchar)) return fail(status::bad_request, c == '\n' ? "bare LF" : "method is not a token");
        state_ = state::method;
        continue;
      case state::start_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        if (!line(1)) return fail(line_too_long, "request line too long");
        state_ = state::start;
        ++p;
        continue;

      // request-line = method SP request-target SP HTTP-version CRLF, single spaces.
      case state::method: {
        auto n = run_of(p, end, detail::tchar);
        if (!line(n)) return fail(line_too_long, "request line too long");
        current_.method.append(p, n);
        p += n;
        if (p == end) continue;
        if (*p != ' ') return fail(status::bad_request, "method is not a token");
        if (!line(1)) return fail(line_too_long, "request line too long");
        state_ = state::target;
        ++p;
        continue;
      }
      case state::target: {
        auto n = run_of(p, end, detail::target_char);
        if (!line(n)) return fail(line_too_long, "request line too long");
        current_.target.append(p, n);
        p += n;
        if (p == end) continue;
        if (*p != ' ' || current_.target.empty())
          return fail(status::bad_request, *p == ' '                  ? "empty request target"
                                           : *p == '\r' || *p == '\n' ? "no HTTP version"
                                                                      : "invalid character in request target");
        if (!line(1)) return fail(line_too_long, "request line too long");
        state_ = state::version;
        ++p;
        continue;
      }
      case state::version: {
        // "HTTP/" DIGIT "." DIGIT, then the CR; case-sensitive (RFC 9112 §2.3).
        constexpr std::string_view name = "HTTP/";
        const auto i = version_chars_;
        const bool ok = i < 5 ? c == name[i] : i == 5 || i == 7 ? is_digit(c) : i == 6 ? c == '.' : c == '\r';
        if (!ok) return fail(status::bad_request, "malformed HTTP version");
        if (!line(1)) return fail(line_too_long, "request line too long");
        if (i == 5) version_major_ = c;
        if (i == 7) version_minor_ = c;
        if (i == 8) state_ = state::line_lf;
        ++version_chars_;
        ++p;
        continue;
      }
      case state::line_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        if (!line(1)) return fail(line_too_long, "request line too long");
        if (version_major_ != '1') return fail(status::http_version_not_supported, "HTTP major version is not 1");
        current_.version = version_minor_ == '0' ? version::http_1_0 : version::http_1_1;
        state_ = state::field_start;
        ++p;
        continue;

      // field-line = field-name ":" OWS field-value OWS CRLF (RFC 9112 §5).
      case state::field_start:
        if (c == '\r') {
          if (!section(1)) return fail(section_too_large, "header section too large");
          state_ = state::section_lf;
          ++p;
          continue;
        }
        // A line starting with whitespace is obs-fold, or hides a field
        // behind the request line (RFC 9112 §2.2, §5.2): both 400.
        if (c == ' ' || c == '\t') return fail(status::bad_request, "line folding or leading whitespace");
        if (!is(c, detail::tchar))
          return fail(status::bad_request, c == '\n' ? "bare LF" : "field name is not a token");
        if (field_count_ == o.max_header_count) return fail(section_too_large, "too many header fields");
        state_ = state::field_name;
        continue;
      case state::field_name: {
        auto n = run_of(p, end, detail::tchar);
        if (!section(n)) return fail(section_too_large, "header section too large");
        field_name_.append(p, n);
        p += n;
        if (p == end) continue;
        if (*p != ':')
          return fail(status::bad_request, *p == ' ' || *p == '\t' ? "whitespace before colon"
                                           : *p == '\r' || *p == '\n' ? "field line without colon"
                                                                      : "field name is not a token");
        if (!section(1)) return fail(section_too_large, "header section too large");
        state_ = state::field_value;
        ++p;
        continue;
      }
      case state::field_value: {  // OWS around the value is trimmed in end_field()
        auto n = run_of(p, end, detail::field_char);
        if (!section(n)) return fail(section_too_large, "header section too large");
        field_value_.append(p, n);
        p += n;
        if (p == end) continue;
        if (*p != '\r') return fail(status::bad_request, control_reason(*p));
        if (!section(1)) return fail(section_too_large, "header section too large");
        state_ = state::field_lf;
        ++p;
        continue;
      }
      case state::field_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        if (!section(1)) return fail(section_too_large, "header section too large");
        end_field();
        state_ = state::field_start;
        ++p;
        continue;
      case state::section_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        if (!section(1)) return fail(section_too_large, "header section too large");
        ++p;
        if (in_trailers_) complete_ = true;
        else end_header_section();
        if (complete_ || failed()) return p;
        continue;

      case state::body: {
        expects_continue_ = false;
        auto n = std::min(remaining_, static_cast<std::size_t>(end - p));
        current_.body.append(p, n);
        p += n;
        remaining_ -= n;
        if (remaining_ != 0) continue;
        complete_ = true;
        return p;
      }

      // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; last-chunk is
      // size 0, then trailer fields and an empty line (RFC 9112 §7.1).
      case state::chunk_size: {
        expects_continue_ = false;
        const int digit = hex_value(c);
        if (digit < 0) {
          if (!chunk_digits_) return fail(status::bad_request, "chunk size is not hex");
          if (c == ';' || c == ' ' || c == '\t') {
            state_ = state::chunk_ext;
            continue;
          }
          if (c != '\r') return fail(status::bad_request, c == '\n' ? "bare LF" : "chunk size is not hex");
          state_ = state::chunk_size_lf;
        } else {
          // remaining_ holds the size so far; it never passes what the body may still take.
          const auto room = o.max_body - current_.body.size();
          const auto d = static_cast<std::size_t>(digit);
          if (remaining_ > room / 16 || d > room - remaining_ * 16)
            return fail(status::content_too_large, "chunked body too large");
          remaining_ = remaining_ * 16 + d;
          chunk_digits_ = true;
        }
        if (++line_bytes_ > max_chunk_size_digits) return fail(status::bad_request, "chunk size too long");
        ++p;
        continue;
      }
      case state::chunk_ext: {
        // Collected up to the CR (printable bytes only, never a bare CR or
        // LF), then checked against the grammar, then ignored.
        auto n = run_of(p, end, detail::field_char);
        if (n > o.max_chunk_extensions - chunk_ext_bytes_)
          return fail(status::bad_request, "chunk extensions too long");
        chunk_ext_bytes_ += n;
        chunk_ext_.append(p, n);
        p += n;
        if (p == end) continue;
        if (*p != '\r') return fail(status::bad_request, control_reason(*p));
        if (!detail::is_chunk_ext(chunk_ext_)) return fail(status::bad_request, "malformed chunk extension");
        chunk_ext_.clear();
        state_ = state::chunk_size_lf;
        ++p;
        continue;
      }
      case state::chunk_size_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        line_bytes_ = 0;
        chunk_digits_ = false;
        if (remaining_ == 0) {
          in_trailers_ = true;
          state_ = state::field_start;
        } else {
          state_ = state::chunk_data;
        }
        ++p;
        continue;
      case state::chunk_data: {
        auto n = std::min(remaining_, static_cast<std::size_t>(end - p));
        current_.body.append(p, n);
        p += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = state::chunk_data_cr;
        continue;
      }
      case state::chunk_data_cr:
        if (c != '\r') return fail(status::bad_request, "chunk data longer than its size");
        state_ = state::chunk_data_lf;
        ++p;
        continue;
      case state::chunk_data_lf:
        if (c != '\n') return fail(status::bad_request, "bare CR");
        state_ = state::chunk_size;
        ++p;
        continue;

      case state::failed:
        return p;
    }
  }
  return p;
}

void request_parser::end_field() {
  ++field_count_;
  auto value = detail::trim_ows(field_value_);
  // Trailer fields are checked and counted like headers, then dropped.
  if (!in_trailers_) current_.headers.add(std::move(field_name_), std::string(value));
  field_name_.clear();
  field_value_.clear();
}

void request_parser::end_header_section() {
  const auto& h = current_.headers;
  const bool v1_1 = current_.version == version::http_1_1;

  // Exactly one Host in HTTP/1.1, at most one in 1.0 (RFC 9112 §3.2).
  const auto hosts = h.count("Host");
  if (hosts > 1) return void(fail(status::bad_request, "more than one Host"));
  if (hosts == 0 && v1_1) return void(fail(status::bad_request, "no Host"));
  if (hosts == 1 && !detail::all_of(*h.get("Host"), detail::host_char))
    return void(fail(status::bad_request, "invalid Host"));

  // Expectations (RFC 9110 §10.1.1): 100-continue is the only one there is;
  // an HTTP/1.0 client cannot mean it, so it is ignored there.
  bool continue_wanted = false;
  for (auto value : h.get_all("Expect")) {
    const bool known = detail::for_each_element(value, [&](std::string_view e) {
      continue_wanted = continue_wanted || v1_1;
      return iequals(e, "100-continue");
    });
    if (!known) return void(fail(status::expectation_failed, "unknown expectation"));
  }

  // Framing (RFC 9112 §6.3).
  const bool has_length = h.contains("Content-Length");
  if (h.contains("Transfer-Encoding")) {
    if (has_length) return void(fail(status::bad_request, "both Content-Length and Transfer-Encoding"));
    if (!v1_1) return void(fail(status::bad_request, "Transfer-Encoding in HTTP/1.0"));
    // chunked must come last, once; we implement no other coding.
    std::size_t codings = 0;
    bool chunked_last = false, chunked_earlier = false;
    for (auto value : h.get_all("Transfer-Encoding")) {
      detail::for_each_element(value, [&](std::string_view coding) {
        chunked_earlier = chunked_earlier || chunked_last;
        chunked_last = iequals(coding, "chunked");
        ++codings;
        return true;
      });
    }
    if (!chunked_last || chunked_earlier)
      return void(fail(status::bad_request, "chunked is not the final transfer coding"));
    if (codings > 1) return void(fail(status::not_implemented, "transfer coding other than chunked"));
    state_ = state::chunk_size;
    expects_continue_ = continue_wanted;
    return;
  }

  if (has_length) {
    // Every value in every Content-Length field must be digits, and all must
    // agree ("5, 5" is one length, RFC 9110 §8.6); leading zeros do not count.
    std::string_view length;
    bool seen = false;
    for (auto value : h.get_all("Content-Length")) {
      while (true) {
        auto comma = value.find(',');
        auto element = detail::trim_ows(value.substr(0, comma));
        if (element.empty() || !detail::all_of(element, detail::digit))
          return void(fail(status::bad_request, "Content-Length is not a number"));
        element.remove_prefix(std::min(element.find_first_not_of('0'), element.size()));
        if (seen && element != length) return void(fail(status::bad_request, "Content-Length values differ"));
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
      return void(fail(status::content_too_large, "Content-Length too large"));
    remaining_ = static_cast<std::size_t>(n);
    if (remaining_ != 0) {
      state_ = state::body;
      expects_continue_ = continue_wanted;
      return;
    }
  }
  complete_ = true;
}

}  // namespace wasync::http
