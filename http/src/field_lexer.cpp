// field_lexer: a byte-at-a-time state machine that copies runs of name and
// value characters in bulk, so any split of the input gives the same fields.
#include "wasync/http/detail/field_lexer.hpp"

#include <utility>

#include "wasync/http/detail/chars.hpp"

namespace wasync::http::detail {

namespace {
constexpr auto malformed = framing_error::kind::malformed;
}  // namespace

void field_lexer::start(field_budget budget) noexcept {
  state_ = state::line_start;
  budget_ = budget;
  name_.clear();
  value_.clear();
}

const char* field_lexer::lex(const char* p, const char* end, header_list* fields) {
  while (p != nullptr && p < end) {
    switch (state_) {
      case state::line_start: p = line_start(p); break;
      case state::name: p = name(p, end); break;
      case state::value: p = value(p, end); break;
      case state::line_lf: p = line_end(p, fields); break;
      case state::section_lf: p = section_end(p); break;
      case state::done: return p;
      case state::failed: return nullptr;
    }
  }
  return p;
}

// The functions below are the body of lex()'s loop. Always inlined, they
// cost what one switch would; called, a request's fields cost about 5% more
// instructions (GCC 12 -O2 and clang 22 -O3 both decline to inline them).

template <char_class k>
[[gnu::always_inline]] inline const char* field_lexer::run(const char* p, const char* end, std::string& out) {
  p = append_run<k>(p, end, out, [this](std::size_t n) { return spend(n); });
  return p != nullptr ? p : too_large();
}

// A field line's first byte, or the CR of the empty line that ends the section.
[[gnu::always_inline]] inline const char* field_lexer::line_start(const char* p) {
  const char c = *p;
  if (c == '\r') return step(p, state::section_lf);
  // A line starting with whitespace is obs-fold, or hides a field behind the
  // start line (RFC 9112 §2.2, §5.2): both refused.
  if (c == ' ' || c == '\t') return fail(malformed, "line folding or leading whitespace");
  if (!is(c, tchar)) return fail(malformed, c == '\n' ? "bare LF" : "field name is not a token");
  if (budget_.fields == 0) return fail(framing_error::kind::fields_too_large, "too many header fields");
  --budget_.fields;
  state_ = state::name;
  return p;
}

[[gnu::always_inline]] inline const char* field_lexer::name(const char* p, const char* end) {
  p = run<tchar>(p, end, name_);
  if (p == nullptr || p == end) return p;
  if (*p != ':')
    return fail(malformed, *p == ' ' || *p == '\t'   ? "whitespace before colon"
                           : *p == '\r' || *p == '\n' ? "field line without colon"
                                                      : "field name is not a token");
  return step(p, state::value);
}

// The value up to its line's CR; the OWS around it is trimmed in line_end().
[[gnu::always_inline]] inline const char* field_lexer::value(const char* p, const char* end) {
  p = run<field_char>(p, end, value_);
  if (p == nullptr || p == end) return p;
  if (*p != '\r') return fail(malformed, control_reason(*p));
  return step(p, state::line_lf);
}

[[gnu::always_inline]] inline const char* field_lexer::line_end(const char* p, header_list* fields) {
  if (*p != '\n') return fail(malformed, "bare CR");
  p = step(p, state::line_start);
  if (p != nullptr && fields != nullptr) fields->add(std::move(name_), std::string(trim_ows(value_)));
  name_.clear();
  value_.clear();
  return p;
}

[[gnu::always_inline]] inline const char* field_lexer::section_end(const char* p) {
  if (*p != '\n') return fail(malformed, "bare CR");
  return step(p, state::done);
}

[[gnu::always_inline]] inline const char* field_lexer::step(const char* p, state next) {
  if (!spend(1)) return too_large();
  state_ = next;
  return p + 1;
}

[[gnu::always_inline]] inline bool field_lexer::spend(std::size_t n) noexcept {
  if (n > budget_.bytes) return false;
  budget_.bytes -= n;
  return true;
}

const char* field_lexer::fail(framing_error::kind what, std::string_view reason) noexcept {
  state_ = state::failed;
  error_ = {what, reason};
  return nullptr;
}

const char* field_lexer::too_large() noexcept {
  return fail(framing_error::kind::fields_too_large, "header section too large");
}

}  // namespace wasync::http::detail
