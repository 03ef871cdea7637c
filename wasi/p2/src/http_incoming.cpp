// wasi:http incoming-handler (preview2) on the wasync loop: `wasmtime serve`
// calls the export once per request, synchronously; the export spawns the
// request's task and drives the loop until the response body is finished,
// then returns (tasks the handler left behind run on in the next call when
// the instance is reused). The request body streams from the incoming-body's
// input-stream; the response body goes through the outgoing-body's
// output-stream within check-write's permit.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "streams.hpp"
#include "wasi_http_client.hpp"
#include "wasip2.h"
#include "wasync/as_result.hpp"
#include "wasync/http/incoming.hpp"
#include "wasync/run.hpp"
#include "wasync/spawn.hpp"

namespace wasync {
namespace {

std::string to_string(const wasip2_string_t& s) { return std::string(reinterpret_cast<const char*>(s.ptr), s.len); }

/// The request body as it arrives: reads of the incoming-body's stream. Owns
/// the stream, the body and the request, dropped children first.
class incoming_body final : public http::body_source {
 public:
  incoming_body(std::int32_t request, std::int32_t body, std::int32_t stream, std::optional<std::uint64_t> size) noexcept
      : request_(request), body_(body), stream_(stream), size_(size) {}
  incoming_body(const incoming_body&) = delete;
  incoming_body& operator=(const incoming_body&) = delete;
  ~incoming_body() override {
    release_stream();
    wasi_http_types_incoming_request_drop_own({request_});
  }

  task<std::optional<std::string>> read() override {
    if (stream_ < 0) co_return std::nullopt;
    std::string chunk(64 * 1024, '\0');
    const std::size_t n = co_await detail::stream_read_some(
        {stream_}, std::as_writable_bytes(std::span(chunk)), "wasi:http: read the request body", errc::connection_reset);
    if (n == 0) {
      release_stream();
      co_return std::nullopt;
    }
    chunk.resize(n);
    co_return chunk;
  }
  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  void release_stream() noexcept {
    if (stream_ >= 0) wasi_io_streams_input_stream_drop_own({std::exchange(stream_, -1)});
    if (body_ >= 0) wasi_http_types_incoming_body_drop_own({std::exchange(body_, -1)});
  }

  std::int32_t request_, body_, stream_;
  std::optional<std::uint64_t> size_;
};

http::server_request take_request(std::int32_t handle) {
  const wasi_http_types_borrow_incoming_request_t req{handle};
  http::server_request out;
  wasi_http_types_method_t method;
  wasi_http_types_method_incoming_request_method(req, &method);
  out.method = detail::wasi_http::method_name(method, wasi_http_types_method_free);
  wasip2_string_t target;
  if (wasi_http_types_method_incoming_request_path_with_query(req, &target)) {
    out.target = to_string(target);
    wasip2_string_free(&target);
  }
  if (out.target.empty()) out.target = "/";
  const wasi_http_types_own_headers_t fields = wasi_http_types_method_incoming_request_headers(req);
  out.headers = detail::wasi_http::read_header_list(wasi_http_types_borrow_fields(fields), wasi_http_types_method_fields_entries,
                                                    wasi_http_types_list_tuple2_field_name_field_value_free);
  wasi_http_types_fields_drop_own(fields);
  const std::optional<std::uint64_t> size = detail::wasi_http::declared_length(out.headers);
  std::int32_t body = -1, stream = -1;
  wasi_http_types_own_incoming_body_t b;
  if (wasi_http_types_method_incoming_request_consume(req, &b)) {
    body = b.__handle;
    wasi_http_types_own_input_stream_t s;
    if (wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(b), &s)) stream = s.__handle;
  }
  out.body = http::body(std::make_unique<incoming_body>(handle, body, stream, size));
  return out;
}

wasip2_string_t borrow_string(std::string_view s) noexcept {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(s.data())), s.size()};
}

/// The response's fields. Those the host refuses (framing and connection
/// fields: wasmtime frames the body itself) are left out.
wasi_http_types_own_fields_t make_fields(const http::response& res, std::optional<std::uint64_t> size) {
  const wasi_http_types_own_fields_t fields = wasi_http_types_constructor_fields();
  auto append = [&](std::string_view name, std::string_view value) {
    wasi_http_types_field_name_t n = borrow_string(name);
    wasi_http_types_field_value_t v{reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), value.size()};
    wasi_http_types_header_error_t err;
    (void)wasi_http_types_method_fields_append(wasi_http_types_borrow_fields(fields), &n, &v, &err);
  };
  for (const auto& h : res.headers) append(h.name, h.value);
  if (size) append("content-length", std::to_string(*size));
  return fields;
}

