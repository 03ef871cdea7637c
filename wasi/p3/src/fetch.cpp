// fetch on the wasi:http 0.3 client (wasmtime run -S p3 -S http): the request
// carries its body as a stream<u8> of ours, written while the host sends it,
// and a trailers future (none); `client.send` is an async import awaited as a
// subtask (cancelling the fetch cancels it, and the host drops the
// connection). The response body is a stream<u8> read one operation at a time
// (byte_stream.hpp); at its end the trailers future says whether it ended
// cleanly.
#include "wasync/fetch.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "byte_stream.hpp"
#include "future_end.hpp"
#include "subtask_wait.hpp"
#include "wasi_http_client.hpp"
#include "wasip3.h"
#include "wasync/http/url.hpp"

namespace wasync {
namespace detail {

namespace {

using trailers_value = wasi_http_types_result_option_own_trailers_error_code_t;
using done_value = wasi_http_types_result_void_error_code_t;

const future_ops<trailers_value> trailers_ops{
    wasi_http_types_future_result_option_own_trailers_error_code_read,
    wasi_http_types_future_result_option_own_trailers_error_code_write,
    wasi_http_types_future_result_option_own_trailers_error_code_cancel_read,
    wasi_http_types_future_result_option_own_trailers_error_code_cancel_write,
    wasi_http_types_future_result_option_own_trailers_error_code_drop_readable,
    wasi_http_types_future_result_option_own_trailers_error_code_drop_writable,
};
const future_ops<done_value> done_ops{
    wasi_http_types_future_result_void_error_code_read,        wasi_http_types_future_result_void_error_code_write,
    wasi_http_types_future_result_void_error_code_cancel_read, wasi_http_types_future_result_void_error_code_cancel_write,
    wasi_http_types_future_result_void_error_code_drop_readable,
    wasi_http_types_future_result_void_error_code_drop_writable,
};

static_assert(WASI_HTTP_TYPES_METHOD_OTHER == wasi_http::method_other && WASI_HTTP_TYPES_METHOD_PATCH == 8);
static_assert(WASI_HTTP_TYPES_ERROR_CODE_DNS_TIMEOUT == wasi_http::dns_timeout &&
              WASI_HTTP_TYPES_ERROR_CODE_CONNECTION_REFUSED == wasi_http::connection_refused &&
              WASI_HTTP_TYPES_ERROR_CODE_HTTP_REQUEST_DENIED == wasi_http::http_request_denied &&
              WASI_HTTP_TYPES_ERROR_CODE_HTTP_RESPONSE_TIMEOUT == wasi_http::http_response_timeout);

wasip3_string_t borrow_string(std::string_view s) noexcept {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(s.data())), s.size()};
}

/// A wasi:http error-code as a wasync error (frees `e`).
error http_failure(wasi_http_types_error_code_t& e, const std::string& url) {
  error failure = wasi_http::failure(e.tag, url);
  wasi_http_types_error_code_free(&e);
  return failure;
}

result<wasi_http_types_own_fields_t> make_fields(const http_headers& headers) {
  std::vector<wasi_http_types_tuple2_field_name_field_value_t> entries;
  entries.reserve(headers.size());
  for (const auto& [name, value] : headers)
    entries.push_back(
        {borrow_string(name), {reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), value.size()}});
  wasi_http_types_list_tuple2_field_name_field_value_t list{entries.data(), entries.size()};
  wasi_http_types_own_fields_t fields;
  wasi_http_types_header_error_t err;
  if (!wasi_http_types_static_fields_from_list(&list, &fields, &err)) {
    const bool forbidden = err.tag == WASI_HTTP_TYPES_HEADER_ERROR_FORBIDDEN;
    wasi_http_types_header_error_free(&err);
    return error(errc::invalid_argument, forbidden ? "fetch: a header the host forbids (such as Host or Connection)"
                                                   : "fetch: an invalid header name or value");
  }
  return fields;
}

http_headers read_fields(wasi_http_types_own_fields_t fields) {
  wasi_http_types_list_tuple2_field_name_field_value_t list;
  wasi_http_types_method_fields_copy_all(wasi_http_types_borrow_fields(fields), &list);
  http_headers out;
  out.reserve(list.len);
  for (std::size_t i = 0; i < list.len; ++i)
    out.emplace_back(std::string(reinterpret_cast<const char*>(list.ptr[i].f0.ptr), list.ptr[i].f0.len),
                     std::string(reinterpret_cast<const char*>(list.ptr[i].f1.ptr), list.ptr[i].f1.len));
  wasi_http_types_list_tuple2_field_name_field_value_free(&list);
  wasi_http_types_fields_drop_own(fields);
  return out;
}

