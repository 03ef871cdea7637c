// request: version names and the keep-alive rule.
#include "wasync/http/request.hpp"

namespace wasync::http {

std::string_view to_string(version v) noexcept {
  return v == version::http_1_0 ? "HTTP/1.0" : "HTTP/1.1";
}

bool request::keep_alive() const noexcept {
  if (headers.has_token("Connection", "close")) return false;
  return version == http::version::http_1_1 || headers.has_token("Connection", "keep-alive");
}

}  // namespace wasync::http