/// Owns the outgoing-body and its stream until the body is finished; dropped
/// unfinished (the client sees the response cut short) on failure.
struct outgoing {
  std::int32_t body = -1, stream = -1;
  ~outgoing() {
    if (stream >= 0) wasi_io_streams_output_stream_drop_own({stream});
    if (body >= 0) wasi_http_types_outgoing_body_drop_own({body});
  }
};

task<void> write_body(http::body& body, outgoing& out) {
  if (!body.is_stream()) {
    co_await detail::stream_write_all({out.stream}, std::as_bytes(std::span(body.bytes())), true,
                                      "wasi:http: write the response body", errc::connection_reset);
    co_return;
  }
  while (auto chunk = co_await body.read())
    co_await detail::stream_write_all({out.stream}, std::as_bytes(std::span(*chunk)), true,
                                      "wasi:http: write the response body", errc::connection_reset);
}

http::response failure_response() {
  http::response res{.status = http::status::internal_server_error, .headers = {}, .body = "Internal Server Error\n"};
  res.headers.add("Content-Type", "text/plain; charset=utf-8");
  return res;
}

/// One request: the handler's response goes to the outparam, then its body.
task<void> serve_request(std::int32_t request, std::int32_t response_out) {
  const http::handler* h = http::incoming_handler();
  http::response res;
  bool head = false;
  if (!h) {
    res = failure_response();
    res.body = "no handler: register one with http::incoming_registration\n";
    wasi_http_types_incoming_request_drop_own({request});
  } else {
    http::server_request req = take_request(request);
    head = req.method == "HEAD";
    auto answered = co_await as_result((*h)(std::move(req)));
    res = answered ? std::move(*answered) : failure_response();
  }
  const std::optional<std::uint64_t> size = res.body.size();
  const wasi_http_types_own_outgoing_response_t response =
      wasi_http_types_constructor_outgoing_response(make_fields(res, head ? std::nullopt : size));
  const auto borrowed = wasi_http_types_borrow_outgoing_response(response);
  if (!wasi_http_types_method_outgoing_response_set_status_code(borrowed, static_cast<std::uint16_t>(res.status)))
    (void)wasi_http_types_method_outgoing_response_set_status_code(borrowed, 500);
  outgoing out;
  wasi_http_types_own_outgoing_body_t body;
  (void)wasi_http_types_method_outgoing_response_body(borrowed, &body);  // the first call on a new response succeeds
  out.body = body.__handle;
  wasi_http_types_result_own_outgoing_response_error_code_t ok{};
  ok.is_err = false;
  ok.val.ok = response;
  wasi_http_types_static_response_outparam_set({response_out}, &ok);
  wasi_http_types_own_output_stream_t stream;
  if (!wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(body), &stream)) co_return;
  out.stream = stream.__handle;
  // A failed write (the client went away) leaves the body unfinished: the
  // host cuts the response short.
  if (!head && !co_await as_result(write_body(res.body, out))) co_return;
  wasi_io_streams_output_stream_drop_own({std::exchange(out.stream, -1)});  // a stream goes before its body
  wasi_http_types_error_code_t err;
  if (!wasi_http_types_static_outgoing_body_finish({std::exchange(out.body, -1)}, nullptr, &err))
    wasi_http_types_error_code_free(&err);
}

event_loop& component_loop() {
  static event_loop l(default_host());
  return l;
}

}  // namespace
}  // namespace wasync

extern "C" void wasync_wasip2_http_handle(std::int32_t request, std::int32_t response_out) {
  using namespace wasync;
  event_loop& l = component_loop();
  auto t = spawn(serve_request(request, response_out), {.name = "wasi:http request"});
  detail::task_context& c = *t.context();
  if (!l.run_until_done(c)) {
    c.cancel(error(errc::deadlock, "the request's handler waits on nothing that can wake it"));
    l.run_until_done(c);
  }
}
