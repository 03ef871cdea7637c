// server_request: what a server hands its handler, on every host: the head
// parsed, the body still streaming.
#pragma once

#include <optional>
#include <string>

#include "wasync/address.hpp"
#include "wasync/http/body.hpp"
#include "wasync/http/header_list.hpp"
#include "wasync/http/request.hpp"

namespace wasync::http {

/// One request as a handler receives it. Framing is the server's business:
/// the body arrives decoded (chunked or not); Content-Length and
/// Transfer-Encoding stay in `headers` as the client sent them.
struct server_request {
  std::string method;  ///< a token, case kept ("GET")
  std::string target;  ///< the request-target as sent ("/a?b"; wasi:http hosts give path and query)
  http::version version = http::version::http_1_1;
  header_list headers;
  /// The client's address, where the host tells it (`wasmtime serve` does not).
  std::optional<socket_address> peer;
  /// The body as it arrives. Read it while the handler runs (its source ends
  /// with the connection); a handler that answers without reading it lets
  /// the server discard the rest, or close the connection.
  http::body body;

  /// The target's path: the part before '?'.
  [[nodiscard]] std::string_view path() const noexcept;
  /// The target's query: the part after the first '?' (empty if none).
  [[nodiscard]] std::string_view query() const noexcept;
};

}  // namespace wasync::http
