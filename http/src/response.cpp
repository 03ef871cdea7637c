// Response serialization: one buffer per response, checked before anything is written.
#include "wasync/http/response.hpp"

#include "wasync/http/detail/chars.hpp"

namespace wasync::http {

namespace {

enum class connection { none, close, keep_alive };

result<std::string> write(const response& r, version peer, bool head, connection conn) {
  const int code = static_cast<int>(r.status);
  if (code < 100 || code > 999) return error(errc::invalid_argument, "status outside 100-999");
  // 1xx, 204 and 304 never carry a body nor, here, a Content-Length (RFC 9110 §8.6).
  const bool bodiless = code < 200 || code == 204 || code == 304;
  if (bodiless && !r.body.empty()) return error(errc::invalid_argument, "this status has no body");

  std::size_t size = r.body.size() + 64;
  for (const auto& f : r.headers) {
    if (!detail::is_token(f.name)) return error(errc::invalid_argument, "header name is not a token");
    // A CR or LF here would end the field early and let the value forge
    // fields or a whole response (header injection).
    if (!detail::all_of(f.value, detail::field_char))
      return error(errc::invalid_argument, "header value of " + f.name + " holds CR, LF or a control character");
    if (iequals(f.name, "Content-Length") || iequals(f.name, "Transfer-Encoding"))
      return error(errc::invalid_argument, f.name + " is set by the writer");
    size += f.name.size() + f.value.size() + 4;
  }

  std::string out;
  out.reserve(size);
  // Always HTTP/1.1: a server answers with the highest 1.x it speaks (RFC 9110 §2.5).
  out += "HTTP/1.1 ";
  out += static_cast<char>('0' + code / 100);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& f : r.headers) {
    out += f.name;
    out += ": ";
    out += f.value;
    out += "\r\n";
  }
  if (conn == connection::close) out += "Connection: close\r\n";
  // HTTP/1.0 clients close unless the response says keep-alive.
  if (conn == connection::keep_alive && peer == version::http_1_0) out += "Connection: keep-alive\r\n";
  if (!bodiless) {
    out += "Content-Length: ";
    out += std::to_string(r.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  if (!head) out += r.body;
  return out;
}

}  // namespace

result<std::string> serialize(const response& r) {
  return write(r, version::http_1_1, false, r.close ? connection::close : connection::none);
}

result<std::string> serialize(const response& r, const request& req) {
  const bool keep = !r.close && req.keep_alive();
  return write(r, req.version, req.method == "HEAD", keep ? connection::keep_alive : connection::close);
}

}  // namespace wasync::http
