// url::parse: just enough of RFC 3986 for an HTTP client.
#include "wasync/http/url.hpp"

#include <charconv>

#include "wasync/http/detail/chars.hpp"
#include "wasync/http/header_list.hpp"

namespace wasync::http {
namespace {
error bad(std::string_view text, std::string_view why) {
  return error(errc::invalid_argument, "not an http(s) URL (" + std::string(why) + "): \"" + std::string(text) + "\"");
}
}  // namespace

result<url> url::parse(std::string_view text) {
  url u;
  const std::size_t colon = text.find("://");
  if (colon == std::string_view::npos) return bad(text, "no scheme");
  const std::string_view scheme = text.substr(0, colon);
  if (iequals(scheme, "http")) u.scheme = "http", u.port = 80;
  else if (iequals(scheme, "https")) u.scheme = "https", u.port = 443;
  else return bad(text, "scheme");
  std::string_view rest = text.substr(colon + 3);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (!detail::all_of(target, detail::target_char)) return bad(text, "space or control character in the path");
  u.target = target.empty() ? "/" : target.front() == '?' ? "/" + std::string(target) : std::string(target);
  if (authority.find('@') != std::string_view::npos) return bad(text, "user info");
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad(text, "unclosed IPv6 literal");
    u.host = std::string(authority.substr(1, close - 1));
    u.ipv6_literal = true;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad(text, "text after the IPv6 literal");
    if (!after.empty()) port = after.substr(1);
  } else {
    const std::size_t c = authority.find(':');
    u.host = std::string(authority.substr(0, c));
    if (c != std::string_view::npos) port = authority.substr(c + 1);
  }
  if (u.host.empty()) return bad(text, "empty host");
  if (!detail::all_of(u.host, detail::host_char)) return bad(text, "host");
  if (!port.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535) return bad(text, "port");
    u.port = static_cast<std::uint16_t>(p);
  }
  return u;
}

std::string url::authority() const {
  std::string a = ipv6_literal ? "[" + host + "]" : host;
  if (port != (scheme == "https" ? 443 : 80)) a += ":" + std::to_string(port);
  return a;
}

}  // namespace wasync::http
