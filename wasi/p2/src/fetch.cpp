// fetch on wasi:http/outgoing-handler (wasmtime run -S http): the request is
// built from the URL and fields, handed to the host, its body written through
// the outgoing-body stream; the response body is read from the incoming-body
// stream, awaiting its pollable.
#include "wasync/fetch.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "owned_results.hpp"
#include "pollable.hpp"
#include "streams.hpp"
#include "wasi_http_client.hpp"
#include "wasync/http/url.hpp"

namespace wasync {
namespace detail {

/// The resources behind a response body (the stream: none when the response
/// has no body); dropped children first, which aborts a transfer still running.
struct fetch_body {
  std::int32_t response = -1;
  std::int32_t body = -1;
  std::int32_t stream = -1;
  ~fetch_body() {
    if (stream >= 0) wasi_io_streams_input_stream_drop_own({stream});
    if (body >= 0) wasi_http_types_incoming_body_drop_own({body});
    wasi_http_types_incoming_response_drop_own({response});
  }
};

void fetch_body_deleter::operator()(fetch_body* body) const noexcept { delete body; }

namespace {

WASYNC_WASI_HTTP_CHECK_TAGS();

/// A wasi:http error-code as a wasync error (frees `e`).
error http_failure(wasi_http_types_error_code_t& e, const std::string& url) {
  return wasi_http::failure(e, url, [](wasi_http_types_error_code_t& c) { free_http_error(c); });
}

http_headers read_fields(wasi_http_types_own_fields_t fields) {
  http_headers out = wasi_http::read_fields(wasi_http_types_borrow_fields(fields), wasi_http_types_method_fields_entries,
                                            wasi_http_types_list_tuple2_field_name_field_value_free);
  wasi_http_types_fields_drop_own(fields);
  return out;
}

/// Owns a future-incoming-response until it is dropped (on success, failure or cancellation).
struct future_guard {
  wasi_http_types_own_future_incoming_response_t future;
  ~future_guard() { wasi_http_types_future_incoming_response_drop_own(future); }
};

/// Writes the request body into its outgoing-body and finishes it. Both are
/// dropped (stream first) if the write fails or the task is cancelled.
task<void> send_body(wasi_http_types_own_outgoing_body_t body, std::span<const std::byte> data, std::string url) {
  struct owned {
    std::int32_t body, stream = -1;
    ~owned() {
      if (stream >= 0) wasi_io_streams_output_stream_drop_own({stream});
      if (body >= 0) wasi_http_types_outgoing_body_drop_own({body});
    }
  } own{body.__handle};
  wasi_http_types_own_output_stream_t stream;
  if (!wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(body), &stream))
    co_await fail(errc::invalid_state, "fetch " + url + ": the request body was taken twice");
  own.stream = stream.__handle;
  co_await stream_write_all({stream.__handle}, data, true, "fetch: write the request body", errc::network_error);
  wasi_io_streams_output_stream_drop_own({std::exchange(own.stream, -1)});  // a stream goes before its body
  own.body = -1;  // finish takes it
  wasi_http_types_error_code_t err;
  if (!wasi_http_types_static_outgoing_body_finish(body, nullptr, &err)) co_await fail(http_failure(err, url));
}

}  // namespace

// The body arrives from the incoming-body stream chunk by chunk: bytes() reads it so.
task<std::optional<std::vector<std::byte>>> fetch_read_whole(fetch_body&) { co_return std::nullopt; }

task<fetch_response> fetch_start(const fetch_request& request) {
  auto url = http::url::parse(request.url);
  if (!url) co_return url.error();
  auto fields = wasi_http::make_fields(request.headers, wasi_http_types_static_fields_from_list,
                                       wasi_http_types_header_error_free);
  if (!fields) co_return fields.error();

  const wasi_http_types_own_outgoing_request_t req = wasi_http_types_constructor_outgoing_request(*fields);
  const auto borrowed = wasi_http_types_borrow_outgoing_request(req);
  if (!wasi_http::set_request_head(borrowed, request.method, *url, wasi_http_types_method_outgoing_request_set_method,
                                   wasi_http_types_method_outgoing_request_set_scheme,
                                   wasi_http_types_method_outgoing_request_set_authority,
                                   wasi_http_types_method_outgoing_request_set_path_with_query)) {
    wasi_http_types_outgoing_request_drop_own(req);
    co_return error(errc::invalid_argument, "fetch: invalid method or URL \"" + request.url + "\"");
  }
  const std::span<const std::byte> data = wasi_http::body_bytes(request);
  std::optional<wasi_http_types_own_outgoing_body_t> body;
  if (!std::holds_alternative<std::monostate>(request.body)) {
    wasi_http_types_own_outgoing_body_t b;
    wasi_http_types_method_outgoing_request_body(borrowed, &b);  // the first call on a new request succeeds
    body = b;
  }

  wasi_http_outgoing_handler_own_future_incoming_response_t future;
  wasi_http_outgoing_handler_error_code_t handle_err;
  if (!wasi_http_outgoing_handler_handle(req, nullptr, &future, &handle_err)) {  // takes the request
    if (body) wasi_http_types_outgoing_body_drop_own(*body);
    co_return http_failure(handle_err, request.url);
  }
  future_guard guard{future};
  // The body is written after handle(): the host sends it as it goes.
  if (body) co_await send_body(*body, data, request.url);

  for (;;) {
    wasi_http_types_result_result_own_incoming_response_error_code_void_t got;
    if (wasi_http_types_method_future_incoming_response_get(wasi_http_types_borrow_future_incoming_response(future),
                                                            &got)) {
      if (got.is_err) co_return error(errc::invalid_state, "fetch: the response was taken twice");
      if (got.val.ok.is_err) co_return http_failure(got.val.ok.val.err, request.url);
      const wasi_http_types_own_incoming_response_t response = got.val.ok.val.ok;
      const auto r = wasi_http_types_borrow_incoming_response(response);
      const int status = wasi_http_types_method_incoming_response_status(r);
      http_headers headers = read_fields(wasi_http_types_method_incoming_response_headers(r));
      fetch_body_ptr rec(new fetch_body{response.__handle});
      wasi_http_types_own_incoming_body_t in;
      if (wasi_http_types_method_incoming_response_consume(r, &in)) {
        rec->body = in.__handle;
        wasi_http_types_own_input_stream_t stream;
        if (wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(in), &stream))
          rec->stream = stream.__handle;
      }
      co_return fetch_access::make(status, std::move(headers), std::move(rec));
    }
    co_await ready(wasi_http_types_method_future_incoming_response_subscribe(
        wasi_http_types_borrow_future_incoming_response(future)));
  }
}

}  // namespace detail

// The status text and headers arrive with the response.
void fetch_response::load_head() const {}

task<std::optional<std::vector<std::byte>>> fetch_response::read_chunk() {
  if (!body_ || body_->stream < 0) co_return std::nullopt;
  const std::int32_t stream = body_->stream;
  std::vector<std::byte> chunk(64 * 1024);
  const std::size_t n =
      co_await detail::stream_read_some({stream}, chunk, "fetch: read the response body", errc::network_error);
  if (n == 0) {  // the end: give the resources back now
    body_.reset();
    co_return std::nullopt;
  }
  chunk.resize(n);
  co_return chunk;
}

}  // namespace wasync
