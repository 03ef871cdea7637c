// Response serialization: one buffer per response, checked before anything is written.
#include "wasync/http/response.hpp"

#include "wasync/http/detail/chars.hpp"
#include "wasync/http/detail/response_head.hpp"

namespace wasync::http {

namespace detail {

result<response_head> write_head(const response& r, version peer, bool head_method, bool keep_alive,
                                 std::optional<std::uint64_t> length) {
  const int code = static_cast<int>(r.status);
  if (code < 100 || code > 999) return error(errc::invalid_argument, "status outside 100-999");
  // 1xx, 204 and 304 never carry a body nor, here, a Content-Length (RFC 9110 §8.6).
  const bool bodiless = code < 200 || code == 204 || code == 304;
  if (bodiless && (r.body.is_stream() || !r.body.bytes().empty()))
    return error(errc::invalid_argument, "this status has no body");

  std::size_t size = 96;
  for (const auto& f : r.headers) {
    if (!is_token(f.name)) return error(errc::invalid_argument, "header name is not a token");
    // A CR or LF here would end the field early and let the value forge
    // fields or a whole response (header injection).
    if (!all_of(f.value, field_char))
      return error(errc::invalid_argument, "header value of " + f.name + " holds CR, LF or a control character");
    if (iequals(f.name, "Content-Length") || iequals(f.name, "Transfer-Encoding"))
      return error(errc::invalid_argument, f.name + " is set by the writer");
    size += f.name.size() + f.value.size() + 4;
  }

  response_head h;
  h.framing = bodiless ? body_framing::none
              : length ? body_framing::content_length
              : peer == version::http_1_1 ? body_framing::chunked
                                          : body_framing::until_close;
  // An HTTP/1.0 peer learns where a body of unknown length ends only from the close.
  h.keep_alive = keep_alive && h.framing != body_framing::until_close;
  std::string& out = h.bytes;
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
  if (!h.keep_alive) out += "Connection: close\r\n";
  // HTTP/1.0 clients close unless the response says keep-alive.
  else if (peer == version::http_1_0) out += "Connection: keep-alive\r\n";
  if (h.framing == body_framing::content_length) {
    out += "Content-Length: ";
    out += std::to_string(*length);
    out += "\r\n";
  } else if (h.framing == body_framing::chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  }
  out += "\r\n";
  // A HEAD answer carries the fields of the GET answer, not its body (RFC 9110 §9.3.2).
  if (head_method) h.framing = body_framing::none;
  return h;
}

}  // namespace detail

namespace {

result<std::string> write(const response& r, version peer, bool head_method, bool keep_alive) {
  if (r.body.is_stream()) return error(errc::invalid_argument, "serialize() takes a body in memory, not a stream");
  auto h = detail::write_head(r, peer, head_method, keep_alive, r.body.bytes().size());
  if (!h) return h.error();
  if (h->framing == detail::body_framing::content_length) h->bytes += r.body.bytes();
  return std::move(h->bytes);
}

}  // namespace

result<std::string> serialize(const response& r) {
  return write(r, version::http_1_1, false, !r.close);
}

result<std::string> serialize(const response& r, const request& req) {
  return write(r, req.version, req.method == "HEAD", !r.close && req.keep_alive());
}

}  // namespace wasync::http
