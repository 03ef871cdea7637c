// http_serve: one HTTP/1.1 application, its routes written once as an
// http::handler and served by each host:
//
//   dist/native/http_serve [OPTIONS] PORT          (127.0.0.1:PORT; 0: any free port)
//   wasmtime run -S preview2=n -S tcplisten=127.0.0.1:8080 dist/wasi/http_serve.wasm [OPTIONS] --preopened
//   wasmtime serve -S cli --addr 127.0.0.1:8080 dist/wasip2/http_serve.wasm   (wasi:http components:
//   wasmtime serve -S cli --addr 127.0.0.1:8080 dist/wasip3/http_serve.wasm    main() does not run)
//
// Routes:
//   GET|HEAD /       a greeting
//   POST /echo       the request body streamed back as it arrives (Content-Length
//                    or chunked), with the request's Content-Type
//   POST /count      reads the whole body, answers its length in bytes
//   GET /slow?ms=N   sleeps N ms (at most 60000), then answers
//   GET /fetch?url=U proxies U with wasync::fetch (natively: http:// URLs);
//                    501 where the host has no fetch (WASI preview1)
//   GET /stats       {"handlers":N,"requests":N,"tasks":N,"connections":N}: requests
//                    being handled, requests seen (by a wasi:http component: in
//                    this instance), the loop's live tasks and connections open
//                    now (tests check nothing leaks)
//   GET /fail        the handler fails: the server answers 500 and goes on
//                    (/fail?throw=1 throws a C++ exception where they are on)
// anything else 404, a known path with another method 405.
//
// What a client may cost (http::serve_options), as options (--name=value or
// --name value; times in seconds):
//   --idle-timeout=30     a connection waiting for a request closes quietly
//   --head-timeout=10     from a request's first byte to the end of its head: else 408
//   --body-timeout=10     a body's grace, plus 1 s for every
//   --min-body-rate=1024  bytes received: else 408
//   --write-timeout=30    a response the client does not take: close
//   --max-body=1048576    a larger request body: 413
//   --max-connections=1000  beyond it the server stops accepting until one ends
// "listening on ADDR" (or "listening on fd N") goes to stderr once it listens.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#if WASYNC_EXCEPTIONS
#include <stdexcept>
#endif

#if HTTP_SERVE_FETCH
#include "wasync/fetch.hpp"
#endif
#include "wasync/http/incoming.hpp"
#include "wasync/http/server.hpp"
#include "wasync/wasync.hpp"
#if __has_include("wasync/preopened_listener.hpp")
#include "wasync/preopened_listener.hpp"
#define HTTP_SERVE_PREOPENED 1
#endif

using namespace wasync;

namespace {

std::size_t live_handlers = 0;
std::size_t requests_seen = 0;  ///< by this process (a wasi:http component: this instance)
const server* running = nullptr;  ///< for /stats: the TCP server, where there is one

/// Counts a request while its handler runs (cancelled or not).
struct handler_count {
  handler_count() noexcept {
    ++live_handlers;
    ++requests_seen;
  }
  ~handler_count() { --live_handlers; }
  handler_count(const handler_count&) = delete;
  handler_count& operator=(const handler_count&) = delete;
};

/// The value of `name` in a query string, percent-decoded ('+' is a space).
std::string query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    std::string out;
    const auto value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1; };
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '%' && i + 2 < value.size() + 0 && hex(value[i + 1]) >= 0 && hex(value[i + 2]) >= 0) {
        out += static_cast<char>(hex(value[i + 1]) * 16 + hex(value[i + 2]));
        i += 2;
      } else {
        out += value[i] == '+' ? ' ' : value[i];
      }
    }
    return out;
  }
  return {};
}

http::response text(http::status status, std::string body) {
  http::response res{.status = status, .headers = {}, .body = std::move(body)};
  res.headers.add("Content-Type", "text/plain; charset=utf-8");
  return res;
}

http::response status_only(http::status status) {
  return text(status, std::string(http::reason_phrase(status)) + "\n");
}

#if HTTP_SERVE_FETCH
/// A fetched response's body, read as the client takes it.
class fetched_body final : public http::body_source {
 public:
  explicit fetched_body(fetch_response r) : response_(std::move(r)) {}
  task<std::optional<std::string>> read() override {
    auto chunk = co_await response_.read_chunk();
    if (!chunk) co_return std::nullopt;
    co_return std::string(reinterpret_cast<const char*>(chunk->data()), chunk->size());
  }

 private:
  fetch_response response_;
};

task<http::response> proxy(std::string url) {
  if (url.empty()) co_return text(http::status::bad_request, "GET /fetch?url=URL\n");
  // Named, not a braced temporary in the co_await: GCC 12 destroys such a temporary twice.
  fetch_request request;
  request.url = url;
  request.timeout = std::chrono::seconds(10);
  auto fetched = co_await as_result(fetch(std::move(request)));
  if (!fetched) co_return text(http::status::bad_gateway, "fetch " + url + ": " + fetched.error().describe() + "\n");
  http::response res{.status = static_cast<http::status>(fetched->status())};
  if (auto type = fetched->header("content-type")) res.headers.add("Content-Type", std::string(*type));
  res.body = http::body(std::make_unique<fetched_body>(std::move(*fetched)));
  co_return res;
}
#endif