/// Frees what a trailers future's value holds.
void free_trailers(trailers_value& v) noexcept {
  if (v.is_err) wasi_http_types_error_code_free(&v.val.err);
  else if (v.val.ok.is_some) wasi_http_types_fields_drop_own(v.val.ok.val);
  v = {};
}

/// The request's body and trailers: ours to write while the host sends it.
struct request_body {
  byte_stream out{http_bytes, byte_stream::end::writable, "fetch: write the request body"};
  future_end<trailers_value> trailers{trailers_ops, future_end<trailers_value>::end::writable};
};

/// Writes `data`, then ends the body and its trailers (none). False when the
/// host stopped reading (the response, or its failure, says why).
task<bool> send_body(request_body& b, std::span<const std::byte> data) {
  while (!data.empty()) {
    const fd_io r = b.out.write_now(data);
    if (!r.err.ok()) co_return false;
    co_await single_op::wait(b.out);  // the host took the bytes (a write is never torn)
    if (r.would_block) continue;
    if (b.out.ended()) co_return false;
    data = data.subspan(r.n);
  }
  b.out.close();  // the end of the body
  trailers_value none{};  // ok(none)
  b.trailers.start(none);
  co_await single_op::wait(b.trailers);
  co_return b.trailers.transferred();
}

using send_results = import_results<wasi_http_client_result_own_response_error_code_t,
                                    wasi_http_client_result_own_response_error_code_free>;

}  // namespace

/// What a fetch holds until its response body is read or dropped: the
/// request's transmission future (wasmtime's connection task lives in it:
/// dropping it ends the transfer), the body stream, the future of its
/// trailers (read at the end: an error there means the body broke off), and
/// the future that tells the host how we took the body (written at the end;
/// dropping it unwritten traps).
struct fetch_body {
  future_end<done_value> sent{done_ops, future_end<done_value>::end::readable};
  byte_stream in{http_bytes, byte_stream::end::readable, "fetch: read the response body"};
  future_end<trailers_value> trailers{trailers_ops, future_end<trailers_value>::end::readable};
  future_end<done_value> done{done_ops, future_end<done_value>::end::writable};
  bool consumed = false;  ///< `in`, `trailers` and `done` are attached
  ~fetch_body() {
    in.close();
    if (trailers.transferred()) free_trailers(trailers.value());
    // Not read to the end: the host hears the body was cut short. It reads
    // this future as soon as it has it, so the write completes at once.
    if (consumed && !done.done()) {
      done_value cut{};
      cut.is_err = true;
      cut.val.err.tag = WASI_HTTP_TYPES_ERROR_CODE_CONNECTION_TERMINATED;
      done.start(cut);
    }
    if (sent.transferred() && sent.value().is_err) wasi_http_types_error_code_free(&sent.value().val.err);
  }
};

void fetch_body_deleter::operator()(fetch_body* body) const noexcept { delete body; }

// The body arrives from its stream chunk by chunk: bytes() reads it so.
task<std::optional<std::vector<std::byte>>> fetch_read_whole(fetch_body&) { co_return std::nullopt; }

