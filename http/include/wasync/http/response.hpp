// response: what a server answers, and its serialization into one buffer.
#pragma once

#include <string>

#include "wasync/http/body.hpp"
#include "wasync/http/header_list.hpp"
#include "wasync/http/request.hpp"
#include "wasync/http/status.hpp"
#include "wasync/result.hpp"

namespace wasync::http {

/// A response (move-only: its body may be a stream). The writer owns the
/// framing: it adds Content-Length (none for 1xx, 204 and 304, which have no
/// body), or for a stream of unknown length chunked transfer coding on
/// HTTP/1.1 (to HTTP/1.0: the body then ends with the connection), and the
/// Connection field, so `headers` must not hold Content-Length or
/// Transfer-Encoding. End a connection with `close`, not a Connection field.
struct response {
  http::status status = http::status::ok;
  header_list headers;
  /// Bytes (`.body = "hello"`) or a stream (`.body = std::move(req.body)`).
  /// A stream whose size() is known must deliver exactly that many bytes.
  http::body body;
  /// Close the connection after this response: sends "Connection: close".
  bool close = false;
};

/// Status line, fields, Content-Length and body in one buffer (one write) for a
/// body in memory (a stream: errc::invalid_argument),
/// answering HTTP/1.1 without a request at hand (e.g. a parse error).
/// Fails with errc::invalid_argument, writing nothing, on a field name that is
/// not a token, a value holding CR, LF or another control character (header
/// injection), a framing field in `headers`, a body where the status allows
/// none, or a status outside 100-999.
[[nodiscard]] result<std::string> serialize(const response& r);

/// As above, answering `req`: adds "Connection: close" when `req` does not
/// keep the connection alive, "Connection: keep-alive" to an HTTP/1.0 request
/// that does, and for HEAD sends the Content-Length of `body` but not the body.
[[nodiscard]] result<std::string> serialize(const response& r, const request& req);

}  // namespace wasync::http
