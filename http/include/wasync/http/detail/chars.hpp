// Character classes of RFC 9110/9112 grammar, shared by the parser and the writer.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace wasync::http::detail {

enum char_class : unsigned char {
  tchar = 1,        // token: method, field name, transfer coding
  field_char = 2,   // inside a field value: VCHAR, obs-text, SP, HTAB
  target_char = 4,  // request-target: VCHAR (no SP, no CTL, no obs-text)
  host_char = 8,    // Host value: uri-host [":" port], IP literals included
  digit = 16,       // DIGIT
};

inline constexpr std::array<unsigned char, 256> char_classes = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0x21; c <= 0x7e; ++c) t[c] |= field_char | target_char;
  for (int c = 0x80; c <= 0xff; ++c) t[c] |= field_char;
  t[' '] |= field_char;
  t['\t'] |= field_char;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] |= tchar;
  for (char c : std::string_view("-._~%!$&'()*+,;=:[]")) t[static_cast<unsigned char>(c)] |= host_char;
  for (int c = '0'; c <= '9'; ++c) t[c] |= tchar | host_char | digit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= tchar | host_char;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= tchar | host_char;
  return t;
}();

inline bool is(char c, char_class k) noexcept {
  return (char_classes[static_cast<unsigned char>(c)] & k) != 0;
}

inline bool all_of(std::string_view s, char_class k) noexcept {
  for (char c : s)
    if (!is(c, k)) return false;
  return true;
}

inline bool is_token(std::string_view s) noexcept { return !s.empty() && all_of(s, tchar); }

/// How many characters of class `k` start [p, end): parsers copy such runs in bulk.
inline std::size_t run_of(const char* p, const char* end, char_class k) noexcept {
  const char* q = p;
  while (q < end && is(*q, k)) ++q;
  return static_cast<std::size_t>(q - p);
}

/// Appends the run of `k` characters at `p` to `out` once `admit(n)` has
/// counted its n bytes against a limit; returns where the run stops, or
/// nullptr when admit refused them.
template <char_class k, class Admit>
const char* append_run(const char* p, const char* end, std::string& out, Admit admit) {
  const auto n = run_of(p, end, k);
  if (!admit(n)) return nullptr;
  out.append(p, n);
  return p + n;
}

/// Why a byte that may not appear inside a line is refused there.
inline std::string_view control_reason(char c) noexcept {
  return c == '\n' ? "bare LF" : c == '\r' ? "bare CR" : "control character";
}

/// `s` without leading and trailing SP/HTAB (RFC 9110's OWS).
inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Whether `s`, the bytes between a chunk size and its CRLF, is a chunk-ext
/// of RFC 9112 §7.1.1: *( BWS ";" BWS name [ BWS "=" BWS value ] ), name a
/// token, value a token or a quoted-string. Empty is fine (no extension).
inline bool is_chunk_ext(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto bws = [&] {
    while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  auto token = [&] {
    const std::size_t from = i;
    while (i < n && is(s[i], tchar)) ++i;
    return i > from;
  };
  // quoted-string = DQUOTE *( qdtext / "\" ( HTAB / SP / VCHAR / obs-text ) ) DQUOTE;
  // every other byte of a field value is qdtext.
  auto quoted_string = [&] {
    if (i == n || s[i] != '"') return false;
    for (++i; i < n; ++i) {
      if (s[i] == '"') return ++i, true;
      if (s[i] == '\\' && (++i == n || !is(s[i], field_char))) return false;
      if (!is(s[i], field_char)) return false;
    }
    return false;
  };
  while (i < n) {
    bws();
    if (i == n || s[i] != ';') return false;
    ++i;
    bws();
    if (!token()) return false;
    const std::size_t after_name = i;
    bws();
    if (i < n && s[i] == '=') {
      ++i;
      bws();
      if (!quoted_string() && !token()) return false;
    } else {
      i = after_name;  // that whitespace leads the next extension
    }
  }
  return true;
}

/// Calls `f(element)` for each comma-separated element of a list field value,
/// trimmed, skipping empty elements (RFC 9110 §5.6.1); stops when f returns false.
template <class F>
bool for_each_element(std::string_view list, F f) {
  while (true) {
    auto comma = list.find(',');
    auto element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !f(element)) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace wasync::http::detail
