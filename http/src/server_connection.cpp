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

/// A request body read from its connection; reads nothing once the
/// connection has gone or moved on to another request.
class connection_body final : public body_source {
 public:
  connection_body(std::shared_ptr<server_connection*> conn, const std::uint64_t* sequence,
                  std::optional<std::uint64_t> size)
      : conn_(std::move(conn)), sequence_(*sequence), current_(sequence), size_(size) {}

  task<std::optional<std::string>> read() override {
    server_connection* c = *conn_;
    if (c == nullptr || *current_ != sequence_)
      co_await fail(errc::closed, "the request's connection has moved on; read a body while handling its request");
    co_return co_await c->read_body();
  }
  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  std::shared_ptr<server_connection*> conn_;
  std::uint64_t sequence_;
  // Read only while *conn_ is set: the connection owns it.
  const std::uint64_t* current_;
  std::optional<std::uint64_t> size_;
};

/// The Content-Length the parser accepted (a digit string; repeated values agree).
std::optional<std::uint64_t> content_length(const header_list& h) {
  auto v = h.get("Content-Length");
  if (!v || h.contains("Transfer-Encoding")) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v->substr(0, v->find(','))) {
    if (c >= '0' && c <= '9') n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

void append_hex(std::string& out, std::size_t n) {
  char digits[16];
  int i = 0;
  do digits[i++] = "0123456789abcdef"[n % 16];
  while ((n /= 16) != 0);
  while (i != 0) out += digits[--i];
}

}  // namespace

server_connection::server_connection(tcp_stream stream, server_connection_options options)
    : stream_(std::move(stream)),
      options_(options),
      parser_(options.parser),
      self_(std::make_shared<server_connection*>(this)) {}

server_connection::~server_connection() { *self_ = nullptr; }

task<bool> server_connection::fill(bool started) {
  parse_stage stage = parser_.stage();
  if (stage == parse_stage::idle && started) stage = parse_stage::head;
  time_point deadline;
  if (stage == parse_stage::idle) {
    deadline = now() + options_.idle_timeout;
  } else if (stage == parse_stage::head) {
    if (!head_deadline_) head_deadline_ = now() + options_.head_timeout;
    deadline = *head_deadline_;
  } else {
    if (!body_start_) body_start_ = now();
    // Each byte earns 1/min_body_rate s (in 64 bits: size_t has 32 on wasm32).
    const auto earned = options_.min_body_rate == 0
                            ? std::chrono::milliseconds(0)
                            : std::chrono::milliseconds(std::uint64_t{body_bytes_} * 1000 / options_.min_body_rate);
    deadline = *body_start_ + options_.body_timeout + earned;
  }

  if (buffer_.empty()) buffer_.resize(read_size);
  auto n = co_await as_result(
      wait_for(stream_.read_some(std::as_writable_bytes(std::span(buffer_))), deadline - now()));
  if (!n) {
    if (n.error().is(errc::cancelled)) co_await fail(n.error());
    // A quiet keep-alive connection closes without a word; a request cut
    // short by its deadline earns a 408.
    if (n.error().is(errc::timeout) && stage != parse_stage::idle) refusal_ = status::request_timeout;
    // A reset or a read error ends this connection only.
    co_return false;
  }
  if (*n == 0) {
    parser_.finish();  // a half-sent request now fails with 400
    eof_ = true;
    co_return true;
  }
  if (stage == parse_stage::body) body_bytes_ += *n;
  parser_.feed(std::string_view(buffer_.data(), *n));
  co_return true;
}

task<std::optional<request>> server_connection::next_request() {
  head_deadline_.reset();
  body_start_.reset();
  body_bytes_ = 0;
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
    if (parser_.stage() == parse_stage::body && !body_start_ && parser_.expects_continue()) {
      body_start_ = now();
      if (!co_await write(continue_line)) co_return std::nullopt;
    }
    if (!co_await fill(started)) {
      if (refusal_) co_await refuse(*refusal_);
      co_return std::nullopt;
    }
    started = true;
  }
}

task<bool> server_connection::respond(const response& res, const request& req) {
  auto bytes = serialize(res, req);
  if (!bytes) co_await fail(bytes.error());
  if (!co_await write(*bytes)) co_return false;
  co_return !res.close && req.keep_alive();
}

task<std::optional<server_request>> server_connection::next_server_request(task_ref reader) {
  ++sequence_;  // bodies of earlier requests read nothing from here on
  head_deadline_.reset();
  body_start_.reset();
  body_bytes_ = 0;
  continue_sent_ = false;
  response_started_ = false;
  bool started = false;
  for (;;) {
    if (auto head = parser_.next_head()) {
      version_ = head->version;
      head_method_ = head->method == "HEAD";
      keep_alive_ = head->keep_alive();
      server_request req{.method = std::move(head->method),
                         .target = std::move(head->target),
                         .version = head->version,
                         .headers = std::move(head->headers),
                         .peer = std::nullopt,
                         .body = {}};
      if (parser_.body_pending()) {
        req.body = body(std::make_unique<connection_body>(self_, &sequence_, content_length(req.headers)));
        reader_ = std::move(reader);
      }
      if (!peer_known_) {  // once per connection: natively a system call
        peer_known_ = true;
        if (auto peer = stream_.peer_address()) peer_ = *peer;
      }
      req.peer = peer_;
      co_return req;
    }
    if (parser_.failed()) {
      co_await refuse(parser_.error().status);
      co_return std::nullopt;
    }
    if (eof_) co_return std::nullopt;
    if (!co_await fill(started)) {
      if (refusal_) co_await refuse(*refusal_);
      co_return std::nullopt;
    }
    started = true;
  }
}

