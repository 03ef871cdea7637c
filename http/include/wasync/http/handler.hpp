// handler: the one type every host's HTTP server calls, so an application's
// routes are written once and served natively, on WASI preview1 (TCP), and as
// a wasi:http component (preview2 and 0.3).
#pragma once

#include <functional>

#include "wasync/http/response.hpp"
#include "wasync/http/server_request.hpp"
#include "wasync/task.hpp"

namespace wasync::http {

/// Answers one request. It receives the request by value (its coroutine frame
/// owns it) and runs as its own task, concurrently with other requests'.
/// The callable must outlive the server (the server keeps its copy).
/// Failing (an error, an exception) answers 500 when no byte of the response
/// has been sent yet, else ends the connection; the server keeps serving.
/// When the client goes away mid-request, the handler's task is cancelled.
///
///     http::handler h = [](http::server_request req) -> task<http::response> {
///       co_return http::response{.body = "hello\n"};
///     };
using handler = std::function<task<response>(server_request)>;

}  // namespace wasync::http
