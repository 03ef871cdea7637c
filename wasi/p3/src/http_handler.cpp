// The WASI 0.3 wasi:http handler export on the wasync loop. `wasmtime serve`
// calls `handle` once per request, concurrently in one instance (async, the
// callback ABI): each call is a component-model task (an "exchange" here)
// whose handler runs as a wasync task on the one loop, which any exchange's
// callback drives.
//
// What only the exchange's own task may do (task.return, task.cancel, EXIT)
// waits for a callback of that task, and the loop may find it due in another
// one's. So each exchange has a doorbell: a stream<u8> of its own, whose
// pending one-byte read sits in the set its task waits on; writing a byte
// from anywhere wakes exactly that task. One exchange, the anchor, waits on
// the reactor's set, where every operation of the loop is (its doorbell
// too); the others wait on sets holding only their doorbell. An anchor that
// ends hands the role on (rings the next, which moves to the reactor's set).
// With no request in flight, nothing waits on the reactor's set: tasks that
// handlers left behind resume with the next request.
//
// A request: its head becomes an http::server_request, the body a stream
// read as the handler asks; the handler's response becomes a wasi:http
// response (task.return), its body written to a stream<u8> of ours, then
// the trailers (none). A client that leaves before the response cancels the
// export task (wasmtime's CANCEL event): the handler's task is cancelled,
// then the export acknowledges with task.cancel.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "byte_stream.hpp"
#include "future_end.hpp"
#include "http_futures.hpp"
#include "wasi_http_client.hpp"
#include "wasip3.h"
#include "wasync/as_result.hpp"
#include "wasync/http/incoming.hpp"
#include "wasync/spawn.hpp"
#include "wasync/wasip3_host.hpp"

extern "C" {
// http_handler_export.c: built-ins on the current task.
void wasync_wasip3_http_return(std::int32_t response);
void wasync_wasip3_http_cancelled(void);
void* wasync_wasip3_http_current(void);
void wasync_wasip3_http_set_current(void* exchange);
}

namespace wasync {
namespace {

using detail::byte_stream;
using detail::done_ops;
using detail::done_value;
using detail::future_end;
using detail::single_op;
using detail::trailers_ops;
using detail::trailers_value;

std::string to_string(const wasip3_string_t& s) { return std::string(reinterpret_cast<const char*>(s.ptr), s.len); }

wasip3_string_t borrow_string(std::string_view s) noexcept {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(s.data())), s.size()};
}

/// The request body as it arrives (consume-body's stream), then its trailers
/// future, which says whether it ended cleanly. consume-body's `res` future
/// tells the host, at the end, that we took the body (its writer must not be
/// dropped without a value).
class incoming_body final : public http::body_source {
 public:
  explicit incoming_body(std::optional<std::uint64_t> size) noexcept : size_(size) {}
  incoming_body(const incoming_body&) = delete;
  incoming_body& operator=(const incoming_body&) = delete;
  ~incoming_body() override {
    in_.close();
    if (trailers_.transferred()) {
      trailers_value& v = trailers_.value();
      if (v.is_err) wasi_http_types_error_code_free(&v.val.err);
      else if (v.val.ok.is_some) wasi_http_types_fields_drop_own(v.val.ok.val);
    }
    // The host reads this future as soon as it has it: the write completes at once.
    if (!taken_.done()) taken_.start(done_value{});
  }

  byte_stream& in() noexcept { return in_; }
  future_end<trailers_value>& trailers() noexcept { return trailers_; }
  future_end<done_value>& taken() noexcept { return taken_; }

  task<std::optional<std::string>> read() override {
    std::string chunk(64 * 1024, '\0');
    for (;;) {
      const detail::fd_io r = in_.read_now(std::as_writable_bytes(std::span(chunk)));
      if (!r.would_block && r.n > 0) {
        chunk.resize(r.n);
        co_return chunk;
      }
      if (!r.would_block) break;
      co_await single_op::wait(in_);  // a cancelled wait leaves the read running: its bytes come next
    }
    if (!trailers_.done()) {
      if (!trailers_.busy()) trailers_.start();
      co_await single_op::wait(trailers_);
    }
    if (!trailers_.transferred() || trailers_.value().is_err)
      co_await fail(errc::connection_reset, "wasi:http: the request body broke off (the client went away)");
    co_return std::nullopt;
  }
  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  byte_stream in_{detail::http_bytes, byte_stream::end::readable, "wasi:http: read the request body"};
  future_end<trailers_value> trailers_{trailers_ops, future_end<trailers_value>::end::readable};
  future_end<done_value> taken_{done_ops, future_end<done_value>::end::writable};
  std::optional<std::uint64_t> size_;
};

