// server: http::serve, an HTTP/1.1 server on a TCP listener (native, and WASI
// preview1's preopened socket), each connection its own task, each request
// answered by an http::handler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "wasync/address.hpp"
#include "wasync/error.hpp"
#include "wasync/http/handler.hpp"
#include "wasync/http/server_connection.hpp"
#include "wasync/streams.hpp"
#include "wasync/task.hpp"
#include "wasync/tcp_listener.hpp"

namespace wasync::http {

struct serve_options {
  /// Deadlines and parser limits of each connection (server_connection_options).
  server_connection_options connection;
  /// Connections served at once; at the cap the server stops accepting (new
  /// clients wait in the listen backlog) until one ends. 0: no limit.
  std::size_t max_connections = 1000;
  int backlog = 128;
  /// Told when a handler fails (its error): the client got a 500, or lost the
  /// connection when the response had begun. Default: counted only
  /// (server::handler_errors() of start_server's server).
  std::function<void(const error&)> on_handler_error;
};

/// Serves HTTP/1.1 on `listener` until cancelled; cancelling closes the
/// listener and every connection (their handlers are cancelled). Per
/// connection: keep-alive and pipelining (answers in request order, one
/// request handled at a time), the request parser's limits and refusals,
/// the deadlines of `options.connection`, `100 Continue` when the handler
/// first reads a body that expects it. A client that disconnects mid-request
/// cancels that request's handler. A failing handler or connection never
/// stops the server.
[[nodiscard]] task<void> serve(tcp_listener listener, handler h, serve_options options = {});
/// The same, binding `local` first (errc::address_in_use and friends).
[[nodiscard]] task<void> serve(socket_address local, handler h, serve_options options = {});

/// Starts serving in the background and returns once listening: the server's
/// address() (port 0 bound: the port picked), connections(), accepted(),
/// handler_errors() (connections that failed), close(), serve_forever().
[[nodiscard]] task<server> start_server(tcp_listener listener, handler h, serve_options options = {});
[[nodiscard]] task<server> start_server(socket_address local, handler h, serve_options options = {});

}  // namespace wasync::http
