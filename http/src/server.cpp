// http::serve: start_server's accept loop and connection cap, each connection
// a server_connection streaming requests to the handler one at a time (so
// pipelined requests are answered in order).
#include "wasync/http/server.hpp"

#include <memory>
#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/current_task.hpp"

namespace wasync::http {

namespace {

struct shared {
  handler h;
  serve_options options;
};

task<void> serve_connection(std::shared_ptr<shared> s, tcp_stream stream) {
  server_connection conn(std::move(stream), s->options.connection);
  task_ref self = current_task();
  while (auto req = co_await conn.next_server_request()) {
    auto res = co_await as_result(s->h(std::move(*req)));
    // The response's stream can fail too, before its head went out (e.g. a
    // forwarded request body the parser refused). Not `res ? co_await ... :
    // ...`: GCC 12 destroys the temporaries of a conditional holding a co_await twice.
    result<bool> kept = false;
    if (!res) kept = res.error();
    else if (self.cancelling() == 0) kept = co_await as_result(conn.respond(*res));
    if (kept && *kept) continue;
    if (conn.client_left()) {
      // This connection cancelled its own task when the client left
      // mid-body: the handler has stopped; take the cancellation back to
      // answer 400 in case the client only half-closed.
      self.uncancel();
      if (!kept) co_await conn.respond_error();
      co_return;
    }
    // A handler that swallowed the server's cancellation still ends its connection.
    if (self.cancelling() != 0) co_await fail(errc::cancelled, "the server is closing");
    if (kept) co_return;  // the connection is over
    if (kept.error().is(errc::cancelled)) co_await fail(kept.error());
    if (s->options.on_handler_error) s->options.on_handler_error(kept.error());
    co_await conn.respond_error();
    co_return;
  }
}

}  // namespace

task<server> start_server(tcp_listener listener, handler h, serve_options options) {
  if (!h) co_await fail(errc::invalid_argument, "http::start_server: no handler");
  server_options accept_options{.backlog = options.backlog, .max_connections = options.max_connections,
                                .on_handler_error = {}};
  auto s = std::make_shared<shared>(shared{std::move(h), std::move(options)});
  connection_handler each = [s](tcp_stream stream) { return serve_connection(s, std::move(stream)); };
  co_return co_await wasync::start_server(std::move(listener), std::move(each), std::move(accept_options));
}

task<server> start_server(socket_address local, handler h, serve_options options) {
  auto listener = co_await tcp_listener::bind(local, options.backlog);
  co_return co_await start_server(std::move(listener), std::move(h), std::move(options));
}

task<void> serve(tcp_listener listener, handler h, serve_options options) {
  auto srv = co_await start_server(std::move(listener), std::move(h), std::move(options));
  co_await srv.serve_forever();
}

task<void> serve(socket_address local, handler h, serve_options options) {
  auto srv = co_await start_server(local, std::move(h), std::move(options));
  co_await srv.serve_forever();
}

}  // namespace wasync::http
