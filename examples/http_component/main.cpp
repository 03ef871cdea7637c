// One route, served by `wasmtime serve`: it calls the component's export for
// each request (there is no main()); the registration below names the handler.
#include <chrono>
#include <string>

#include "wasync/http/incoming.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

static task<http::response> hello(http::server_request req) {
  if (req.path() == "/later") co_await sleep(std::chrono::milliseconds(50));  // other requests go on meanwhile
  http::response res{.status = http::status::ok, .headers = {}, .body = "hello from " + req.method + " " + req.target + "\n"};
  res.headers.add("Content-Type", "text/plain");
  co_return res;
}

static const http::incoming_registration registered(hello);
