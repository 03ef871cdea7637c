// request_parser: incremental HTTP/1.1 request parsing (RFC 9112), no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wasync/http/detail/chars.hpp"
#include "wasync/http/detail/chunked_decoder.hpp"
#include "wasync/http/detail/field_lexer.hpp"
#include "wasync/http/detail/framing_error.hpp"
#include "wasync/http/request.hpp"
#include "wasync/http/status.hpp"

namespace wasync::http {

/// Limits on what one request may make the parser hold. Exceeding one fails
/// the request with the status named here.
struct request_parser_options {
  /// Request line, CRLF included (and empty lines before it): 414.
  std::size_t max_request_line = 8 * 1024;
  /// Header section, every field line and CRLF, and chunked trailers: 431.
  std::size_t max_header_bytes = 16 * 1024;
  /// Field lines, trailers included: 431.
  std::size_t max_header_count = 100;
  /// Body after decoding; a larger Content-Length fails before any body byte: 413.
  std::size_t max_body = 1024 * 1024;
  /// Chunk extensions of one request, every chunk's together (each from the
  /// first byte after the chunk size to its CR): 400. They are checked, then
  /// ignored, so without this cap a chunked body of 1-byte chunks could make
  /// the server read megabytes of extensions per body byte (Node's limit for
  /// CVE-2024-22019 is the same 16 KiB).
  std::size_t max_chunk_extensions = 16 * 1024;
};

/// Where the request being parsed stands (see request_parser::stage()).
enum class parse_stage : unsigned char {
  idle,  ///< nothing of a request yet
  head,  ///< its request line and header section are arriving
  body,  ///< its head is complete and valid; its body (or chunked trailers) is arriving
};

/// Why the parser refused the input: the status to answer with (then close).
struct parse_error {
  http::status status = http::status::bad_request;
  std::string_view reason;  ///< static text for logs, e.g. "bare LF"
};

/// Turns bytes, split anywhere and pipelined, into requests:
///
///     parser.feed(bytes);
///     while (auto req = parser.next()) answer(*req);
///     if (parser.failed()) answer(parser.error().status), then close;
///
/// Strict where leniency lets two parsers disagree about where a request ends
/// (request smuggling): lines end in CRLF only (a bare LF or CR is 400, not a
/// line end); no whitespace before a field's colon; obs-fold is 400; method
/// and field names are tokens; Content-Length is digits, and repeated
/// Content-Length values must agree; Content-Length with Transfer-Encoding,
/// or Transfer-Encoding in HTTP/1.0, is 400; HTTP/1.1 needs exactly one Host.
/// Bodies: Content-Length or chunked (decoded; extensions checked against
/// RFC 9112's grammar then ignored; trailers checked then dropped); chunked missing from the end of Transfer-Encoding,
/// or repeated, is 400, another coding before it ("gzip, chunked") 501.
/// HTTP/1.2-1.9 read as 1.1; other major versions are 505. Empty lines before a request line are skipped
/// (RFC 9112 §2.2). An Expect field with anything but 100-continue is 417
/// (RFC 9110 §10.1.1). After an error the parser stays failed.
class request_parser {
 public:
  explicit request_parser(request_parser_options options = {}) noexcept : options_(options) {}

  /// Appends bytes received from the peer; parsing happens in next(). Once
  /// failed, the parser keeps nothing more.
  void feed(std::string_view bytes) {
    if (!failed()) buffer_.append(bytes);
  }
  /// The peer closed its side: once the buffered bytes are parsed, a request
  /// left incomplete fails with 400.
  void finish() noexcept { finished_ = true; }
  /// The next complete request, or nullopt when more bytes are needed or the
  /// input was refused (see failed()).
  [[nodiscard]] std::optional<request> next();

  // Streaming the body instead: next_head(), then read_body() until it says
  // the body is complete; limits, framing and errors as with next().
  /// The next request as soon as its head is complete and valid (its body
  /// empty here: read_body() decodes it); nullopt when more bytes are needed,
  /// the input was refused, or the body of the head returned last is not
  /// complete yet.
  [[nodiscard]] std::optional<request> next_head();
  /// Decodes what has arrived of the body of the request next_head() returned,
  /// appending it to `out`. true once that body is complete (also when there
  /// is none pending); false when more bytes are needed or the input was
  /// refused (failed()).
  [[nodiscard]] bool read_body(std::string& out);
  /// next_head() returned a request whose body is not complete yet.
  [[nodiscard]] bool body_pending() const noexcept { return body_pending_; }

