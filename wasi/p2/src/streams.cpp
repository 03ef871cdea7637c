// wasi:io streams from tasks: non-blocking read/check-write, pollables to wait.
#include "streams.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "owned_results.hpp"
#include "pollable.hpp"

namespace wasync::detail {

error stream_failure(wasi_io_streams_stream_error_t& e, std::string_view what, errc failed_code, errc closed_code) {
  if (e.tag == WASI_IO_STREAMS_STREAM_ERROR_CLOSED) return error(closed_code, std::string(what) + ": stream closed");
  wasip2_string_t text;
  wasi_io_error_method_error_to_debug_string(wasi_io_error_borrow_error(e.val.last_operation_failed), &text);
  // The first line only: wasmtime appends a Rust backtrace when RUST_BACKTRACE is set.
  std::string_view first(reinterpret_cast<const char*>(text.ptr), text.len);
  first = first.substr(0, first.find('\n'));
  std::string message = std::string(what) + ": " + std::string(first);
  wasip2_string_free(&text);
  free_stream_error(e);
  return error(failed_code, std::move(message));
}

task<std::size_t> stream_read_some(wasi_io_streams_borrow_input_stream_t in, std::span<std::byte> into,
                                   const char* what, errc failed_code) {
  if (into.empty()) co_return 0;
  for (;;) {
    wasip2_list_u8_t got;
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_input_stream_read(in, into.size(), &got, &err)) {
      if (err.tag == WASI_IO_STREAMS_STREAM_ERROR_CLOSED) co_return 0;
      co_return stream_failure(err, what, failed_code);
    }
    const std::size_t n = std::min(got.len, into.size());
    if (n > 0) std::memcpy(into.data(), got.ptr, n);
    wasip2_list_u8_free(&got);
    if (n > 0) co_return n;
    co_await ready(wasi_io_streams_method_input_stream_subscribe(in));
  }
}

task<void> stream_write_all(wasi_io_streams_borrow_output_stream_t out, std::span<const std::byte> data, bool flush,
                            const char* what, errc failed_code) {
  wasi_io_streams_stream_error_t err;
  while (!data.empty()) {
    std::uint64_t permit = 0;
    if (!wasi_io_streams_method_output_stream_check_write(out, &permit, &err))
      co_await fail(stream_failure(err, what, failed_code));
    if (permit == 0) {
      co_await ready(wasi_io_streams_method_output_stream_subscribe(out));
      continue;
    }
    // Writing past the permit traps: stay within it.
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(permit, data.size()));
    wasip2_list_u8_t piece{reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(data.data())), n};
    if (!wasi_io_streams_method_output_stream_write(out, &piece, &err))
      co_await fail(stream_failure(err, what, failed_code));
    data = data.subspan(n);
  }
  if (!flush) co_return;
  if (!wasi_io_streams_method_output_stream_flush(out, &err)) co_await fail(stream_failure(err, what, failed_code));
  // check-write reports 0 until the flush completes.
  for (;;) {
    std::uint64_t permit = 0;
    if (!wasi_io_streams_method_output_stream_check_write(out, &permit, &err))
      co_await fail(stream_failure(err, what, failed_code));
    if (permit > 0) co_return;
    co_await ready(wasi_io_streams_method_output_stream_subscribe(out));
  }
}

}  // namespace wasync::detail
