// The fd primitives under fd_stream (runtime/src/fd_stream.cpp) on WASI 0.3:
// fds 0, 1 and 2 are wasi:cli's stream<u8>s (stdin read-via-stream, stdout
// and stderr write-via-stream), each a byte_stream (one operation at a time
// through its own buffer), which fd_stream sees as readiness: fd_ready waits
// for the operation in flight. Other fds (files from file::open) go through
// the preview1 calls the adapter serves.
//
// wasmtime completes a stdout or stderr write only after writing and flushing
// it, so what printf sends through the adapter afterwards comes after it.
#include <string>

#include "byte_stream.hpp"
#include "preview1_fd.hpp"
#include "stdio_streams.hpp"
#include "wasip3.h"
#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"

namespace wasync::detail {
namespace {

/// A standard stream: its byte_stream, opened on first use, and the future
/// the host resolves when it is done with it.
struct standard_stream {
  int fd;
  byte_stream bytes;
  std::uint32_t done = 0;
  bool closed = false;  ///< at the program's end: not opened again

  explicit standard_stream(int f) noexcept
      : fd(f),
        bytes(cli_bytes, f == 0 ? byte_stream::end::readable : byte_stream::end::writable,
              f == 0   ? "read standard input"
              : f == 1 ? "write standard output"
                       : "write standard error") {
    // The runtime's reports queued while a write was in flight go next.
    if (fd == 2) bytes.on_idle = [](void*) { flush_reports(duration::zero()); };
  }
  ~standard_stream() { close(); }

  byte_stream& opened() noexcept {
    if (bytes.handle() != 0 || closed) return bytes;
    if (fd == 0) {
      wasi_cli_stdin_tuple2_stream_u8_future_result_void_error_code_t r;
      wasi_cli_stdin_read_via_stream(&r);
      bytes.attach(r.f0);
      done = r.f1;
    } else {
      wasi_cli_stdin_stream_u8_writer_t writer;
      const wasi_cli_stdin_stream_u8_t reader = wasi_cli_stdin_stream_u8_new(&writer);
      bytes.attach(writer);
      done = fd == 1 ? wasi_cli_stdout_write_via_stream(reader) : wasi_cli_stderr_write_via_stream(reader);
    }
    return bytes;
  }
  void close() noexcept {
    closed = true;
    bytes.close();
    if (done == 0) return;
    if (fd == 0) wasi_cli_stdin_future_result_void_error_code_drop_readable(done);
    else if (fd == 1) wasi_cli_stdout_future_result_void_error_code_drop_readable(done);
    else wasi_cli_stderr_future_result_void_error_code_drop_readable(done);
    done = 0;
  }
};

standard_stream* stream_for(int fd) noexcept {
  static standard_stream in(0), out(1), err(2);
  return fd == 0 ? &in : fd == 1 ? &out : fd == 2 ? &err : nullptr;
}

error not_for(int fd, const char* what) { return error(errc::invalid_argument, "fd " + std::to_string(fd) + what); }

}  // namespace

result<fd_status> fd_stat(int fd) {
  if (fd > 2) return preview1::fd_stat(fd);
  if (fd < 0) return not_for(fd, " is not open");
  return fd_status{.kind = fd_kind::other, .nonblocking = true};  // stream operations never block
}

bool fd_set_nonblocking(int fd, const fd_status& st) noexcept {
  return fd > 2 ? preview1::fd_set_nonblocking(fd, st) : true;
}
void fd_restore_flags(int fd, std::uint32_t flags) noexcept {
  if (fd > 2) preview1::fd_restore_flags(fd, flags);
}

fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept {
  if (fd > 2) return preview1::fd_read_now(fd, into);
  if (fd != 0) return fd_io{.err = not_for(fd, " cannot be read")};
  return stream_for(0)->opened().read_now(into);
}

fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept {
  if (fd > 2) return preview1::fd_write_now(fd, data);
  if (fd != 1 && fd != 2) return fd_io{.err = not_for(fd, " cannot be written")};
  return stream_for(fd)->opened().write_now(data);
}

// Files (fd > 2, through the adapter) never block; a standard stream waits
// for its operation in flight.
task<unsigned> fd_ready(int fd, bool for_write) {
  const unsigned told = for_write ? io_writable : io_readable;
  if (fd > 2) co_return told;
  if (fd < 0 || (fd == 0) == for_write) co_return told | io_error;  // fd_read_now/fd_write_now say why
  co_await single_op::wait(stream_for(fd)->bytes);
  co_return told;
}

// What stderr's stream takes now: a write in flight takes nothing more (no
// waiting for room here, which would block the instance); its end writes
// what the report sink queued meanwhile (on_idle).
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration) noexcept {
  const fd_io r = fd_write_now(2, std::as_bytes(bytes));
  if (!r.err.ok()) return -1;
  return static_cast<std::ptrdiff_t>(r.n);
}

task<void> drain_standard_streams() {
  for (;;) {
    flush_reports(duration::zero());
    for (int fd = 1; fd <= 2; ++fd) co_await single_op::wait(stream_for(fd)->bytes);
    if (report_stats().queued == 0) co_return;
  }
}

bool standard_streams_busy() noexcept { return stream_for(1)->bytes.busy() || stream_for(2)->bytes.busy(); }

void close_standard_streams() noexcept {
  for (int fd = 0; fd <= 2; ++fd) stream_for(fd)->close();
}

}  // namespace wasync::detail
