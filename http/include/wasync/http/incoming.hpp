// incoming: the handler of a component that the host hands requests to
// (`wasmtime serve` calls a wasi:http component's export; nobody calls its
// main), so that the same http::handler that http::serve runs on a TCP
// listener answers them.
#pragma once

#include "wasync/http/handler.hpp"

namespace wasync::http {

/// Makes `h` the handler of the requests the host delivers to this component:
/// the export of a component built with wasync_wasip2_http_component() or
/// wasync_wasip3_http_component(). Each request runs `h` as its own task on
/// the component's loop. Set it before the first request: a static
/// incoming_registration does (`wasmtime serve` never runs main). Elsewhere
/// it is kept and unused.
void set_incoming_handler(handler h);
/// The handler set, or null: the export then answers 500.
[[nodiscard]] const handler* incoming_handler() noexcept;

/// Sets the incoming handler when the program starts:
///
///     static const http::incoming_registration serve_route(route);
struct incoming_registration {
  explicit incoming_registration(handler h) { set_incoming_handler(std::move(h)); }
};

}  // namespace wasync::http
