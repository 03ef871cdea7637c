// fetch on the wasi:http 0.3 client (wasmtime run -S p3 -S http): the request
// carries its body as a stream<u8> of ours, written while the host sends it,
// and a trailers future (none); `client.send` is an async import awaited as a
// subtask (cancelling the fetch cancels it, and the host drops the
// connection). The response body is a stream<u8> read one operation at a time
// (byte_stream.hpp); at its end the trailers future says whether it ended
// cleanly.
#include "wasync/fetch.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "byte_stream.hpp"
#include "future_end.hpp"
#include "http_futures.hpp"
#include "subtask_wait.hpp"
#include "wasi_http_client.hpp"
#include "wasip3.h"
#include "wasync/http/url.hpp"

namespace wasync {
namespace detail {

namespace {

WASYNC_WASI_HTTP_CHECK_TAGS();

/// A wasi:http error-code as a wasync error (frees `e`).
error http_failure(wasi_http_types_error_code_t& e, const std::string& url) {
  return wasi_http::failure(e, url, [](wasi_http_types_error_code_t& c) { wasi_http_types_error_code_free(&c); });
}

http_headers read_fields(wasi_http_types_own_fields_t fields) {
  http_headers out = wasi_http::read_fields(wasi_http_types_borrow_fields(fields), wasi_http_types_method_fields_copy_all,
                                            wasi_http_types_list_tuple2_field_name_field_value_free);
  wasi_http_types_fields_drop_own(fields);
  return out;
}

/// Frees what a trailers future's value holds.
void free_trailers(trailers_value& v) noexcept {
  if (v.is_err) wasi_http_types_error_code_free(&v.val.err);
  else if (v.val.ok.is_some) wasi_http_types_fields_drop_own(v.val.ok.val);
  v = {};
}

/// The request body, written while the host sends the request and after the
/// response came (the server may answer as it reads it), with no task: the
/// end of each write (byte_stream::on_idle) starts the next, and the last
/// ends the stream and writes the trailers (none). Destroying it stops both;
/// trailers not written by then say the body broke off.
class body_pump {
 public:
  explicit body_pump(std::span<const std::byte> data) : data_(data.begin(), data.end()) {
    trailers_value broke{};
    broke.is_err = true;
    broke.val.err.tag = WASI_HTTP_TYPES_ERROR_CODE_CONNECTION_TERMINATED;
    trailers.set_close_value(broke);
  }
  body_pump(const body_pump&) = delete;
  body_pump& operator=(const body_pump&) = delete;
  ~body_pump() { out.close(); }  // before the trailers: the host reads them after the body

  byte_stream out{http_bytes, byte_stream::end::writable, "fetch: write the request body"};
  future_end<trailers_value> trailers{trailers_ops, future_end<trailers_value>::end::writable};

  /// Starts writing (the handles are attached).
  void start() noexcept {
    out.on_idle = [](void* self) { static_cast<body_pump*>(self)->next(); };
    out.idle_context = this;
    next();
  }

 private:
  void next() noexcept {
    while (sent_ < data_.size()) {
      const fd_io r = out.write_now(std::span(data_).subspan(sent_));
      if (!r.err.ok()) return;  // the host stopped reading: the response (or its failure) says why
      if (r.would_block) return;
      sent_ += r.n;
      if (out.busy()) return;  // on_idle comes when the host took them
    }
    if (std::exchange(ended_, true)) return;
    out.close();  // the end of the body
    trailers.start(trailers_value{});  // ok(none)
  }

  std::vector<std::byte> data_;  ///< a copy: the request goes when fetch() returns, the upload may not
  std::size_t sent_ = 0;
  bool ended_ = false;
};

using send_results = import_results<wasi_http_client_result_own_response_error_code_t,
                                    wasi_http_client_result_own_response_error_code_free>;

}  // namespace

/// What a fetch holds until its response body is read or dropped: the
/// request's transmission future (wasmtime's connection task lives in it:
/// dropping it ends the transfer), the body stream, the future of its
/// trailers (read at the end: an error there means the body broke off), the
/// future that tells the host how we took the body (written at the end;
/// dropping it unwritten traps), and the request body still going out.
struct fetch_body {
  future_end<done_value> sent{done_ops, future_end<done_value>::end::readable};
  byte_stream in{http_bytes, byte_stream::end::readable, "fetch: read the response body"};
  future_end<trailers_value> trailers{trailers_ops, future_end<trailers_value>::end::readable};
  future_end<done_value> done{done_ops, future_end<done_value>::end::writable};
  std::unique_ptr<body_pump> upload;  ///< the request body, while it still goes out
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
  auto fields = wasi_http::make_fields(request.headers, wasi_http_types_static_fields_from_list,
                                       wasi_http_types_header_error_free);
  if (!fields) co_return fields.error();

  // The request, its body (a stream of ours, when it has one) and trailers.
  fetch_body_ptr rec(new fetch_body);
  const bool has_body = !std::holds_alternative<std::monostate>(request.body);
  auto upload = std::make_unique<body_pump>(wasi_http::body_bytes(request));
  wasi_http_types_stream_u8_writer_t body_writer = 0;
  wasi_http_types_stream_u8_t body_reader = has_body ? wasi_http_types_stream_u8_new(&body_writer) : 0;
  upload->out.attach(body_writer);
  wasi_http_types_future_result_option_own_trailers_error_code_writer_t trailers_writer;
  const auto trailers_reader = wasi_http_types_future_result_option_own_trailers_error_code_new(&trailers_writer);
  upload->trailers.attach(trailers_writer);
  wasi_http_types_tuple2_own_request_future_result_void_error_code_t made;
  wasi_http_types_static_request_new(*fields, has_body ? &body_reader : nullptr, trailers_reader, nullptr, &made);
  rec->sent.attach(made.f1);  // kept unread: the response (or its failure) says enough

  if (!wasi_http::set_request_head(wasi_http_types_borrow_request(made.f0), request.method, *url,
                                   wasi_http_types_method_request_set_method, wasi_http_types_method_request_set_scheme,
                                   wasi_http_types_method_request_set_authority,
                                   wasi_http_types_method_request_set_path_with_query)) {
    wasi_http_types_request_drop_own(made.f0);
    co_return error(errc::invalid_argument, "fetch: invalid method or URL \"" + request.url + "\"");
  }
  send_results res;
  subtask_guard sending(wasi_http_client_send(made.f0, &res.value), res.returned);  // takes the request
  // The body goes out as the host takes it, also once the response came.
  upload->start();
  co_await subtask_wait(sending.release(), res.returned);
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
  rec->upload = std::move(upload);
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