http::server_request take_request(std::int32_t handle) {
  const wasi_http_types_borrow_request_t req{handle};
  http::server_request out;
  wasi_http_types_method_t method;
  wasi_http_types_method_request_get_method(req, &method);
  out.method = detail::wasi_http::method_name(method, wasi_http_types_method_free);
  wasip3_string_t target;
  if (wasi_http_types_method_request_get_path_with_query(req, &target)) {
    out.target = to_string(target);
    wasip3_string_free(&target);
  }
  if (out.target.empty()) out.target = "/";
  const wasi_http_types_own_fields_t fields = wasi_http_types_method_request_get_headers(req);
  out.headers = detail::wasi_http::read_header_list(wasi_http_types_borrow_fields(fields), wasi_http_types_method_fields_copy_all,
                                                    wasi_http_types_list_tuple2_field_name_field_value_free);
  wasi_http_types_fields_drop_own(fields);
  const std::optional<std::uint64_t> size = detail::wasi_http::declared_length(out.headers);
  auto body = std::make_unique<incoming_body>(size);
  wasi_http_types_future_result_void_error_code_writer_t taken_writer;
  const auto taken_reader = wasi_http_types_future_result_void_error_code_new(&taken_writer);
  body->taken().attach(taken_writer);
  wasi_http_types_tuple2_stream_u8_future_result_option_own_trailers_error_code_t consumed;
  wasi_http_types_static_request_consume_body({handle}, taken_reader, &consumed);  // takes the request
  body->in().attach(consumed.f0);
  body->trailers().attach(consumed.f1);
  out.body = http::body(std::move(body));
  return out;
}

http::response failure_response(std::string text) {
  http::response res{.status = http::status::internal_server_error, .headers = {}, .body = std::move(text)};
  res.headers.add("Content-Type", "text/plain; charset=utf-8");
  return res;
}

/// The response's body and trailers: ours to write after task.return.
struct outgoing {
  http::body body;
  byte_stream out{detail::http_bytes, byte_stream::end::writable, "wasi:http: write the response body"};
  future_end<trailers_value> trailers{trailers_ops, future_end<trailers_value>::end::writable};
};

/// One request: its export task's state.
struct exchange {
  std::uint32_t set = 0;  ///< the set it waits on when not the anchor
  std::uint32_t joined_to = 0;
  wasi_http_types_stream_u8_writer_t bell_writer = 0;
  wasi_http_types_stream_u8_t bell = 0;
  std::uint8_t bell_byte = 0;
  bool bell_reading = false;

  bool head = false;
  task_handle<void> handler;             ///< runs the application's handler
  std::optional<http::response> answer;  ///< the handler's response, not yet returned
  bool handler_done = false;
  bool cancel_requested = false;  ///< wasmtime cancelled the export task
  bool returned = false;          ///< task.return (or task.cancel) done
  std::unique_ptr<outgoing> sending;
  task_handle<void> sender;  ///< writes the response body
  bool sent = false;
};

std::vector<exchange*> live;  ///< export tasks in flight
exchange* anchor = nullptr;

wasip3_host& host() noexcept { return the_wasip3_host(); }

/// Sets `flag` when the coroutine that holds it ends, however it ends.
struct set_on_exit {
  bool& flag;
  ~set_on_exit() { flag = true; }
};

task<void> run_handler(exchange& x, http::server_request req) {
  set_on_exit done{x.handler_done};
  const http::handler* h = http::incoming_handler();
  if (!h) {
    x.answer = failure_response("no handler: register one with http::incoming_registration\n");
  } else {
    auto r = co_await as_result((*h)(std::move(req)));
    if (r) x.answer = std::move(*r);
    else if (!x.cancel_requested) x.answer = failure_response("Internal Server Error\n");
  }
}

