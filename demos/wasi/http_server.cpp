// HTTP/1.1 server on the listener wasmtime preopens for a WASI preview1 program:
//
//   wasmtime run -S preview2=n -S tcplisten=127.0.0.1:8080 dist/wasi/http_server.wasm [OPTIONS]
//
// Routes: GET/HEAD / (a greeting), POST /echo (the body back), anything else
// 404 or 405. Keep-alive and pipelining, Content-Length and chunked request
// bodies, Expect: 100-continue, the parser's limits (414 request line, 431
// header section, 413 body, 417 expectation, 400 malformed), each connection
// in its own task; one failing connection never stops the server. What a
// client may cost (http::server_connection_options, server_options), as
// options (--name=value or --name value; times in seconds):
//   --idle-timeout=30     a connection waiting for a request closes quietly
//   --head-timeout=10     from a request's first byte to the end of its head: else 408
//   --body-timeout=10     a body's grace, plus 1 s for every
//   --min-body-rate=1024  bytes received: else 408
//   --write-timeout=30    a response the client does not take: close
//   --max-connections=1000  beyond it the server stops accepting until one ends
// A bare number is --idle-timeout (the demo's first form).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wasync/http/server_connection.hpp"
#include "wasync/preopened_listener.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

struct settings {
  http::server_connection_options connection;
  std::size_t max_connections = 1000;
};
settings config;

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

task<void> serve(tcp_stream stream) {
  http::server_connection conn(std::move(stream), config.connection);
  while (auto req = co_await conn.next_request())
    if (!co_await conn.respond(route(*req), *req)) break;
}

task<int> main_task() {
  auto listener = preopened_listener();
  if (!listener) {
    std::fprintf(stderr, "http_server: %s\n", listener.error().describe().c_str());
    co_return 1;
  }
  auto srv = co_await as_result(start_server(std::move(*listener), serve, {.max_connections = config.max_connections}));
  if (!srv) {
    std::fprintf(stderr, "http_server: %s\n", srv.error().describe().c_str());
    co_return 1;
  }
  std::fprintf(stderr, "http_server: serving on the preopened socket\n");
  co_await srv->serve_forever();
  co_return 0;
}

/// Reads the options into `config`; false (after a message) on a bad one.
bool parse_options(int argc, char** argv) {
  auto& c = config.connection;
  auto number = [](std::string_view text, double& out) {
    const std::string s(text);
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size() && out >= 0;
  };
  auto seconds = [](double s) { return std::chrono::milliseconds(static_cast<long long>(s * 1000)); };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view name = arg, value;
    double x = 0;
    if (!arg.starts_with("--")) {
      if (!number(arg, x)) return std::fprintf(stderr, "http_server: not a number of seconds: %s\n", argv[i]), false;
      c.idle_timeout = seconds(x);
      continue;
    }
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (!number(value, x))
      return std::fprintf(stderr, "http_server: %s needs a number\n", std::string(name).c_str()), false;
    if (name == "--idle-timeout") c.idle_timeout = seconds(x);
    else if (name == "--head-timeout") c.head_timeout = seconds(x);
    else if (name == "--body-timeout") c.body_timeout = seconds(x);
    else if (name == "--min-body-rate") c.min_body_rate = static_cast<std::size_t>(x);
    else if (name == "--write-timeout") c.write_timeout = seconds(x);
    else if (name == "--max-connections") config.max_connections = static_cast<std::size_t>(x);
    else return std::fprintf(stderr, "http_server: unknown option %s\n", std::string(name).c_str()), false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!parse_options(argc, argv)) return 2;
  return run(main_task()).value();
}