task<std::optional<std::string>> server_connection::read_body() {
  std::string out;
  for (;;) {
    if (parser_.read_body(out)) co_return out.empty() ? std::nullopt : std::optional<std::string>(std::move(out));
    if (!out.empty()) co_return out;
    if (parser_.failed()) {
      const bool cut_short = eof_;
      if (!cut_short) refusal_ = parser_.error().status;
      else left_mid_body();
      // Named first: GCC 12 mishandles temporaries in a co_await operand with a conditional.
      error why = cut_short ? error(errc::connection_reset, "the client left mid-body")
                            : error(errc::invalid_argument, std::string(parser_.error().reason));
      co_await fail(std::move(why));
    }
    if (parser_.expects_continue() && !continue_sent_) {
      continue_sent_ = true;
      body_start_ = now();
      if (!co_await write(continue_line)) {
        left_mid_body();
        co_await fail(errc::connection_reset, "the client left before the body");
      }
    }
    if (!co_await fill(true)) {
      if (refusal_) co_await fail(errc::timeout, "the body arrived too slowly");
      left_mid_body();
      co_await fail(errc::connection_reset, "the client left mid-body");
    }
  }
}

void server_connection::left_mid_body() noexcept {
  client_left_ = true;
  if (reader_.valid()) reader_.cancel("the client left mid-body");
}

task<bool> server_connection::discard_body() {
  // A client waiting for 100 Continue has sent nothing: close rather than wait.
  if (parser_.expects_continue() && !continue_sent_) co_return false;
  std::string sink;
  for (;;) {
    sink.clear();
    if (parser_.read_body(sink)) co_return true;
    if (parser_.failed() || eof_) co_return false;
    if (!co_await fill(true)) co_return false;
  }
}

task<bool> server_connection::respond(response& res) {
  if (refusal_ || parser_.failed()) {
    co_await refuse(refusal_ ? *refusal_ : parser_.error().status);
    co_return false;
  }
  const bool unread = parser_.body_pending();
  // An unread body with 100-continue pending is never sent: the connection closes after this answer.
  const bool keep = keep_alive_ && !res.close && !(unread && parser_.expects_continue() && !continue_sent_);
  bool ok = false;
  if (!res.body.is_stream()) {
    auto h = detail::write_head(res, version_, head_method_, keep, res.body.bytes().size());
    if (!h) co_await fail(h.error());
    if (h->framing == detail::body_framing::content_length) h->bytes += res.body.bytes();
    response_started_ = true;
    ok = co_await write(h->bytes) && h->keep_alive;
  } else {
    const auto length = res.body.size();
    auto h = detail::write_head(res, version_, head_method_, keep, length);
    if (!h) co_await fail(h.error());
    const bool keep_after = h->keep_alive;
    ok = co_await write_stream(std::move(*h), res.body, length) && keep_after;
  }
  if (!ok) co_return false;
  if (!parser_.body_pending()) co_return true;
  co_return co_await discard_body();
}

task<bool> server_connection::write_stream(detail::response_head head, body& b, std::optional<std::uint64_t> length) {
  using detail::body_framing;
  if (head.framing == body_framing::none) {
    response_started_ = true;
    co_return co_await write(head.bytes);
  }
  // The head goes out with the first chunk: one write for a small body, and
  // a body that fails before its first chunk can still be answered (500, or
  // the parser's refusal).
  std::string out = std::move(head.bytes);
  std::uint64_t sent = 0;
  for (;;) {
    auto chunk = co_await as_result(b.read());
    if (!chunk) {
      if (!response_started_ || chunk.error().is(errc::cancelled)) co_await fail(chunk.error());
      co_return false;  // the response is cut short: the client sees it end early
    }
    if (!*chunk) break;
    sent += (*chunk)->size();
    if (length && sent > *length) co_return false;  // more than announced: the framing is broken
    if (head.framing == body_framing::chunked) {
      append_hex(out, (*chunk)->size());
      out += "\r\n";
      out += **chunk;
      out += "\r\n";
    } else {
      out += **chunk;
    }
    response_started_ = true;
    if (!co_await write(out)) co_return false;
    out.clear();
  }
  if (length && sent != *length) co_return false;
  if (head.framing == body_framing::chunked) out += "0\r\n\r\n";
  response_started_ = true;
  co_return co_await write(out);
}

task<void> server_connection::respond_error() {
  if (response_started_) co_return;
  if (refusal_ || parser_.failed()) co_return co_await refuse(refusal_ ? *refusal_ : parser_.error().status);
  auto bytes = serialize({.status = status::internal_server_error, .body = "500 Internal Server Error\n", .close = true});
  if (bytes) co_await write(*bytes);
}

task<bool> server_connection::write(std::string_view bytes) {
  if (bytes.empty()) co_return true;
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
