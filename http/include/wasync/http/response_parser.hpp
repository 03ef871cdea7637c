// response_parser: incremental HTTP/1.1 response parsing (RFC 9112) for
// clients, no I/O: bytes in, the head and the decoded body out.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wasync/http/detail/chunked_decoder.hpp"
#include "wasync/http/detail/field_lexer.hpp"
#include "wasync/http/header_list.hpp"

namespace wasync::http {

/// Status line, headers and framing of a response.
struct response_head {
  int status = 0;
  std::string reason;
  int version_minor = 1;  ///< HTTP/1.x
  header_list headers;
};

struct response_parser_options {
  /// Status line and header section together (each interim 1xx head too);
  /// a chunked body's trailer section on its own.
  std::size_t max_head_bytes = 64 * 1024;
  /// Field lines of a head; of a trailer section.
  std::size_t max_header_count = 100;
};

/// Turns the bytes of one response, split anywhere, into its head and body:
///
///     parser.feed(bytes);                      // or finish() when the peer closed
///     if (auto head = parser.head()) ...       // once, when the head is complete
///     std::string piece = parser.take_body();  // decoded body bytes so far
///     if (parser.done()) ...; if (parser.failed()) ... parser.error();
///
/// Framing (RFC 9112 §6.3): no body after a HEAD request or for 1xx, 204 and
/// 304; chunked when Transfer-Encoding ends in chunked (decoded; extensions
/// checked then dropped, trailers checked like header fields then dropped);
/// any other Transfer-Encoding, or no length at all: the body runs until the
/// peer closes; otherwise Content-Length (digits only, repeated values must
/// agree). Interim 1xx heads (100 Continue) are skipped; 101 ends the response
/// (no upgrades here). Lines end in CRLF; a bare LF, whitespace before a
/// colon, obs-fold or a malformed status line fails the parse, in the head and
/// in the trailers, as does a response cut short by finish(). Field lines and
/// chunks are read as the request parser reads them (detail::field_lexer,
/// detail::chunked_decoder). Bytes after the end of the response are left
/// alone (leftover()).
class response_parser {
 public:
  /// `request_method`: the request this answers ("HEAD" has no body).
  explicit response_parser(std::string_view request_method = "GET", response_parser_options options = {});

  /// Appends bytes from the peer and parses what it can.
  void feed(std::string_view bytes);
  /// The peer closed: ends a close-delimited body; anything else unfinished fails.
  void finish();

  /// The final head, once (later calls: nullopt); nullopt while incomplete.
  [[nodiscard]] std::optional<response_head> head();
  /// The decoded body bytes parsed since the last call.
  [[nodiscard]] std::string take_body();
  /// The head has been parsed (whether or not head() was called).
  [[nodiscard]] bool has_head() const noexcept { return state_ > state::head; }
  [[nodiscard]] bool done() const noexcept { return state_ == state::done; }
  [[nodiscard]] bool failed() const noexcept { return state_ == state::failed; }
  /// Why it failed (static text); empty unless failed().
  [[nodiscard]] std::string_view error() const noexcept { return error_; }
  /// Bytes fed after the end of the response.
  [[nodiscard]] std::string_view leftover() const noexcept {
    return done() ? std::string_view(buffer_).substr(pos_) : std::string_view();
  }

 private:
  enum class state : unsigned char {
    head,
    length_body,   // Content-Length
    close_body,    // until finish()
    chunked_body,  // chunks_, trailers included
    done,
    failed,
  };
  void parse();
  /// One CRLF-terminated line from pos_, without the CRLF; nullopt when incomplete or failed.
  std::optional<std::string_view> line(std::size_t limit);
  bool parse_head();
  [[nodiscard]] bool parse_status_line(response_head& h);
  /// Picks the body's framing from a final head.
  [[nodiscard]] bool choose_body_framing(const response_head& h);
  /// Feeds the buffered bytes to the chunked decoder; true when the body ended.
  bool decode_chunks();
  /// Moves up to remaining_ buffered bytes into the body; true when none remain.
  bool take_counted();
  void fail(std::string_view why);
  void compact();

  bool head_request_;
  response_parser_options options_;
  std::string buffer_;  ///< unparsed input: buffer_[pos_...]
  std::size_t pos_ = 0;
  state state_ = state::head;
  std::optional<response_head> head_;
  bool head_taken_ = false;
  std::string body_;            ///< decoded, not yet taken
  std::size_t remaining_ = 0;   ///< Content-Length bytes still to come
  detail::field_lexer fields_;
  detail::chunked_decoder chunks_;
  std::string_view error_;
};

}  // namespace wasync::http
