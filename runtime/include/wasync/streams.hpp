// asyncio-style streams: open_connection(host, port) and start_server(address,
// handler), written once on top of resolve, tcp_stream and tcp_listener.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "wasync/address.hpp"
#include "wasync/task.hpp"
#include "wasync/tcp_listener.hpp"
#include "wasync/tcp_stream.hpp"

namespace wasync {

/// Resolves `host` and connects to `port`, trying each address in turn; the
/// first that connects wins. If none does: the last address's error (for
/// example errc::connection_refused); lookup errors as resolve() reports them.
[[nodiscard]] task<tcp_stream> open_connection(std::string host, std::uint16_t port);

/// Serves one connection; it owns the stream.
using connection_handler = std::function<task<void>(tcp_stream)>;

struct server_options {
  int backlog = 128;
  /// Connections handled at once (0: no limit). At the limit the server stops
  /// accepting until a handler ends: new clients wait in the listen backlog
  /// (the OS's, or wasmtime's for a preopened listener), not answered but
  /// not refused, and are served in turn as connections end.
  std::size_t max_connections = 0;
  /// Told when a handler fails (its error, the peer). By default a failure the
  /// peer caused (errc::connection_reset, closed, timeout) is only counted
  /// (server::handler_errors()), and any other is also one line to the loop's
  /// debug handler; never the unretrieved-error report. Either way the server
  /// keeps serving. Cancellations (close()) are not failures.
  std::function<void(const error&, const socket_address& peer)> on_handler_error;
};

namespace detail {
struct server_state;
}

/// A running server (asyncio's Server): accepting in its own task, each
/// connection handled in its own task. Move-only. close() or destroying it
/// stops accepting, closes the listener and cancels every connection's handler
/// (its stream closes when the handler unwinds).
class server {
 public:
  server() noexcept = default;
  explicit server(std::shared_ptr<detail::server_state> s) noexcept : state_(std::move(s)) {}
  server(server&&) noexcept = default;
  server& operator=(server&& o) noexcept;
  ~server() { close(); }

  /// Where it listens (port 0 at start: the port the host picked).
  const socket_address& address() const noexcept;
  /// Connections being handled now.
  std::size_t connections() const noexcept;
  /// Connections accepted so far.
  std::size_t accepted() const noexcept;
  /// Handlers that failed so far (cancellations aside).
  std::size_t handler_errors() const noexcept;
  /// Accepts that failed so far. A failing accept (out of file descriptors:
  /// errc::too_many_open_files) is retried after a pause that doubles from
  /// 5 ms up to 1 s while it keeps failing; the loop's debug handler hears of
  /// the first failure and of the recovery, once each.
  std::size_t accept_errors() const noexcept;
  /// Stops the server (see above). Idempotent.
  void close() noexcept;
  /// Waits until the server is closed and its accept task and every handler
  /// have finished. Cancelling the wait does not close the server.
  [[nodiscard]] task<void> wait_closed();
  /// Serves until cancelled, then closes (asyncio's serve_forever).
  [[nodiscard]] task<void> serve_forever();

 private:
  std::shared_ptr<detail::server_state> state_;
};

/// Binds `local`, then accepts in the background: start_server returns once
/// the server listens.
[[nodiscard]] task<server> start_server(socket_address local, connection_handler handler,
                                        server_options options = {});
/// The same on a listener already open, e.g. the socket the host preopened on
/// WASI preview1 (tcp_listener::adopt). Where the host cannot tell the
/// listener's address, address() is 0.0.0.0:0.
[[nodiscard]] task<server> start_server(tcp_listener listener, connection_handler handler,
                                        server_options options = {});
/// The same with a host name (resolved; the first address is used) and port.
[[nodiscard]] task<server> start_server(std::string host, std::uint16_t port, connection_handler handler,
                                        server_options options = {});

}  // namespace wasync
