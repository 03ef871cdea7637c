// HTTP/1.1 server on the listener wasmtime preopens for a WASI preview1 program:
//
//   wasmtime run -S preview2=n -S tcplisten=127.0.0.1:8080 dist/wasi/http_server.wasm
//
// Routes: GET/HEAD / (a greeting), POST /echo (the body back), anything else
// 404 or 405. Keep-alive and pipelining, Content-Length and chunked request
// bodies, the parser's limits (414 request line, 431 header section, 413 body,
// 400 malformed), each connection in its own task; a connection idle for
// IDLE seconds (first argument, default 30) is closed (408 if a request was
// half-sent). One failing connection never stops the server.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "wasync/http/request_parser.hpp"
#include "wasync/http/response.hpp"
#include "wasync/preopened_listener.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

std::chrono::milliseconds idle_limit{30'000};

http::response route(const http::request& req) {
  http::response res;
  res.headers.add("Content-Type", "text/plain");
  if (req.target == "/") {
    if (req.method == "GET" || req.method == "HEAD") {
      res.body = "hello from wasync on WASI preview1\n";
      return res;
    }
    res.status = http::status::method_not_allowed;
    res.headers.add("Allow", "GET, HEAD");
  } else if (req.target == "/echo") {
    if (req.method == "POST") {
      res.headers = {};
      res.headers.add("Content-Type", std::string(req.headers.get("Content-Type").value_or("application/octet-stream")));
      res.body = req.body;
      return res;
    }
    res.status = http::status::method_not_allowed;
    res.headers.add("Allow", "POST");
  } else {
    res.status = http::status::not_found;
  }
  res.body = std::string(http::reason_phrase(res.status)) + "\n";
  return res;
}

// Sends one serialized response; false when the peer has gone.
task<bool> send(tcp_stream& conn, const result<std::string>& bytes) {
  if (!bytes) co_return false;  // the routes build only valid responses
  co_return static_cast<bool>(co_await as_result(conn.write_all(*bytes)));
}

task<void> serve(tcp_stream conn) {
  http::request_parser parser;
  std::string buf(16 * 1024, '\0');
  bool eof = false;
  for (;;) {
    while (auto req = parser.next()) {
      if (!co_await send(conn, http::serialize(route(*req), *req)) || !req->keep_alive()) co_return;
    }
    if (parser.failed()) {
      co_await send(conn, http::serialize({.status = parser.error().status, .close = true}));
      co_return;
    }
    if (eof) co_return;
    auto n = co_await as_result(wait_for(conn.read_some(std::as_writable_bytes(std::span(buf))), idle_limit));
    if (!n && n.error().is(errc::timeout)) {
      if (!parser.idle()) co_await send(conn, http::serialize({.status = http::status::request_timeout, .close = true}));
      co_return;
    }
    // A reset or a read error ends this connection only; the server goes on.
    if (!n) co_return;
    if (*n == 0) {
      parser.finish();  // a half-sent request now fails with 400
      eof = true;
    } else {
      parser.feed(std::string_view(buf.data(), *n));
    }
  }
}

task<int> main_task() {
  auto listener = preopened_listener();
  if (!listener) {
    std::fprintf(stderr, "http_server: %s\n", listener.error().describe().c_str());
    co_return 1;
  }
  auto srv = co_await as_result(start_server(std::move(*listener), serve));
  if (!srv) {
    std::fprintf(stderr, "http_server: %s\n", srv.error().describe().c_str());
    co_return 1;
  }
  std::fprintf(stderr, "http_server: serving on the preopened socket\n");
  co_await srv->serve_forever();
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) idle_limit = std::chrono::milliseconds(static_cast<long>(std::atof(argv[1]) * 1000));
  return run(main_task()).value();
}
