// response_head: the status line and fields of a response whose body follows
// separately (a stream), for the server's writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "wasync/http/request.hpp"
#include "wasync/http/response.hpp"
#include "wasync/result.hpp"

namespace wasync::http::detail {

/// How the body after a head is framed.
enum class body_framing : unsigned char {
  none,            ///< no body (1xx, 204, 304, or a HEAD request's answer)
  content_length,  ///< exactly `length` bytes
  chunked,         ///< chunked transfer coding (HTTP/1.1 peers)
  until_close,     ///< the body ends with the connection (HTTP/1.0 peers)
};

struct response_head {
  std::string bytes;  ///< status line, fields, CRLF
  body_framing framing = body_framing::none;
  bool keep_alive = false;  ///< the connection may go on after this response
};

/// The head of `r` answering a request of version `peer`, method HEAD when
/// `head_method`, that keeps the connection open when `keep_alive`; `length`:
/// the body's size when known. Checks as serialize() does.
[[nodiscard]] result<response_head> write_head(const response& r, version peer, bool head_method, bool keep_alive,
                                               std::optional<std::uint64_t> length);

}  // namespace wasync::http::detail