task<fetch_response> fetch_start(const fetch_request& request) {
  auto url = http::url::parse(request.url);
  if (!url) co_return url.error();
  auto fields = make_fields(request.headers);
  if (!fields) co_return fields.error();

  // The request, its body (a stream of ours, when it has one) and trailers.
  fetch_body_ptr rec(new fetch_body);
  request_body body;
  const bool has_body = !std::holds_alternative<std::monostate>(request.body);
  wasi_http_types_stream_u8_writer_t body_writer = 0;
  wasi_http_types_stream_u8_t body_reader = has_body ? wasi_http_types_stream_u8_new(&body_writer) : 0;
  body.out.attach(body_writer);
  wasi_http_types_future_result_option_own_trailers_error_code_writer_t trailers_writer;
  const auto trailers_reader = wasi_http_types_future_result_option_own_trailers_error_code_new(&trailers_writer);
  body.trailers.attach(trailers_writer);
  wasi_http_types_tuple2_own_request_future_result_void_error_code_t made;
  wasi_http_types_static_request_new(*fields, has_body ? &body_reader : nullptr, trailers_reader, nullptr, &made);
  rec->sent.attach(made.f1);  // kept unread: the response (or its failure) says enough

  const auto borrowed = wasi_http_types_borrow_request(made.f0);
  wasi_http_types_method_t method{wasi_http::method_tag(request.method), {}};
  if (method.tag == WASI_HTTP_TYPES_METHOD_OTHER) method.val.other = borrow_string(request.method);
  const int scheme_tag = url->scheme == "https" ? WASI_HTTP_TYPES_SCHEME_HTTPS : WASI_HTTP_TYPES_SCHEME_HTTP;
  wasi_http_types_scheme_t scheme{static_cast<std::uint8_t>(scheme_tag), {}};
  const std::string host = url->authority();
  wasip3_string_t authority = borrow_string(host);
  wasip3_string_t path = borrow_string(url->target);
  if (!wasi_http_types_method_request_set_method(borrowed, &method) ||
      !wasi_http_types_method_request_set_scheme(borrowed, &scheme) ||
      !wasi_http_types_method_request_set_authority(borrowed, &authority) ||
      !wasi_http_types_method_request_set_path_with_query(borrowed, &path)) {
    wasi_http_types_request_drop_own(made.f0);
    co_return error(errc::invalid_argument, "fetch: invalid method or URL \"" + request.url + "\"");
  }
  if (!has_body) body.trailers.start(trailers_value{});  // ok(none), read when the host sends the request

  send_results res;
  const wasip3_subtask_status_t st = wasi_http_client_send(made.f0, &res.value);  // takes the request
  // The body goes out while the host sends the request; a host that stops
  // reading it has failed the request or answered already.
  if (has_body) (void)co_await send_body(body, wasi_http::body_bytes(request));
  co_await subtask_wait(st, res.returned);
  if (res.value.is_err) {
    res.returned = false;  // http_failure frees the code
    co_return http_failure(res.value.val.err, request.url);
  }
  const wasi_http_types_own_response_t response = std::exchange(res.value.val.ok, {});
  res.returned = false;
  const auto r = wasi_http_types_borrow_response(response);
  const int status = wasi_http_types_method_response_get_status_code(r);
  http_headers headers = read_fields(wasi_http_types_method_response_get_headers(r));

  wasi_http_types_future_result_void_error_code_writer_t done_writer;
  const auto done_reader = wasi_http_types_future_result_void_error_code_new(&done_writer);
  rec->done.attach(done_writer);
  wasi_http_types_tuple2_stream_u8_future_result_option_own_trailers_error_code_t consumed;
  wasi_http_types_static_response_consume_body(response, done_reader, &consumed);  // takes the response
  rec->in.attach(consumed.f0);
  rec->trailers.attach(consumed.f1);
  rec->consumed = true;
  co_return fetch_access::make(status, std::move(headers), std::move(rec));
}

}  // namespace detail

// The status text and headers arrive with the response.
void fetch_response::load_head() const {}

task<std::optional<std::vector<std::byte>>> fetch_response::read_chunk() {
  if (!body_) co_return std::nullopt;
  detail::fetch_body& b = *body_;
  std::vector<std::byte> chunk(64 * 1024);
  for (;;) {
    const detail::fd_io r = b.in.read_now(chunk);
    if (!r.would_block && r.n > 0) {
      chunk.resize(r.n);
      co_return chunk;
    }
    if (!r.would_block) break;
    co_await detail::single_op::wait(b.in);  // a cancelled wait leaves the read running: its bytes come next
  }
  // The end of the stream: the trailers future says whether the body was whole.
  if (!b.trailers.done()) {
    if (!b.trailers.busy()) b.trailers.start();
    co_await detail::single_op::wait(b.trailers);
  }
  if (b.trailers.transferred() && b.trailers.value().is_err) {
    error e = error(errc::network_error, "fetch: read the response body: the body broke off");
    if (b.trailers.value().val.err.tag == WASI_HTTP_TYPES_ERROR_CODE_CONNECTION_TERMINATED)
      e = error(errc::connection_reset, "fetch: read the response body: connection terminated");
    co_await fail(std::move(e));
  }
  // The host's transfer runs until it hears the body was taken.
  b.done.start(detail::done_value{});
  body_.reset();  // give the resources back now
  co_return std::nullopt;
}

}  // namespace wasync
