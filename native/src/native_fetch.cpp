// fetch on the native host: HTTP/1.1 over tcp_stream (http:// only), one
// connection per request ("Connection: close"), the response read with
// http::response_parser. The body streams from the socket as it is read.
#include "wasync/as_result.hpp"
#include "wasync/fetch.hpp"
#include "wasync/http/response_parser.hpp"
#include "wasync/http/url.hpp"
#include "wasync/streams.hpp"

namespace wasync {
namespace detail {

/// A response body still on its connection.
struct fetch_body {
  tcp_stream conn;
  http::response_parser parser;
  std::string url;
};

// Closing the connection aborts a transfer still running.
void fetch_body_deleter::operator()(fetch_body* body) const noexcept { delete body; }

namespace {

error malformed(const std::string& url, std::string_view why) {
  return error(errc::network_error, "fetch " + url + ": malformed response: " + std::string(why));
}

bool has_ctl(std::string_view s) {
  for (char c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

result<std::string> serialize(const fetch_request& request, const http::url& u) {
  if (request.method.empty() || has_ctl(request.method) || request.method.find(' ') != std::string::npos)
    return error(errc::invalid_argument, "fetch: invalid method \"" + request.method + "\"");
  std::string out = request.method + " " + u.target + " HTTP/1.1\r\nHost: " + u.authority() + "\r\n";
  bool user_agent = false;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_ctl(name) || name.find_first_of(" :") != std::string::npos || has_ctl(value))
      return error(errc::invalid_argument, "fetch: invalid header field \"" + name + "\"");
    // Framing and the connection are the client's to set.
    if (http::iequals(name, "Host") || http::iequals(name, "Content-Length") ||
        http::iequals(name, "Transfer-Encoding") || http::iequals(name, "Connection"))
      return error(errc::invalid_argument, "fetch: the header field \"" + name + "\" is set by fetch");
    user_agent = user_agent || http::iequals(name, "User-Agent");
    out += name + ": " + value + "\r\n";
  }
  if (!user_agent) out += "User-Agent: wasync\r\n";
  std::string_view body;
  if (auto* text = std::get_if<std::string>(&request.body)) body = *text;
  else if (auto* bytes = std::get_if<std::vector<std::byte>>(&request.body))
    body = std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  if (!std::holds_alternative<std::monostate>(request.body) || request.method == "POST" || request.method == "PUT")
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  out += body;
  return out;
}

}  // namespace

struct fetch_access {
  static fetch_response make(http::response_head head, fetch_body_ptr body) {
    fetch_response r;
    r.status_ = head.status;
    r.status_text_ = std::move(head.reason);
    for (const http::header& h : head.headers) {
      std::string name = h.name;
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      r.headers_.emplace_back(std::move(name), h.value);
    }
    r.body_ = std::move(body);
    return r;
  }
};

namespace {

/// Connects, sends, and reads until the head is complete.
task<fetch_response> exchange(fetch_request request, http::url u) {
  const auto wire = serialize(request, u);
  if (!wire) co_await fail(wire.error());
  fetch_body_ptr state(new fetch_body{{}, http::response_parser(request.method), request.url});
  auto conn = co_await as_result(open_connection(u.host, u.port));
  if (!conn) co_await fail(error(conn.error().code(), "fetch " + request.url + ": " + conn.error().message()));
  state->conn = std::move(*conn);
  co_await state->conn.write_all(*wire);
  std::string buf(16 * 1024, '\0');
  while (!state->parser.has_head() && !state->parser.failed()) {
    const std::size_t n = co_await state->conn.read_some(std::as_writable_bytes(std::span(buf)));
    if (n == 0) state->parser.finish();
    else state->parser.feed(std::string_view(buf.data(), n));
  }
  if (state->parser.failed()) co_await fail(malformed(request.url, state->parser.error()));
  auto head = *state->parser.head();
  co_return fetch_access::make(std::move(head), std::move(state));
}

}  // namespace
}  // namespace detail

namespace detail {
// The request timeout (a scope around this) comes from runtime/src/fetch.cpp.
task<fetch_response> fetch_start(const fetch_request& request) {
  auto u = http::url::parse(request.url);
  if (!u) co_await fail(u.error());
  if (u->scheme != "http")
    co_await fail(errc::not_supported, "fetch " + request.url + ": https is not supported on this host (native)");
  co_return co_await exchange(request, std::move(*u));
}

// The body arrives through the same parser chunk by chunk: bytes() reads it so.
task<std::optional<std::vector<std::byte>>> fetch_read_whole(fetch_body&) { co_return std::nullopt; }
}  // namespace detail

// The status text and headers arrive with the response.
void fetch_response::load_head() const {}

task<std::optional<std::vector<std::byte>>> fetch_response::read_chunk() {
  if (!body_) co_return std::nullopt;
  detail::fetch_body& b = *body_;
  std::string buf(16 * 1024, '\0');
  for (;;) {
    std::string piece = b.parser.take_body();
    if (!piece.empty()) {
      const auto* p = reinterpret_cast<const std::byte*>(piece.data());
      co_return std::vector<std::byte>(p, p + piece.size());
    }
    if (b.parser.failed()) co_await fail(detail::malformed(b.url, b.parser.error()));
    if (b.parser.done()) {
      body_.reset();  // the connection closes now
      co_return std::nullopt;
    }
    // A cancelled read loses nothing: tcp_stream keeps what it received.
    const std::size_t n = co_await b.conn.read_some(std::as_writable_bytes(std::span(buf)));
    if (n == 0) b.parser.finish();
    else b.parser.feed(std::string_view(buf.data(), n));
  }
}

}  // namespace wasync
