// request: one parsed HTTP/1.x request, body included.
#pragma once

#include <string>
#include <string_view>

#include "wasync/http/header_list.hpp"

namespace wasync::http {

/// The protocol versions a request may carry. HTTP/1.2 to 1.9 parse as 1.1
/// (RFC 9110 §2.5: a higher minor version is handled as the highest we know).
enum class version : unsigned char { http_1_0, http_1_1 };

/// "HTTP/1.0" or "HTTP/1.1".
[[nodiscard]] std::string_view to_string(version v) noexcept;

/// A complete request. The body is always decoded: a chunked body arrives here
/// as its bytes, its trailer fields dropped (RFC 9110 §6.5.1 allows that).
struct request {
  std::string method;  ///< a token, case kept ("GET"; methods are case-sensitive)
  std::string target;  ///< the request-target as sent ("/a?b", "*", "http://h/p", "h:443")
  http::version version = http::version::http_1_1;
  header_list headers;
  std::string body;

  /// Whether the connection may stay open after the answer (RFC 9112 §9.3):
  /// HTTP/1.1 unless a Connection field says "close"; HTTP/1.0 only if one
  /// says "keep-alive" (and none says "close").
  [[nodiscard]] bool keep_alive() const noexcept;

  friend bool operator==(const request&, const request&) = default;
};

}  // namespace wasync::http
