// The async wasi:http handler export of a `wasmtime serve` component
// (bindings in ../gen-http-server, whose import wrappers are unused: wasync's
// own are in ../gen), and the built-ins that act on the export's current
// task. Handles go on as numbers to http_handler.cpp.
#include "wasip3_http_server.h"

uint32_t wasync_wasip3_http_handle(int32_t request);
uint32_t wasync_wasip3_http_callback(uint32_t event, uint32_t waitable, uint32_t code);

wasip3_http_server_callback_code_t exports_wasi_http_handler_handle(exports_wasi_http_handler_own_request_t request) {
  return wasync_wasip3_http_handle(request.__handle);
}

wasip3_http_server_callback_code_t exports_wasi_http_handler_handle_callback(wasip3_http_server_event_t* event) {
  return wasync_wasip3_http_callback(event->event, event->waitable, event->code);
}

/// task.return of the current task with ok(response).
void wasync_wasip3_http_return(int32_t response) {
  exports_wasi_http_handler_result_own_response_error_code_t ok = {.is_err = false};
  ok.val.ok.__handle = response;
  exports_wasi_http_handler_handle_return(ok);
}

/// The current task acknowledges its cancellation (instead of task.return).
void wasync_wasip3_http_cancelled(void) { wasip3_http_server_task_cancel(); }

void* wasync_wasip3_http_current(void) { return wasip3_http_server_context_get_0(); }
void wasync_wasip3_http_set_current(void* exchange) { wasip3_http_server_context_set_0(exchange); }

/// A serve component needs no main() (wasmtime serve never calls the run
/// export, which wasync::wasip3 always has): the run export of one without
/// it ends at once. A program's own main() takes precedence.
__attribute__((weak)) int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  return 0;
}
