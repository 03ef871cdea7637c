// The npm package's own module (wasync_core.js / .wasm / .d.ts): the runtime's
// async capabilities for JS users who write no C++. package/js/ wraps it in
// the package's public API (sleep, timeout, fetchAll, WebSocketClient).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <wasync/bind/export.hpp>
#include <wasync/js_value.hpp>
#include <wasync/task.hpp>

namespace wasync_core {

/// Resolves after `ms` milliseconds (a wasync timer: all timers share one host timer).
WASYNC_EXPORT wasync::task<void> sleep(double ms);

/// Awaits a JS promise for at most `ms` milliseconds; errc::timeout after that.
WASYNC_EXPORT wasync::task<wasync::js_value> await_within(wasync::js_value promise, double ms);

/// A header field (package/js turns a list of them into an object and back).
struct WASYNC_RECORD http_header {
  std::string name;
  std::string value;
};

struct WASYNC_RECORD fetch_all_options {
  /// Requests in flight at once (default 6).
  std::optional<std::uint32_t> concurrency;
  /// Limit for each request, headers and body together (default: none).
  std::optional<double> timeout_ms;
  /// Every request's method (default "GET").
  std::optional<std::string> method;
  /// Header fields every request sends.
  std::optional<std::vector<http_header>> headers;
  /// The body every request sends.
  std::optional<wasync::bind::bytes> body;
};

/// Why one request failed.
struct WASYNC_RECORD fetch_failure {
  /// The wasync errc name: "timeout", "network_error", "invalid_argument", "cancelled", ...
  std::string code;
  std::string message;
};

/// One request's outcome: a response (ok, with any HTTP status) or a failure
/// (error): the fields of the other kind are left out.
struct WASYNC_RECORD fetch_outcome {
  std::string url;
  bool ok;
  std::optional<std::int32_t> status;
  std::optional<std::string> status_text;
  /// Names lower-case, in the order the host reports them.
  std::optional<std::vector<http_header>> headers;
  std::optional<wasync::bind::bytes> body;
  std::optional<fetch_failure> error;
};

/// Fetches every URL (the same method, headers and body for each), at most
/// `concurrency` at once, each within `timeout_ms`; one outcome per URL, in
/// order. One failing request does not stop the others.
WASYNC_EXPORT wasync::task<std::vector<fetch_outcome>> fetch_all(std::vector<std::string> urls,
                                                                  fetch_all_options options);

struct WASYNC_RECORD ws_connect_options {
  /// Subprotocols to offer.
  std::optional<std::vector<std::string>> protocols;
};

struct WASYNC_RECORD ws_opened {
  std::uint32_t id;
  /// The subprotocol the server chose ("" when none).
  std::string protocol;
};

/// A message: text or binary.
struct WASYNC_RECORD ws_message {
  std::optional<std::string> text;
  std::optional<wasync::bind::bytes> data;
};

struct WASYNC_RECORD ws_closed {
  std::int32_t code;
  std::string reason;
  bool clean;
};

/// Opens a WebSocket; the id names it in the calls below.
WASYNC_EXPORT wasync::task<ws_opened> ws_connect(std::string url, ws_connect_options options);
/// Sends text, waiting while too much is queued.
WASYNC_EXPORT wasync::task<void> ws_send_text(std::uint32_t id, std::string text);
/// Sends bytes, waiting while too much is queued.
WASYNC_EXPORT wasync::task<void> ws_send_bytes(std::uint32_t id, wasync::bind::bytes data);
/// The next message; undefined once the connection closed cleanly.
WASYNC_EXPORT wasync::task<std::optional<ws_message>> ws_receive(std::uint32_t id);
/// Closes (code 1000 or 3000-4999) and waits until the connection is closed.
WASYNC_EXPORT wasync::task<ws_closed> ws_close(std::uint32_t id, std::optional<std::int32_t> code,
                                              std::optional<std::string> reason);
/// Forgets a socket (closing it if still open).
WASYNC_EXPORT void ws_release(std::uint32_t id);

}  // namespace wasync_core
