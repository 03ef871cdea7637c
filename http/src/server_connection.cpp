// server_connection: the parser driven by reads under per-phase deadlines.
// Compiled into each host library (it does I/O), not into wasync_http.
#include "wasync/http/server_connection.hpp"

#include <cstdint>
#include <span>
#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/timeout.hpp"

namespace wasync::http {

namespace {

constexpr std::size_t read_size = 16 * 1024;
constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

time_point now() { return event_loop::current()->now(); }

}  // namespace

server_connection::server_connection(tcp_stream stream, server_connection_options options)
    : stream_(std::move(stream)), options_(options), parser_(options.parser) {}

task<std::optional<request>> server_connection::next_request() {
  // Deadlines of the request being read, set when its head and its body begin.
  std::optional<time_point> head_deadline;
  std::optional<time_point> body_start;
  std::size_t body_bytes = 0;
  // Bytes arrived for this request. Empty lines before a request line leave
  // the parser idle; they start the head deadline all the same, or a CRLF
  // every idle_timeout would hold the connection for days.
  bool started = false;
  for (;;) {
    if (auto req = parser_.next()) co_return req;
    if (parser_.failed()) {
      co_await refuse(parser_.error().status);
      co_return std::nullopt;
    }
    if (eof_) co_return std::nullopt;

    parse_stage stage = parser_.stage();
    if (stage == parse_stage::idle && started) stage = parse_stage::head;
    time_point deadline;
    if (stage == parse_stage::idle) {
      deadline = now() + options_.idle_timeout;
    } else if (stage == parse_stage::head) {
      if (!head_deadline) head_deadline = now() + options_.head_timeout;
      deadline = *head_deadline;
    } else {
      if (!body_start) {
        body_start = now();
        if (parser_.expects_continue() && !co_await write(continue_line)) co_return std::nullopt;
      }
      // Each byte earns 1/min_body_rate s (in 64 bits: size_t has 32 on wasm32).
      const auto earned = options_.min_body_rate == 0
                              ? std::chrono::milliseconds(0)
                              : std::chrono::milliseconds(std::uint64_t{body_bytes} * 1000 / options_.min_body_rate);
      deadline = *body_start + options_.body_timeout + earned;
    }

    if (buffer_.empty()) buffer_.resize(read_size);
    auto n = co_await as_result(
        wait_for(stream_.read_some(std::as_writable_bytes(std::span(buffer_))), deadline - now()));
    if (!n) {
      if (n.error().is(errc::cancelled)) co_await fail(n.error());
      // A quiet keep-alive connection closes without a word; a request cut
      // short by its deadline earns a 408.
      if (n.error().is(errc::timeout) && stage != parse_stage::idle) co_await refuse(status::request_timeout);
      // A reset or a read error ends this connection only.
      co_return std::nullopt;
    }
    if (*n == 0) {
      parser_.finish();  // a half-sent request now fails with 400
      eof_ = true;
      continue;
    }
    started = true;
    if (stage == parse_stage::body) body_bytes += *n;
    parser_.feed(std::string_view(buffer_.data(), *n));
  }
}

task<bool> server_connection::respond(const response& res, const request& req) {
  auto bytes = serialize(res, req);
  if (!bytes) co_await fail(bytes.error());
  if (!co_await write(*bytes)) co_return false;
  co_return !res.close && req.keep_alive();
}

task<bool> server_connection::write(std::string_view bytes) {
  auto r = co_await as_result(wait_for(stream_.write_all(bytes), options_.write_timeout));
  if (!r && r.error().is(errc::cancelled)) co_await fail(r.error());
  co_return r.has_value();
}

task<void> server_connection::refuse(http::status code) {
  auto bytes = serialize({.status = code, .close = true});
  if (!bytes || !co_await write(*bytes)) co_return;
  if (!co_await as_result(stream_.shutdown_write())) co_return;
  const auto until = now() + options_.linger_timeout;
  if (buffer_.empty()) buffer_.resize(read_size);
  while (!eof_) {
    auto n = co_await as_result(wait_for(stream_.read_some(std::as_writable_bytes(std::span(buffer_))), until - now()));
    if (!n && n.error().is(errc::cancelled)) co_await fail(n.error());
    if (!n || *n == 0) break;
  }
}

}  // namespace wasync::http
