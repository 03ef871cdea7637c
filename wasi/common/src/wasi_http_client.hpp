// What the wasi:http 0.2 (preview2) and 0.3 hosts share, for fetch and for
// the server exports: the two packages number methods and error codes alike
// (each host checks its generated tags against these), and their fields,
// requests and responses convert the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wasync/error.hpp"
#include "wasync/result.hpp"
#include "wasync/fetch.hpp"
#include "wasync/http/header_list.hpp"
#include "wasync/http/status.hpp"
#include "wasync/http/url.hpp"

namespace wasync::detail {

namespace wasi_http {

/// wasi:http's method variant: its cases in order; anything else is `other`.
inline constexpr std::string_view methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
inline constexpr std::uint8_t method_other = 9;

/// The tag of method `m`: its case, else method_other (the name then goes as it is).
inline std::uint8_t method_tag(std::string_view m) noexcept {
  for (std::uint8_t i = 0; i < std::size(methods); ++i)
    if (m == methods[i]) return i;
  return method_other;
}

/// wasi:http's scheme variant: http, https.
inline constexpr std::uint8_t scheme_http = 0;
inline constexpr std::uint8_t scheme_https = 1;

/// Sets a request's method, scheme, authority and path through the host's
/// setters (the same in both packages, under other names and string types);
/// false when one refuses.
template <class Request, class Method, class Scheme, class String>
bool set_request_head(Request r, const std::string& method_name, const http::url& url, bool (*set_method)(Request, Method*),
                      bool (*set_scheme)(Request, Scheme*), bool (*set_authority)(Request, String*),
                      bool (*set_path)(Request, String*)) {
  const auto borrow = [](std::string_view s) {
    return String{reinterpret_cast<std::uint8_t*>(const_cast<char*>(s.data())), s.size()};
  };
  Method method{method_tag(method_name), {}};
  if (method.tag == method_other) method.val.other = borrow(method_name);
  Scheme scheme{url.scheme == "https" ? scheme_https : scheme_http, {}};
  const std::string host = url.authority();
  String authority = borrow(host);
  String path = borrow(url.target);
  return set_method(r, &method) && set_scheme(r, &scheme) && set_authority(r, &authority) && set_path(r, &path);
}

/// header-error's forbidden case.
inline constexpr std::uint8_t header_error_forbidden = 1;

/// A fields resource made from `headers` by the host's `from-list`.
template <class List, class Fields, class HeaderError>
result<Fields> make_fields(const http_headers& headers, bool (*from_list)(List*, Fields*, HeaderError*),
                           void (*free_error)(HeaderError*)) {
  using entry = std::remove_pointer_t<decltype(List::ptr)>;
  std::vector<entry> entries(headers.size());
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    entries[i].f0 = {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())), name.size()};
    entries[i].f1 = {reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), value.size()};
  }
  List list{entries.data(), entries.size()};
  Fields fields;
  HeaderError err;
  if (!from_list(&list, &fields, &err)) {
    const bool forbidden = err.tag == header_error_forbidden;
    free_error(&err);
    return error(errc::invalid_argument, forbidden ? "fetch: a header the host forbids (such as Host or Connection)"
                                                   : "fetch: an invalid header name or value");
  }
  return fields;
}

/// Hands each entry of a fields resource, through the host's copy of them,
/// to `add(name, value)`.
template <class Borrow, class List, class Add>
void for_each_field(Borrow fields, void (*copy)(Borrow, List*), void (*free_list)(List*), Add add) {
  List list;
  copy(fields, &list);
  for (std::size_t i = 0; i < list.len; ++i)
    add(std::string(reinterpret_cast<const char*>(list.ptr[i].f0.ptr), list.ptr[i].f0.len),
        std::string(reinterpret_cast<const char*>(list.ptr[i].f1.ptr), list.ptr[i].f1.len));
  free_list(&list);
}

/// The entries of a fields resource as fetch's headers.
template <class Borrow, class List>
http_headers read_fields(Borrow fields, void (*copy)(Borrow, List*), void (*free_list)(List*)) {
  http_headers out;
  for_each_field(fields, copy, free_list,
                 [&](std::string name, std::string value) { out.emplace_back(std::move(name), std::move(value)); });
  return out;
}

/// A request's fields as an http::header_list (the server exports).
template <class Borrow, class List>
http::header_list read_header_list(Borrow fields, void (*copy)(Borrow, List*), void (*free_list)(List*)) {
  http::header_list out;
  for_each_field(fields, copy, free_list,
                 [&](std::string name, std::string value) { out.add(std::move(name), std::move(value)); });
  return out;
}

