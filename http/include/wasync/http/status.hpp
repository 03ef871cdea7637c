// HTTP status codes and their reason phrases (RFC 9110 §15).
#pragma once

#include <string_view>

namespace wasync::http {

/// A status code. The named values are the ones wasync itself produces or a
/// small server commonly needs; any code from 100 to 999 may be cast in.
enum class status : int {
  continue_ = 100,
  switching_protocols = 101,
  ok = 200,
  created = 201,
  accepted = 202,
  no_content = 204,
  moved_permanently = 301,
  found = 302,
  see_other = 303,
  not_modified = 304,
  temporary_redirect = 307,
  permanent_redirect = 308,
  bad_request = 400,
  unauthorized = 401,
  forbidden = 403,
  not_found = 404,
  method_not_allowed = 405,
  request_timeout = 408,
  conflict = 409,
  length_required = 411,
  content_too_large = 413,  ///< RFC 9110's name for 413 "Payload Too Large"
  uri_too_long = 414,
  unsupported_media_type = 415,
  expectation_failed = 417,
  too_many_requests = 429,
  request_header_fields_too_large = 431,
  internal_server_error = 500,
  not_implemented = 501,
  bad_gateway = 502,
  service_unavailable = 503,
  http_version_not_supported = 505,
};

/// The standard reason phrase of `code` ("Not Found"), or "" for an
/// unregistered code (a status line may carry an empty reason phrase).
[[nodiscard]] std::string_view reason_phrase(status code) noexcept;

}  // namespace wasync::http
