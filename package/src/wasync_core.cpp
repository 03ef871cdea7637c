// The npm package's module: sleep, await_within, fetch_all and a WebSocket
// client by id, on the wasync runtime and web host.
#include "../api/wasync_core.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "wasync/as_result.hpp"
#include "wasync/fetch.hpp"
#include "wasync/gather.hpp"
#include "wasync/js_promise.hpp"
#include "wasync/semaphore.hpp"
#include "wasync/sleep.hpp"
#include "wasync/timeout.hpp"
#include "wasync/websocket.hpp"

namespace wasync_core {
namespace {

using wasync::errc;
using wasync::error;
using wasync::task;

/// A JS millisecond count as a duration; errc::invalid_argument unless finite and >= 0.
wasync::result<wasync::duration> milliseconds(double ms, const char* what) {
  if (!std::isfinite(ms) || ms < 0) {
    return error(errc::invalid_argument, std::string(what) + " must be a finite number >= 0");
  }
  return std::chrono::duration_cast<wasync::duration>(std::chrono::duration<double, std::milli>(ms));
}

/// What every request of a batch sends besides its URL.
struct request_template {
  std::string method;
  wasync::http_headers headers;
  std::optional<wasync::bind::bytes> body;
};

/// One request: the response whole (status, headers, body), in a fetch_outcome.
task<fetch_outcome> fetch_response_of(wasync::fetch_request request) {
  std::string url = request.url;
  wasync::fetch_response r = co_await wasync::fetch(std::move(request));
  fetch_outcome out{.url = std::move(url), .ok = true, .status = r.status(), .status_text = r.status_text()};
  std::vector<http_header> headers;
  for (const auto& [name, value] : r.headers()) headers.push_back(http_header{name, value});
  out.headers = std::move(headers);
  out.body = co_await r.bytes();
  co_return out;
}

task<fetch_outcome> fetch_one(std::string url, const request_template& with, wasync::semaphore& slots,
                              std::optional<wasync::duration> limit) {
  auto slot = co_await slots.scoped();
  wasync::fetch_request request{.url = url, .method = with.method, .headers = with.headers};
  if (with.body) request.body = *with.body;
  auto r = limit ? co_await wasync::as_result(wasync::wait_for(fetch_response_of(std::move(request)), *limit))
                 : co_await wasync::as_result(fetch_response_of(std::move(request)));
  if (!r) {
    // Our own cancellation (the caller's AbortSignal) cancels the whole batch.
    if (r.error().is(errc::cancelled)) co_await wasync::fail(r.error());
    fetch_outcome out{.url = std::move(url), .ok = false};
    out.error = fetch_failure{to_string(r.error().code()), r.error().message()};
    co_return out;
  }
  co_return std::move(*r);
}

struct sockets {
  // Shared: a call in flight keeps its socket alive after ws_release.
  std::unordered_map<std::uint32_t, std::shared_ptr<wasync::websocket>> open;
  std::uint32_t last = 0;
};
sockets& the_sockets() {
  static sockets s;
  return s;
}

wasync::result<std::shared_ptr<wasync::websocket>> socket_of(std::uint32_t id) {
  auto& s = the_sockets().open;
  auto it = s.find(id);
  if (it == s.end()) return error(errc::invalid_state, "no such WebSocket (closed and released)");
  return it->second;
}

}  // namespace

task<void> sleep(double ms) {
  auto d = milliseconds(ms, "ms");
  if (!d) co_await wasync::fail(d.error());
  co_await wasync::sleep(*d);
}

task<wasync::js_value> await_within(wasync::js_value promise, double ms) {
  auto d = milliseconds(ms, "ms");
  if (!d) co_await wasync::fail(d.error());
  auto r = co_await wasync::as_result(wasync::wait_for(wasync::js_await(std::move(promise)), *d));
  if (!r && r.error().is(errc::timeout)) {
    co_await wasync::fail(errc::timeout, "timed out after " + std::to_string(static_cast<long long>(ms)) + " ms");
  }
  if (!r) co_await wasync::fail(r.error());
  co_return std::move(*r);
}

task<std::vector<fetch_outcome>> fetch_all(std::vector<std::string> urls, fetch_all_options options) {
  const std::uint32_t concurrency = options.concurrency.value_or(6);
  if (concurrency == 0) co_await wasync::fail(errc::invalid_argument, "concurrency must be at least 1");
  std::optional<wasync::duration> limit;
  if (options.timeout_ms) {
    auto d = milliseconds(*options.timeout_ms, "timeoutMs");
    if (!d) co_await wasync::fail(d.error());
    limit = *d;
  }
  request_template with{.method = options.method.value_or("GET"), .body = std::move(options.body)};
  for (auto& h : options.headers.value_or(std::vector<http_header>{})) {
    with.headers.emplace_back(std::move(h.name), std::move(h.value));
  }
  wasync::semaphore slots(concurrency);
  std::vector<task<fetch_outcome>> all;
  all.reserve(urls.size());
  for (auto& url : urls) all.push_back(fetch_one(std::move(url), with, slots, limit));
  co_return co_await wasync::gather(std::move(all));
}

task<ws_opened> ws_connect(std::string url, ws_connect_options options) {
  wasync::websocket_options ws_options{.protocols = options.protocols.value_or(std::vector<std::string>{})};
  auto ws = std::make_shared<wasync::websocket>(
      co_await wasync::websocket::connect(std::move(url), std::move(ws_options)));
  auto& s = the_sockets();
  const std::uint32_t id = ++s.last;
  ws_opened opened{.id = id, .protocol = ws->protocol()};
  s.open.emplace(id, std::move(ws));
  co_return opened;
}

task<void> ws_send_text(std::uint32_t id, std::string text) {
  auto ws = socket_of(id);
  if (!ws) co_await wasync::fail(ws.error());
  co_await (*ws)->send(std::move(text));
}

task<void> ws_send_bytes(std::uint32_t id, wasync::bind::bytes data) {
  auto ws = socket_of(id);
  if (!ws) co_await wasync::fail(ws.error());
  co_await (*ws)->send(std::move(data));
}

task<std::optional<ws_message>> ws_receive(std::uint32_t id) {
  auto ws = socket_of(id);
  if (!ws) co_await wasync::fail(ws.error());
  auto m = co_await (*ws)->receive();
  if (!m) co_return std::nullopt;
  ws_message out;
  if (m->binary) out.data = std::move(m->bytes);
  else out.text = std::move(m->text);
  co_return out;
}

task<ws_closed> ws_close(std::uint32_t id, std::optional<std::int32_t> code, std::optional<std::string> reason) {
  auto ws = socket_of(id);
  if (!ws) co_await wasync::fail(ws.error());
  co_await (*ws)->close(code.value_or(1000), reason.value_or(""));
  auto c = (*ws)->close_status().value_or(wasync::websocket_close{});
  co_return ws_closed{.code = c.code, .reason = std::move(c.reason), .clean = c.clean};
}

void ws_release(std::uint32_t id) { the_sockets().open.erase(id); }

}  // namespace wasync_core