/// The application: every host's entry serves this.
task<http::response> route(http::server_request req) {
  handler_count counted;
  const auto path = req.path();
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (path == "/") {
    if (get) co_return text(http::status::ok, "hello from wasync\n");
  } else if (path == "/echo") {
    if (req.method == "POST") {
      http::response res{.status = http::status::ok};
      res.headers.add("Content-Type",
                      std::string(req.headers.get("Content-Type").value_or("application/octet-stream")));
      res.body = std::move(req.body);
      co_return res;
    }
  } else if (path == "/count") {
    if (req.method == "POST") {
      std::uint64_t n = 0;
      while (auto chunk = co_await req.body.read()) n += chunk->size();
      co_return text(http::status::ok, std::to_string(n) + " bytes\n");
    }
  } else if (path == "/slow") {
    if (get) {
      const long ms = std::strtol(query_param(req.query(), "ms").c_str(), nullptr, 10);
      if (ms < 0 || ms > 60'000) co_return text(http::status::bad_request, "ms must be 0-60000\n");
      co_await sleep(std::chrono::milliseconds(ms));
      co_return text(http::status::ok, "slept " + std::to_string(ms) + " ms\n");
    }
  } else if (path == "/fetch") {
    if (get) {
#if HTTP_SERVE_FETCH
      co_return co_await proxy(query_param(req.query(), "url"));
#else
      co_return text(http::status::not_implemented, "this host has no fetch (WASI preview1): /fetch is unavailable\n");
#endif
    }
  } else if (path == "/stats") {
    if (get) {
      http::response res{.status = http::status::ok};
      res.headers.add("Content-Type", "application/json");
      res.body = "{\"handlers\":" + std::to_string(live_handlers) + ",\"requests\":" + std::to_string(requests_seen) +
                 ",\"tasks\":" + std::to_string(event_loop::current()->live_tasks()) +
                 ",\"connections\":" + std::to_string(running ? running->connections() : 0) + "}\n";
      co_return res;
    }
  } else if (path == "/fail") {
    if (get) {
#if WASYNC_EXCEPTIONS
      if (query_param(req.query(), "throw") == "1") throw std::runtime_error("/fail?throw=1");
#endif
      co_await fail(errc::invalid_state, "/fail: the handler failed on purpose");
    }
  } else {
    co_return status_only(http::status::not_found);
  }
  co_return status_only(http::status::method_not_allowed);
}

/// TCP hosts (native, WASI preview1): http::serve on a port or the preopened listener.
struct settings {
  http::serve_options serve;
  long port = -1;  ///< -1: --preopened
  int fd = -1;     ///< --preopened=FD; -1: find it
};

task<int> serve_tcp(settings config) {
  tcp_listener listener;
  std::string where;
  if (config.port >= 0) {
    listener = co_await tcp_listener::bind({ip_address::loopback_v4(), static_cast<std::uint16_t>(config.port)},
                                           config.serve.backlog);
  } else {
#if HTTP_SERVE_PREOPENED
    auto fd = config.fd >= 0 ? result<int>(config.fd) : find_preopened_listener();
#else
    auto fd = config.fd >= 0 ? result<int>(config.fd) : result<int>(3);
#endif
    if (!fd) co_return fd.error();
    auto adopted = tcp_listener::adopt(*fd);
    if (!adopted) co_return adopted.error();
    listener = std::move(*adopted);
    where = "fd " + std::to_string(*fd);
  }
  auto srv = co_await http::start_server(std::move(listener), route, std::move(config.serve));
  running = &srv;
  if (where.empty()) where = srv.address().to_string();
  std::fprintf(stderr, "listening on %s\n", where.c_str());
  co_await srv.serve_forever();
  co_return 0;
}

/// Reads the options and the port; false (after a message) on a bad one.
bool parse_options(int argc, char** argv, settings& config) {
  auto& c = config.serve.connection;
  auto number = [](std::string_view text, double& out) {
    const std::string s(text);
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return !s.empty() && end == s.c_str() + s.size() && out >= 0;
  };
  auto seconds = [](double s) { return std::chrono::milliseconds(static_cast<long long>(s * 1000)); };
  bool where = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    double x = 0;
    if (arg == "--preopened" || arg.starts_with("--preopened=")) {
      if (arg.size() > 12 && !number(arg.substr(12), x)) return std::fprintf(stderr, "http_serve: bad fd\n"), false;
      config.fd = arg.size() > 12 ? static_cast<int>(x) : -1;
      config.port = -1;
      where = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      if (!number(arg, x) || x > 65535) return std::fprintf(stderr, "http_serve: not a port: %s\n", argv[i]), false;
      config.port = static_cast<long>(x);
      where = true;
      continue;
    }
    std::string_view name = arg, value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    if (!number(value, x))
      return std::fprintf(stderr, "http_serve: %s needs a number\n", std::string(name).c_str()), false;
    if (name == "--idle-timeout") c.idle_timeout = seconds(x);
    else if (name == "--head-timeout") c.head_timeout = seconds(x);
    else if (name == "--body-timeout") c.body_timeout = seconds(x);
    else if (name == "--min-body-rate") c.min_body_rate = static_cast<std::size_t>(x);
    else if (name == "--write-timeout") c.write_timeout = seconds(x);
    else if (name == "--max-body") c.parser.max_body = static_cast<std::size_t>(x);
    else if (name == "--max-connections") config.serve.max_connections = static_cast<std::size_t>(x);
    else return std::fprintf(stderr, "http_serve: unknown option %s\n", std::string(name).c_str()), false;
  }
  if (!where) std::fprintf(stderr, "usage: http_serve [OPTIONS] PORT | http_serve [OPTIONS] --preopened[=FD]\n");
  return where;
}

}  // namespace

/// wasi:http components (`wasmtime serve`, preview2 and 0.3): each request
/// the host hands the component's export runs route as its own task.
static const http::incoming_registration serve_route(route);

int main(int argc, char** argv) {
  settings config;
  if (!parse_options(argc, argv, config)) return 2;
  auto r = run(serve_tcp(std::move(config)));
  if (!r) {
    std::fprintf(stderr, "http_serve: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
