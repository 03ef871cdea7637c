// server_connection: one client connection of an HTTP/1.1 server, read under
// deadlines a slow client cannot stretch.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wasync/http/request_parser.hpp"
#include "wasync/current_task.hpp"
#include "wasync/http/detail/response_head.hpp"
#include "wasync/http/response.hpp"
#include "wasync/http/server_request.hpp"
#include "wasync/task.hpp"
#include "wasync/tcp_stream.hpp"

namespace wasync::http {

/// What one connection may cost the server. Each deadline is fixed when its
/// phase begins and no read moves it, so a client that trickles a byte now
/// and then (slow-loris) holds the connection no longer than one that sends
/// nothing.
struct server_connection_options {
  request_parser_options parser;
  /// Waiting for the first byte of a request (after accept, and between
  /// keep-alive requests): then the connection closes without a word.
  std::chrono::milliseconds idle_timeout{30'000};
  /// From a request's first byte to the end of its head: then 408 and close.
  std::chrono::milliseconds head_timeout{10'000};
  /// A body gets body_timeout from the end of its head, plus one second for
  /// every min_body_rate bytes received: a client must keep up about
  /// min_body_rate on average. Then 408 and close. min_body_rate 0:
  /// body_timeout for the whole body.
  std::chrono::milliseconds body_timeout{10'000};
  std::size_t min_body_rate = 1024;  ///< bytes per second
  /// A response the peer does not take within this ends the connection.
  std::chrono::milliseconds write_timeout{30'000};
  /// After a refusal (4xx and close) this side stops writing, then reads and
  /// drops what the client still sends, up to this long, before closing: a
  /// close with unread input makes the OS send a reset, which can destroy the
  /// refusal before the client reads it (a "lingering close").
  std::chrono::milliseconds linger_timeout{2'000};
};

/// Reads requests from one connection and writes their responses, with the
/// bodies buffered:
///
///     http::server_connection conn(std::move(stream), options);
///     while (auto req = co_await conn.next_request())
///       if (!co_await conn.respond(answer(*req), *req)) break;
///
/// or streamed (what http::serve does; do not mix the two on a connection):
///
///     while (auto req = co_await conn.next_server_request()) {
///       auto res = co_await handler(std::move(*req));   // reads req->body as it arrives
///       if (!co_await conn.respond(res)) break;
///     }
///
/// next_request() answers by itself what the handler never sees: the
/// parser's refusals (400, 413, 414, 417, 431, 501, 505) and 408 when a
/// deadline passes, each followed by a lingering close; `100 Continue` when a
/// request asks for it (RFC 9110 §10.1.1) and the parser accepted its head.
/// The stream must stay in place while an operation is in flight (the object
/// lives in the connection's coroutine frame).
class server_connection {
 public:
  explicit server_connection(tcp_stream stream, server_connection_options options = {});
  ~server_connection();
  server_connection(const server_connection&) = delete;
  server_connection& operator=(const server_connection&) = delete;

  /// The next complete request; nullopt once the connection is over (the
  /// peer closed or reset it, a deadline passed, the input was refused: the
  /// answer has been sent). Fails only when cancelled.
  [[nodiscard]] task<std::optional<request>> next_request();
  /// Sends `res` as the answer to `req`. true when the connection goes on;
  /// false when the answer closed it, the peer has gone or did not take the
  /// answer within write_timeout. errc::invalid_argument (nothing sent) for
  /// a response serialize() refuses.
  [[nodiscard]] task<bool> respond(const response& res, const request& req);

  /// Streaming: the next request as soon as its head is complete, its body a
  /// stream read from this connection under the body deadline (`100
  /// Continue` goes out on the first read when the request expects it). A
  /// client that leaves mid-body cancels `reader`, the task handling the
  /// request (by default the calling task). nullopt as next_request().
  [[nodiscard]] task<std::optional<server_request>> next_server_request(task_ref reader = current_task());
  /// Streaming: sends `res` (a body in memory, or streamed: with
  /// Content-Length when its size is known, else chunked) as the answer to
  /// the request next_server_request() returned last; then discards what the handler left unread of the
  /// request's body. When reading that body failed (a parser refusal, the
  /// body deadline), the refusal goes out instead of `res`. true when the
  /// connection goes on; false when it is over. Errors: errc::invalid_argument
  /// (nothing sent) for a response write_head() refuses; the stream's, when
  /// reading a streamed body fails before anything was sent.
  [[nodiscard]] task<bool> respond(response& res);
  /// Streaming: answers 500 (Connection: close) for a handler that failed,
  /// unless a refusal is due (see respond()); nothing once a byte of the
  /// response went out.
  [[nodiscard]] task<void> respond_error();

  /// The next chunk of the pending request's body (see body_source::read).
  [[nodiscard]] task<std::optional<std::string>> read_body();
  /// The client closed or reset the connection in the middle of the current
  /// request's body: its reader has been cancelled (take that back with
  /// uncancel() to answer anyway: respond_error() then sends 400 if it can).
  [[nodiscard]] bool client_left() const noexcept { return client_left_; }

  tcp_stream& stream() noexcept { return stream_; }

 private:
  /// One read into the parser, under the deadline of the stage the parser is
  /// in (`started`: bytes of a request arrived though the parser is idle).
  /// Returns false when the connection is over: the peer closed (`eof_`), reset
  /// it, or a deadline passed (then `refusal_` says 408 when a request was
  /// under way).
  task<bool> fill(bool started);
  /// Marks the client gone mid-body and cancels the request's reader.
  void left_mid_body() noexcept;
  /// Reads and drops the rest of the pending body; false when the connection cannot go on.
  task<bool> discard_body();
  /// Writes `head`, then the stream `b` framed as the head says.
  task<bool> write_stream(detail::response_head head, body& b, std::optional<std::uint64_t> length);

  /// Writes `bytes` within write_timeout; false when the peer has gone or is too slow.
  task<bool> write(std::string_view bytes);
  /// Answers `code` with Connection: close, then lingers (see linger_timeout).
  task<void> refuse(http::status code);

  tcp_stream stream_;
  server_connection_options options_;
  request_parser parser_;
  std::string buffer_;  ///< one read
  bool eof_ = false;    ///< the peer closed its side
  std::optional<http::status> refusal_;  ///< due instead of the handler's answer

  // The request being read (streaming).
  std::optional<time_point> head_deadline_;
  std::optional<time_point> body_start_;
  std::size_t body_bytes_ = 0;
  bool continue_sent_ = false;
  bool response_started_ = false;
  bool client_left_ = false;
  task_ref reader_;  ///< cancelled when the client leaves mid-body
  /// Where body sources find this connection (null once it is gone), and
  /// which request is current, so a body kept past its request reads nothing.
  std::shared_ptr<server_connection*> self_;
  std::uint64_t sequence_ = 0;
  // What the answer's framing needs of that request.
  http::version version_ = http::version::http_1_1;
  bool head_method_ = false;
  bool keep_alive_ = true;
  std::optional<socket_address> peer_;
  bool peer_known_ = false;
};

}  // namespace wasync::http
