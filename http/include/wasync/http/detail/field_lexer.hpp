// field_lexer: field lines (RFC 9112 §5) for both parsers: a request's
// header section and trailers, a response's header section and trailers.
#pragma once

#include <cstddef>
#include <string>

#include "wasync/http/detail/chars.hpp"
#include "wasync/http/detail/framing_error.hpp"
#include "wasync/http/header_list.hpp"

namespace wasync::http::detail {

/// What a message may still spend on field lines: every byte and every field
/// is drawn from it before it is stored.
struct field_budget {
  std::size_t bytes = 0;
  std::size_t fields = 0;
};

/// Lexes one field section fed in pieces split anywhere, up to and including
/// its empty line: field-line = field-name ":" OWS field-value OWS CRLF.
/// Strict where leniency lets two parsers disagree: lines end in CRLF only,
/// no whitespace before the colon, obs-fold (or any line starting with
/// whitespace) is refused, names are tokens, values hold no control
/// characters. Values are stored without the OWS around them.
class field_lexer {
 public:
  /// Begins a section that may spend `budget`.
  void start(field_budget budget) noexcept;
  /// Lexes from `p`, adding each field to `fields` (or dropping it when null).
  /// Returns where it stopped: just past the section's empty line (done()),
  /// `end` when it needs more bytes, or nullptr when it refused (error()).
  const char* lex(const char* p, const char* end, header_list* fields);

  [[nodiscard]] bool done() const noexcept { return state_ == state::done; }
  /// What is left of the budget: the trailers of a request spend what its headers left.
  [[nodiscard]] field_budget budget() const noexcept { return budget_; }
  [[nodiscard]] const framing_error& error() const noexcept { return error_; }

 private:
  enum class state : unsigned char { line_start, name, value, line_lf, section_lf, done, failed };

  const char* line_start(const char* p);
  const char* name(const char* p, const char* end);
  const char* value(const char* p, const char* end);
  const char* line_end(const char* p, header_list* fields);
  const char* section_end(const char* p);
  /// Copies the run of `k` characters at `p` into `out`, spent from the
  /// budget; returns where the run stops, or nullptr once failed.
  template <char_class k>
  const char* run(const char* p, const char* end, std::string& out);
  /// Spends the delimiter at `p` and moves on to `next`.
  const char* step(const char* p, state next);
  /// Draws `n` bytes from the budget; false when they do not fit.
  bool spend(std::size_t n) noexcept;
  const char* fail(framing_error::kind what, std::string_view reason) noexcept;
  const char* too_large() noexcept;

  state state_ = state::line_start;
  field_budget budget_;
  std::string name_;
  std::string value_;  // OWS included until the line ends
  framing_error error_;
};

}  // namespace wasync::http::detail
