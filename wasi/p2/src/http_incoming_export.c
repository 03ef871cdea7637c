// The incoming-handler export of a `wasmtime serve` component (bindings in
// ../gen-http-server, whose import wrappers are unused: wasync's own are in
// ../gen). Handles are passed on as numbers to http_incoming.cpp.
#include "wasip2_http_server.h"

void wasync_wasip2_http_handle(int32_t request, int32_t response_out);

void exports_wasi_http_incoming_handler_handle(exports_wasi_http_incoming_handler_own_incoming_request_t request,
                                               exports_wasi_http_incoming_handler_own_response_outparam_t response_out) {
  wasync_wasip2_http_handle(request.__handle, response_out.__handle);
}
