// The functions wasync_web.js provides to C++ (private to web/). Ids are table
// ids (0 = undefined); `op` is an op id from detail::js_target.
#pragma once

#include <cstdint>

extern "C" {
// Host loop.
void wasync_web_notify();
void wasync_web_yield();
void wasync_web_arm_timer(double delay_ms);
void wasync_web_keepalive(int hold);
/// Node: call wasync_web_idle() whenever the event loop runs dry ('beforeExit').
void wasync_web_watch_idle();
void wasync_web_cancel(std::int32_t op);

// Value table and conversions.
void wasync_js_release(std::int32_t id);
std::int32_t wasync_js_dup(std::int32_t id);
std::int32_t wasync_js_null();
std::int32_t wasync_js_boolean(int b);
std::int32_t wasync_js_number(double d);
std::int32_t wasync_js_string(const char* utf8, std::size_t len);
std::int32_t wasync_js_bytes(const void* data, std::size_t len);
std::int32_t wasync_js_object();
std::int32_t wasync_js_global(const char* name, std::size_t len);
std::int32_t wasync_js_type(std::int32_t id);
double wasync_js_number_of(std::int32_t id);
/// UTF-8 length of a string, byte length of a buffer, else -1.
std::int32_t wasync_js_size(std::int32_t id);
/// Copies `len` bytes (as measured by wasync_js_size) to `out`.
void wasync_js_copy(std::int32_t id, void* out, std::size_t len);
std::int32_t wasync_js_get(std::int32_t id, const char* key, std::size_t len);
/// 0, or the id of the exception's message.
std::int32_t wasync_js_set(std::int32_t id, const char* key, std::size_t len, std::int32_t value);
/// 0 with `*out` the result, or a status with `*out` the exception's message.
std::int32_t wasync_js_call(std::int32_t id, const char* method, std::size_t len, const std::int32_t* args,
                            std::size_t argc, std::int32_t* out);

// Promises.
void wasync_js_await(std::int32_t promise, std::int32_t op);
/// A new promise; `*resolvers` gets the id of its resolve/reject pair.
std::int32_t wasync_js_promise(std::int32_t* resolvers);
void wasync_js_resolve(std::int32_t resolvers, std::int32_t value);
void wasync_js_reject(std::int32_t resolvers, const char* code, std::size_t code_len, const char* message,
                      std::size_t message_len, std::int32_t errc_value);
/// Settles `op` when the AbortSignal `signal` aborts.
void wasync_js_on_abort(std::int32_t signal, std::int32_t op);
}

extern "C" {
// fetch: a request record's table id owns the request (releasing it aborts
// a transfer still running).
void wasync_fetch_start(std::int32_t op, const char* method, std::size_t method_len, const char* url,
                        std::size_t url_len, const char* headers, std::size_t headers_len, int body_kind,
                        const void* body, std::size_t body_len);
/// A string: the status text, then header names and values, NUL-separated.
std::int32_t wasync_fetch_head(std::int32_t record);
/// The next chunk, or with `whole` an untouched body in one chunk.
void wasync_fetch_read(std::int32_t record, std::int32_t op, int whole);
}

extern "C" {
// WebSocket: a socket record's table id owns the socket (releasing it closes
// a connection still open).
void wasync_ws_connect(std::int32_t op, const char* url, std::size_t url_len, const char* protocols,
                       std::size_t protocols_len);
/// The subprotocol the server chose, as a string id.
std::int32_t wasync_ws_protocol(std::int32_t socket);
/// 0 when sent; a js_status (with *message set) when not.
std::int32_t wasync_ws_send(std::int32_t socket, int binary, const void* data, std::size_t len, std::int32_t* message);
double wasync_ws_buffered(std::int32_t socket);
/// Settles `op` once at most `limit` bytes are queued (or the socket closed).
void wasync_ws_drain(std::int32_t socket, std::int32_t op, double limit);
void wasync_ws_receive(std::int32_t socket, std::int32_t op);
void wasync_ws_close(std::int32_t socket, std::int32_t op, int code, const char* reason, std::size_t reason_len);
/// 0 while open, else the close code; *reason and *clean describe the close.
int wasync_ws_close_status(std::int32_t socket, std::int32_t* reason, int* clean);
}