/// The body, then the end of the stream and the trailers (none). A client
/// that went away drops the stream's other end: the body ends there.
task<void> send_body(exchange& x) {
  set_on_exit done{x.sent};
  outgoing& o = *x.sending;
  auto write_all = [&o](std::span<const std::byte> data) -> task<bool> {
    while (!data.empty()) {
      const detail::fd_io r = o.out.write_now(data);
      if (!r.err.ok()) co_return false;
      co_await single_op::wait(o.out);  // the host took the bytes (a write is never torn)
      if (r.would_block) continue;
      if (o.out.ended()) co_return false;
      data = data.subspan(r.n);
    }
    co_return true;
  };
  bool whole = true;
  if (!x.head) {
    if (!o.body.is_stream()) {
      whole = co_await write_all(std::as_bytes(std::span(o.body.bytes())));
    } else {
      for (;;) {
        auto chunk = co_await as_result(o.body.read());
        if (!chunk) {
          whole = false;
          break;
        }
        if (!*chunk) break;
        if (!co_await write_all(std::as_bytes(std::span(**chunk)))) {
          whole = false;
          break;
        }
      }
    }
  }
  o.out.close();  // the end of the body
  trailers_value end{};  // ok(none), or an error: the host ends the response broken
  if (!whole) {
    end.is_err = true;
    end.val.err.tag = WASI_HTTP_TYPES_ERROR_CODE_INTERNAL_ERROR;
  }
  o.trailers.start(end);
  co_await single_op::wait(o.trailers);
  o.body = http::body();  // the request body (an echo) goes now
}

/// The response head to the host (task.return), in `x`'s own task, and the
/// body's writer started.
void return_response(exchange& x) {
  http::response res = std::move(*x.answer);
  x.answer.reset();
  const std::optional<std::uint64_t> size = x.head ? std::nullopt : res.body.size();
  const wasi_http_types_own_fields_t fields = wasi_http_types_constructor_fields();
  auto append = [&](std::string_view name, std::string_view value) {
    wasi_http_types_field_name_t n = borrow_string(name);
    wasi_http_types_field_value_t v{reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), value.size()};
    wasi_http_types_header_error_t err;
    // Framing and connection fields are the host's: it refuses them.
    if (!wasi_http_types_method_fields_append(wasi_http_types_borrow_fields(fields), &n, &v, &err))
      wasi_http_types_header_error_free(&err);
  };
  for (const auto& h : res.headers) append(h.name, h.value);
  if (size) append("content-length", std::to_string(*size));

  x.sending = std::make_unique<outgoing>();
  outgoing& o = *x.sending;
  o.body = std::move(res.body);
  wasi_http_types_stream_u8_writer_t body_writer;
  wasi_http_types_stream_u8_t body_reader = wasi_http_types_stream_u8_new(&body_writer);
  o.out.attach(body_writer);
  wasi_http_types_future_result_option_own_trailers_error_code_writer_t trailers_writer;
  const auto trailers_reader = wasi_http_types_future_result_option_own_trailers_error_code_new(&trailers_writer);
  o.trailers.attach(trailers_writer);
  wasi_http_types_tuple2_own_response_future_result_void_error_code_t made;
  wasi_http_types_static_response_new(fields, &body_reader, trailers_reader, &made);
  // Whether the response reached the client: the body's stream says enough.
  wasi_http_types_future_result_void_error_code_drop_readable(made.f1);
  const auto borrowed = wasi_http_types_borrow_response(made.f0);
  if (!wasi_http_types_method_response_set_status_code(borrowed, static_cast<std::uint16_t>(res.status)))
    (void)wasi_http_types_method_response_set_status_code(borrowed, 500);
  wasync_wasip3_http_return(made.f0.__handle);
  x.returned = true;
  x.sender = spawn(send_body(x), {.name = "wasi:http response body"});
}

/// Whether `x`'s task has something to do that only it may do.
bool due(const exchange& x) noexcept {
  if (!x.returned) return x.answer.has_value() || (x.cancel_requested && x.handler_done);
  return x.sent || (anchor == &x && x.joined_to != the_wasip3_host().waitables().set());
}

