// chunked_decoder: a byte-at-a-time state machine over chunk-size lines that
// copies extensions and chunk data in bulk, so any split gives the same body.
#include "wasync/http/detail/chunked_decoder.hpp"

#include <algorithm>

#include "wasync/http/detail/chars.hpp"

namespace wasync::http::detail {

namespace {

// A chunk size never needs more digits than this, leading zeros included.
constexpr std::size_t max_chunk_size_digits = 4 * 1024;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr auto malformed = framing_error::kind::malformed;

}  // namespace

void chunked_decoder::start(const limits& limits) noexcept {
  limits_ = limits;
  state_ = state::size;
  remaining_ = decoded_ = digits_ = size_line_bytes_ = extension_bytes_ = 0;
  extensions_.clear();
}

const char* chunked_decoder::decode(const char* p, const char* end, std::string& body) {
  while (p != nullptr && p < end) {
    switch (state_) {
      case state::size: p = size(p, end); break;
      case state::extensions: p = extensions(p, end); break;
      case state::size_lf: p = size_line_end(p); break;
      case state::data: p = data(p, end, body); break;
      case state::data_cr:
      case state::data_lf: p = data_end(p, end); break;
      case state::trailers: p = trailers(p, end); break;
      case state::done: return p;
      case state::failed: return nullptr;
    }
  }
  return p;
}

// The functions below are the body of decode()'s loop, always inlined for
// the same reason as field_lexer's.

// chunk-size = 1*HEXDIG, then extensions or the CR. remaining_ holds the
// size so far, a digit at a time, and never passes what the body may still take.
[[gnu::always_inline]] inline const char* chunked_decoder::size(const char* p, const char* end) {
  for (int digit; p < end && (digit = hex_value(*p)) >= 0; ++p) {
    const auto room = limits_.max_body - decoded_;
    const auto d = static_cast<std::size_t>(digit);
    if (remaining_ > room / 16 || d > room - remaining_ * 16)
      return fail(framing_error::kind::body_too_large, "chunked body too large");
    remaining_ = remaining_ * 16 + d;
    if (++digits_ > max_chunk_size_digits) return fail(malformed, "chunk size too long");
    if (!count_size_line(1)) return fail(malformed, "chunk size line too long");
  }
  if (p == end) return p;
  const char c = *p;
  if (digits_ == 0) return fail(malformed, "chunk size is not hex");
  if (c == ';' || c == ' ' || c == '\t') {
    state_ = state::extensions;
    return p;
  }
  if (c != '\r') return fail(malformed, c == '\n' ? "bare LF" : "chunk size is not hex");
  if (!count_size_line(1)) return fail(malformed, "chunk size line too long");
  state_ = state::size_lf;
  return p + 1;
}

// Collected up to the CR (field characters only, never a bare CR or LF),
// then checked against the grammar, then ignored.
[[gnu::always_inline]] inline const char* chunked_decoder::extensions(const char* p, const char* end) {
  const auto n = run_of(p, end, field_char);
  if (n > limits_.max_extensions - extension_bytes_) return fail(malformed, "chunk extensions too long");
  if (!count_size_line(n)) return fail(malformed, "chunk size line too long");
  extension_bytes_ += n;
  extensions_.append(p, n);
  p += n;
  if (p == end) return p;
  if (*p != '\r') return fail(malformed, control_reason(*p));
  if (!is_chunk_ext(extensions_)) return fail(malformed, "malformed chunk extension");
  if (!count_size_line(1)) return fail(malformed, "chunk size line too long");
  extensions_.clear();
  state_ = state::size_lf;
  return p + 1;
}

[[gnu::always_inline]] inline const char* chunked_decoder::size_line_end(const char* p) {
  if (*p != '\n') return fail(malformed, "bare CR");
  digits_ = size_line_bytes_ = 0;
  if (remaining_ == 0) {
    trailers_.start(limits_.trailers);
    state_ = state::trailers;
  } else {
    state_ = state::data;
  }
  return p + 1;
}

[[gnu::always_inline]] inline const char* chunked_decoder::data(const char* p, const char* end, std::string& body) {
  const auto n = std::min(remaining_, static_cast<std::size_t>(end - p));
  body.append(p, n);
  decoded_ += n;
  remaining_ -= n;
  if (remaining_ == 0) state_ = state::data_cr;
  return p + n;
}

// The CRLF after a chunk's data.
[[gnu::always_inline]] inline const char* chunked_decoder::data_end(const char* p, const char* end) {
  if (state_ == state::data_cr) {
    if (*p != '\r') return fail(malformed, "chunk data longer than its size");
    state_ = state::data_lf;
    if (++p == end) return p;
  }
  if (*p != '\n') return fail(malformed, "bare CR");
  state_ = state::size;
  return p + 1;
}

[[gnu::always_inline]] inline const char* chunked_decoder::trailers(const char* p, const char* end) {
  p = trailers_.lex(p, end, nullptr);
  if (p == nullptr) return fail(trailers_.error().what, trailers_.error().reason);
  if (trailers_.done()) state_ = state::done;
  return p;
}

[[gnu::always_inline]] inline bool chunked_decoder::count_size_line(std::size_t n) noexcept {
  if (n > limits_.max_size_line - size_line_bytes_) return false;
  size_line_bytes_ += n;
  return true;
}

const char* chunked_decoder::fail(framing_error::kind what, std::string_view reason) noexcept {
  state_ = state::failed;
  error_ = {what, reason};
  return nullptr;
}

}  // namespace wasync::http::detail
