#include "wasync/http/server_request.hpp"

namespace wasync::http {

std::string_view server_request::path() const noexcept {
  return std::string_view(target).substr(0, target.find('?'));
}

std::string_view server_request::query() const noexcept {
  const auto q = target.find('?');
  return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
}

}  // namespace wasync::http
