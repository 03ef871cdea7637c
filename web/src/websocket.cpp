// websocket on the web: the host's WebSocket through web/js/websocket.js, one op
// per connect, receive, drain wait and close.
#include "wasync/websocket.hpp"

#include <utility>

#include "js_imports.hpp"
#include "wasync/detail/js_op.hpp"

namespace wasync {
namespace detail {

struct websocket_access {
  static websocket make(js_value socket, std::size_t high_water_mark) {
    websocket w;
    w.protocol_ = js_value::adopt(wasync_ws_protocol(socket.id())).as_string().value_or("");
    w.high_water_mark_ = high_water_mark;
    w.handle_ = socket.release();
    return w;
  }
};

namespace {

struct ws_connect_op final : js_op {
  const std::string& url;
  std::string protocols;  // NUL-separated
  ws_connect_op(const std::string& u, const std::vector<std::string>& offered) : url(u) {
    what = "websocket connect";
    for (const std::string& p : offered) {
      if (!protocols.empty()) protocols += '\0';
      protocols += p;
    }
  }
  void start(std::int32_t id) noexcept override {
    wasync_ws_connect(id, url.data(), url.size(), protocols.data(), protocols.size());
  }
  result<js_value> resume_result() {
    if (!err.ok()) return err;
    return std::move(value);
  }
  js_value await_resume() { return unwrap(resume_result()); }
};

/// Waits until at most `limit` bytes are queued for sending.
struct ws_drain_op final : js_op {
  std::int32_t socket;
  double limit;
  ws_drain_op(std::int32_t s, std::size_t l) noexcept : socket(s), limit(static_cast<double>(l)) {
    what = "websocket send buffer";
  }
  void start(std::int32_t id) noexcept override { wasync_ws_drain(socket, id, limit); }
  result<void> resume_result() { return err; }
  void await_resume() { unwrap(resume_result()); }
};

struct ws_receive_op final : js_op {
  std::int32_t socket;
  explicit ws_receive_op(std::int32_t s) noexcept : socket(s) { what = "websocket receive"; }
  void start(std::int32_t id) noexcept override { wasync_ws_receive(socket, id); }
  result<std::optional<websocket_message>> resume_result() {
    if (!err.ok()) return err;
    if (status == js_status::end) return std::optional<websocket_message>();
    websocket_message m;
    m.binary = aux != 0;
    if (m.binary) m.bytes = value.as_bytes().value_or(std::vector<std::byte>());
    else m.text = value.as_string().value_or("");
    return std::optional(std::move(m));
  }
  std::optional<websocket_message> await_resume() { return unwrap(resume_result()); }
};

struct ws_close_op final : js_op {
  std::int32_t socket;
  int code;
  const std::string& reason;
  ws_close_op(std::int32_t s, int c, const std::string& r) noexcept : socket(s), code(c), reason(r) {
    what = "websocket close";
  }
  void start(std::int32_t id) noexcept override { wasync_ws_close(socket, id, code, reason.data(), reason.size()); }
  result<void> resume_result() { return err; }
  void await_resume() { unwrap(resume_result()); }
};

error moved_from() { return error(errc::invalid_state, "the websocket was moved from"); }

task<void> send_message(std::int32_t socket, std::size_t high_water_mark, bool binary, const void* data,
                        std::size_t size) {
  if (!socket) co_await fail(moved_from());
  if (wasync_ws_buffered(socket) > static_cast<double>(high_water_mark))
    co_await ws_drain_op(socket, high_water_mark);
  std::int32_t message = 0;
  if (std::int32_t status = wasync_ws_send(socket, binary ? 1 : 0, data, size, &message))
    co_await fail(js_status_error(static_cast<js_status>(status), js_value::adopt(message)));
}

}  // namespace
}  // namespace detail

websocket::websocket(websocket&& o) noexcept
    : handle_(std::exchange(o.handle_, 0)), protocol_(std::move(o.protocol_)), high_water_mark_(o.high_water_mark_) {}

websocket& websocket::operator=(websocket&& o) noexcept {
  if (this != &o) {
    if (handle_) wasync_js_release(handle_);
    handle_ = std::exchange(o.handle_, 0);
    protocol_ = std::move(o.protocol_);
    high_water_mark_ = o.high_water_mark_;
  }
  return *this;
}

websocket::~websocket() {
  if (handle_) wasync_js_release(handle_);  // closes a connection still open
}

task<websocket> websocket::connect(std::string url, websocket_options options) {
  js_value socket = co_await detail::ws_connect_op(url, options.protocols);
  co_return detail::websocket_access::make(std::move(socket), options.high_water_mark);
}

task<void> websocket::send(std::string text) {
  co_await detail::send_message(handle_, high_water_mark_, false, text.data(), text.size());
}

task<void> websocket::send(std::vector<std::byte> bytes) {
  co_await detail::send_message(handle_, high_water_mark_, true, bytes.data(), bytes.size());
}

task<std::optional<websocket_message>> websocket::receive() {
  if (!handle_) co_await fail(detail::moved_from());
  co_return co_await detail::ws_receive_op(handle_);
}

task<void> websocket::close(int code, std::string reason) {
  if (!handle_) co_await fail(detail::moved_from());
  co_await detail::ws_close_op(handle_, code, reason);
}

std::size_t websocket::buffered_amount() const noexcept {
  return handle_ ? static_cast<std::size_t>(wasync_ws_buffered(handle_)) : 0;
}

std::optional<websocket_close> websocket::close_status() const {
  if (!handle_) return std::nullopt;
  std::int32_t reason = 0;
  int clean = 0;
  const int code = wasync_ws_close_status(handle_, &reason, &clean);
  if (code == 0) return std::nullopt;
  return websocket_close{code, js_value::adopt(reason).as_string().value_or(""), clean != 0};
}

}  // namespace wasync
