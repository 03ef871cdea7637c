// What fetch shares between wasi:http 0.2 (preview2) and 0.3: the two
// packages number methods and error codes alike (each host checks its
// generated tags against these), and build a fetch_response the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "wasync/error.hpp"
#include "wasync/fetch.hpp"
#include "wasync/http/status.hpp"

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