/// Wakes `x`'s task (its doorbell's read completes at once: it is pending
/// whenever the task waits).
void ring(exchange& x) noexcept {
  if (!x.bell_reading) return;  // running, or about to run after a YIELD
  const std::uint8_t one = 1;
  (void)wasi_http_types_stream_u8_write(x.bell_writer, &one, 1);
  x.bell_reading = false;  // the read completed; its event comes to x's task
}

/// Frees `x` (its task exits after this): the doorbell out of its set and
/// dropped, the set dropped, the anchor's role handed on.
void end_exchange(exchange& x) noexcept {
  live.erase(std::find(live.begin(), live.end(), &x));
  if (x.joined_to != 0) wasip3_waitable_join(x.bell, 0);
  if (x.bell_reading) (void)wasi_http_types_stream_u8_cancel_read(x.bell);
  wasi_http_types_stream_u8_drop_readable(x.bell);
  wasi_http_types_stream_u8_drop_writable(x.bell_writer);
  wasip3_waitable_set_drop(x.set);
  if (anchor == &x) {
    anchor = live.empty() ? nullptr : live.front();
    if (anchor) ring(*anchor);
  }
  wasync_wasip3_http_set_current(nullptr);
  delete &x;
}

/// A callback's work in `x`'s task: the loop's turns, what is due (here, or
/// by ringing the exchange it is due in), then the code the task returns.
std::uint32_t step(exchange& x) noexcept {
  bool busy = false;
  for (;;) {
    busy = host().run_turns();
    bool acted = false;
    for (exchange* e : live) {
      if (!due(*e)) continue;
      if (e != &x) {
        ring(*e);
        continue;
      }
      if (!x.returned && x.answer) {
        return_response(x);
        acted = true;
      } else if (!x.returned && x.cancel_requested && x.handler_done) {
        wasync_wasip3_http_cancelled();
        x.returned = true;
        x.sent = true;
      }
    }
    if (!acted) break;
  }
  if (x.returned && x.sent) {
    end_exchange(x);
    return WASIP3_CALLBACK_CODE_EXIT;
  }
  if (busy) return WASIP3_CALLBACK_CODE_YIELD;
  if (!x.bell_reading) {
    const std::uint32_t st = wasi_http_types_stream_u8_read(x.bell, &x.bell_byte, 1);
    x.bell_reading = st == WASIP3_WAITABLE_STATUS_BLOCKED;  // else rung already: run again
    if (!x.bell_reading) return WASIP3_CALLBACK_CODE_YIELD;
  }
  const std::uint32_t set = anchor == &x ? host().waitables().set() : x.set;
  if (x.joined_to != set) {
    wasip3_waitable_join(x.bell, set);
    x.joined_to = set;
  }
  return WASIP3_CALLBACK_CODE_WAIT(set);
}

}  // namespace
}  // namespace wasync

extern "C" std::uint32_t wasync_wasip3_http_handle(std::int32_t request) {
  using namespace wasync;
  auto* x = new exchange;
  wasync_wasip3_http_set_current(x);
  live.push_back(x);
  x->set = wasip3_waitable_set_new();
  x->bell = wasi_http_types_stream_u8_new(&x->bell_writer);
  if (!anchor) anchor = x;
  http::server_request req = take_request(request);
  x->head = req.method == "HEAD";
  x->handler = spawn(run_handler(*x, std::move(req)), {.name = "wasi:http request"});
  return step(*x);
}

extern "C" std::uint32_t wasync_wasip3_http_callback(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) {
  using namespace wasync;
  auto& x = *static_cast<exchange*>(wasync_wasip3_http_current());
  if (event == static_cast<std::uint32_t>(waitable_event::task_cancelled)) {
    // The client went away before the response: the handler stops; once it
    // has, step() acknowledges with task.cancel.
    x.cancel_requested = true;
    if (!x.handler_done) x.handler.cancel("wasi:http: the client went away");
  } else if (waitable == x.bell && event == static_cast<std::uint32_t>(waitable_event::stream_read)) {
    x.bell_reading = false;
  } else if (event != static_cast<std::uint32_t>(waitable_event::none) || anchor == &x) {
    // After a YIELD only the anchor polls the reactor's set: a poll elsewhere
    // could take the anchor's doorbell, and the anchor would sleep on.
    host().take_event(event, waitable, code);
  }
  return step(x);
}