  [[nodiscard]] bool failed() const noexcept { return state_ == state::failed; }
  /// Why the parser failed; meaningful only when failed().
  [[nodiscard]] const parse_error& error() const noexcept { return error_; }
  /// True between requests: nothing of a next request has arrived. A server
  /// closes an idle connection quietly; a partial one has earned a 408.
  [[nodiscard]] bool idle() const noexcept {
    return state_ == state::start && head_ == buffer_.size();
  }
  /// How far the request being parsed has come, as of the last next(): a
  /// server gives its head and its body separate deadlines. Meaningless once failed().
  [[nodiscard]] parse_stage stage() const noexcept;
  /// The request being parsed sent `Expect: 100-continue` (HTTP/1.1), its
  /// head is complete and valid, and none of its body has been parsed yet: a
  /// server should send `100 Continue` before it waits for the body (RFC 9110
  /// §10.1.1). A request it cannot take fails instead (413, 417).
  [[nodiscard]] bool expects_continue() const noexcept { return expects_continue_; }

 private:
  enum class state : unsigned char {
    start, start_lf,                   // empty lines before a request line
    method, target, version,           // the request line
    header_section,                    // field lines (fields_)
    body,                              // Content-Length body; from here on stage() is body
    chunked,                           // chunked body and its trailers (chunks_)
    failed,
  };

  /// Parses from `p`, a section at a time; returns where it stopped, or
  /// nullptr once failed. Sets `complete_` at a request's end.
  const char* parse(const char* p, const char* end);
  /// Parses the buffered bytes (stopping where a body begins when
  /// `stop_at_body`), then drops what was parsed from the buffer.
  void advance(bool stop_at_body);
  const char* skip_empty_lines(const char* p, const char* end);
  const char* parse_method(const char* p, const char* end);
  const char* parse_target(const char* p, const char* end);
  const char* parse_version(const char* p, const char* end);
  const char* parse_header_section(const char* p, const char* end);
  const char* parse_fixed_body(const char* p, const char* end);
  const char* parse_chunked_body(const char* p, const char* end);
  /// The header section ended: checks Host and Expect, picks the body framing.
  void end_header_section();
  [[nodiscard]] bool check_host();
  /// Whether every expectation is known; `continue_wanted` is set when one asks for 100 Continue.
  [[nodiscard]] bool check_expectations(bool& continue_wanted);
  void choose_body_framing();
  [[nodiscard]] bool chunked_is_the_final_coding();
  [[nodiscard]] bool read_content_length();
  /// Copies the run of `k` characters at `p` into `out`, counted against the
  /// request line; returns where the run stops, or nullptr once failed.
  template <detail::char_class k>
  const char* line_run(const char* p, const char* end, std::string& out);
  /// Steps over the SP at `p` to the `next` part of the request line.
  const char* line_space(const char* p, state next);
  /// Counts `n` bytes against the request line's limit; false when they do not fit.
  [[nodiscard]] bool count_line(std::size_t n) noexcept;
  const char* fail(http::status status, std::string_view reason) noexcept;
  const char* fail(const detail::framing_error& error) noexcept;
  const char* line_too_long() noexcept;
  void reset_request();

  request_parser_options options_;

  // Input: bytes fed but not yet parsed are buffer_[head_, size).
  std::string buffer_;
  std::size_t head_ = 0;
  bool finished_ = false;

  // The request being parsed.
  state state_ = state::start;
  request current_;
  bool complete_ = false;
  bool stop_at_body_ = false;  // parse() stops where a body begins (next_head())
  bool body_pending_ = false;  // next_head() handed out a head; its body is being read
  std::size_t line_bytes_ = 0;     // request line so far, empty lines before it included
  std::size_t version_chars_ = 0;  // of "HTTP/x.y" CRLF seen
  char version_major_ = 0;
  char version_minor_ = 0;
  detail::field_lexer fields_;
  std::size_t remaining_ = 0;      // Content-Length body bytes still to come
  detail::chunked_decoder chunks_;
  bool expects_continue_ = false;

  parse_error error_;
};

}  // namespace wasync::http
