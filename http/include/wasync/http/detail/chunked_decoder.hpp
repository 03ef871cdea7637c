// chunked_decoder: the chunked transfer coding (RFC 9112 §7.1) for both
// parsers: chunk sizes, extensions, data and the trailer section.
#pragma once

#include <cstddef>
#include <string>

#include "wasync/http/detail/field_lexer.hpp"
#include "wasync/http/detail/framing_error.hpp"

namespace wasync::http::detail {

/// Decodes one chunked body fed in pieces split anywhere:
/// chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; the last chunk has
/// size 0 and is followed by trailer fields and an empty line. Extensions are
/// checked against RFC 9112's grammar, then ignored; trailers are lexed like
/// headers (field_lexer), then dropped. Every limit is checked before the
/// bytes that pass it are stored.
class chunked_decoder {
 public:
  struct limits {
    /// Decoded bytes, every chunk's together (body_too_large).
    std::size_t max_body = 0;
    /// Extension bytes, every chunk's together, each from the first byte
    /// after the size to its CR.
    std::size_t max_extensions = 0;
    /// One chunk-size line, size and extensions, up to and including its CR.
    std::size_t max_size_line = 0;
    /// What the trailer section may spend.
    field_budget trailers;
  };

  /// Begins a body.
  void start(const limits& limits) noexcept;
  /// Decodes from `p`, appending chunk data to `body`. Returns where it
  /// stopped: just past the trailer section's empty line (done()), `end` when
  /// it needs more bytes, or nullptr when it refused (error()).
  const char* decode(const char* p, const char* end, std::string& body);

  [[nodiscard]] bool done() const noexcept { return state_ == state::done; }
  [[nodiscard]] const framing_error& error() const noexcept { return error_; }

 private:
  enum class state : unsigned char { size, extensions, size_lf, data, data_cr, data_lf, trailers, done, failed };

  const char* size(const char* p, const char* end);
  const char* extensions(const char* p, const char* end);
  const char* size_line_end(const char* p);
  const char* data(const char* p, const char* end, std::string& body);
  const char* data_end(const char* p, const char* end);
  const char* trailers(const char* p, const char* end);
  /// Counts `n` bytes of the chunk-size line; false when they do not fit.
  bool count_size_line(std::size_t n) noexcept;
  const char* fail(framing_error::kind what, std::string_view reason) noexcept;

  limits limits_;
  state state_ = state::size;
  std::size_t remaining_ = 0;        // this chunk's bytes still to come; while its size is read, the size so far
  std::size_t decoded_ = 0;          // every chunk's data so far
  std::size_t digits_ = 0;           // of this chunk size
  std::size_t size_line_bytes_ = 0;  // of this chunk-size line so far
  std::size_t extension_bytes_ = 0;  // every chunk's extensions so far
  std::string extensions_;           // this chunk's so far
  field_lexer trailers_;
  framing_error error_;
};

}  // namespace wasync::http::detail
