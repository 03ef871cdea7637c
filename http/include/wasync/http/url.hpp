// url: the parts of an http:// or https:// URL a client needs to send a request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wasync/result.hpp"

namespace wasync::http {

struct url {
  std::string scheme;  ///< "http" or "https", lower-case
  std::string host;    ///< a name or IP literal, without brackets
  std::uint16_t port = 0;  ///< explicit, else 80 / 443
  std::string target;  ///< path and query ("/" when empty), no fragment
  bool ipv6_literal = false;

  /// "http://host[:port][/path][?query][#fragment]"; the scheme is matched
  /// case-insensitively. Other schemes, user info, an empty host, a bad port,
  /// or spaces and control characters: errc::invalid_argument.
  static result<url> parse(std::string_view text);
  /// The Host field value: host, bracketed if IPv6, with ":port" unless default.
  std::string authority() const;
};

}  // namespace wasync::http
