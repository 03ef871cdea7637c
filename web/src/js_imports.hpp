// The functions the web JS libraries (web/js/*.js) provide to C++ (private to
// web/). Ids are value-table ids (detail::js_slot: 0 is undefined); `op` is an
// op id from the web host's JS operations (detail::js_ops).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {
// Host loop (loop.js).
void wasync_web_notify();
void wasync_web_yield();
void wasync_web_arm_timer(double delay_ms);
void wasync_web_keepalive(int hold);
/// Node: call wasync_web_idle() whenever the event loop runs dry ('beforeExit').
void wasync_web_watch_idle();

// Operations (ops.js): C++ withdrew `op`; JS stops it.
void wasync_web_cancel(std::int32_t op);

// Value table and conversions (values.js).
void wasync_js_release(std::int32_t id);
std::int32_t wasync_js_dup(std::int32_t id);
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

// Promises (promises.js).
/// Settles `op` with the promise's outcome.
void wasync_js_await(std::int32_t promise, std::int32_t op);
/// A new Promise for the call `op`: aborting the AbortSignal `signal` settles
/// `op` with js_status::aborted; wasync_web_complete settles the Promise.
std::int32_t wasync_web_promise(std::int32_t op, std::int32_t signal);
/// Settles the Promise of call `op`: `status` is a js_reply_status; for ok,
/// `data` holds the value (a bound call's encoding, or a to_js_promise's
/// value-table id), for failed a js_error_reply. Read at once.
void wasync_web_complete(std::int32_t op, std::uint32_t status, const void* data, std::size_t size);
}

extern "C" {
// fetch (fetch.js): a request record's table id owns the request (releasing it aborts
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
// WebSocket (websocket.js): a socket record's table id owns the socket (releasing it closes
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