/// A method variant's name: a known case's, else its `other` string (the
/// variant is freed then).
template <class Method, class Free>
std::string method_name(Method& m, Free free) {
  if (m.tag < std::size(methods)) return std::string(methods[m.tag]);
  std::string other(reinterpret_cast<const char*>(m.val.other.ptr), m.val.other.len);
  free(&m);
  return other;
}

/// The body length a request's Content-Length field declares, when it is one number.
inline std::optional<std::uint64_t> declared_length(const http::header_list& headers) {
  auto length = headers.get("Content-Length");
  if (!length || length->empty()) return std::nullopt;
  const std::string text(*length);
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return n;
}

/// The error-code cases fetch tells apart (their tags in both packages).
enum error_tag : unsigned {
  dns_timeout = 0,
  dns_error = 1,
  destination_not_found = 2,
  destination_ip_prohibited = 4,
  connection_refused = 6,
  connection_terminated = 7,
  connection_timeout = 8,
  connection_read_timeout = 9,
  http_request_denied = 15,
  http_request_method_invalid = 18,
  http_request_uri_invalid = 19,
  http_response_timeout = 33,
};

/// A wasi:http error-code (by its tag) as a wasync error.
inline error failure(unsigned tag, const std::string& url) {
  errc code = errc::network_error;
  std::string what;
  switch (tag) {
    case dns_error:
    case destination_not_found: code = errc::host_not_found, what = "host not found"; break;
    case connection_refused: code = errc::connection_refused, what = "connection refused"; break;
    case connection_terminated: code = errc::connection_reset, what = "connection terminated"; break;
    case dns_timeout:
    case connection_timeout:
    case connection_read_timeout:
    case http_response_timeout: code = errc::timeout, what = "timed out (host)"; break;
    case destination_ip_prohibited:
    case http_request_denied: code = errc::not_permitted, what = "denied by the host"; break;
    case http_request_method_invalid:
    case http_request_uri_invalid: code = errc::invalid_argument, what = "invalid request"; break;
    default: what = "wasi:http error " + std::to_string(tag);
  }
  return error(code, "fetch " + url + ": " + what);
}

/// A host's error-code as a wasync error; `free` then frees what it holds.
template <class ErrorCode, class Free>
error failure(ErrorCode& e, const std::string& url, Free free) {
  error out = failure(e.tag, url);
  free(e);
  return out;
}

/// The request body's bytes (empty without a body).
inline std::span<const std::byte> body_bytes(const fetch_request& r) noexcept {
  if (auto* text = std::get_if<std::string>(&r.body)) return std::as_bytes(std::span(*text));
  if (auto* bytes = std::get_if<std::vector<std::byte>>(&r.body)) return *bytes;
  return {};
}

}  // namespace wasi_http

struct fetch_access {
  static fetch_response make(int status, http_headers headers, fetch_body_ptr body) {
    fetch_response r;
    r.status_ = status;
    r.status_text_ = std::string(http::reason_phrase(static_cast<http::status>(status)));
    r.headers_ = std::move(headers);
    r.body_ = std::move(body);
    return r;
  }
};

}  // namespace wasync::detail

// Checks the bindings' tags against wasi_http's (place it after the generated header).
#define WASYNC_WASI_HTTP_CHECK_TAGS()                                                                                  \
  static_assert(WASI_HTTP_TYPES_METHOD_OTHER == ::wasync::detail::wasi_http::method_other &&                       \
                WASI_HTTP_TYPES_METHOD_PATCH == 8 &&                                                                  \
                WASI_HTTP_TYPES_SCHEME_HTTP == ::wasync::detail::wasi_http::scheme_http &&                            \
                WASI_HTTP_TYPES_SCHEME_HTTPS == ::wasync::detail::wasi_http::scheme_https &&                          \
                WASI_HTTP_TYPES_HEADER_ERROR_FORBIDDEN == ::wasync::detail::wasi_http::header_error_forbidden &&      \
                WASI_HTTP_TYPES_ERROR_CODE_DNS_TIMEOUT == ::wasync::detail::wasi_http::dns_timeout &&                 \
                WASI_HTTP_TYPES_ERROR_CODE_CONNECTION_REFUSED == ::wasync::detail::wasi_http::connection_refused &&    \
                WASI_HTTP_TYPES_ERROR_CODE_HTTP_REQUEST_DENIED == ::wasync::detail::wasi_http::http_request_denied &&  \
                WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_TIMEOUT == ::wasync::detail::wasi_http::http_response_timeout)
