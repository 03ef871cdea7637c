// The fd primitives under fd_stream (runtime/src/fd_stream.cpp) on WASI
// preview2: fds 0, 1 and 2 are the wasi:cli streams, read and written without
// blocking (check-write permits, a flush started after each write); other fds
// (files from file::open) go through the preview1 calls the adapter serves.
#include <algorithm>
#include <cstring>
#include <string>

#include "owned_results.hpp"
#include "pollable.hpp"
#include "preview1_fd.hpp"
#include "stdio_handles.hpp"
#include "streams.hpp"
#include "wasync/detail/fd_stream.hpp"

namespace wasync::detail {
namespace {

/// Flushes what the program wrote and drops the streams at exit (static
/// destruction, after every task has ended).
struct stdio_table {
  std::int32_t handles[3] = {-1, -1, -1};
  ~stdio_table() {
    if (handles[0] >= 0) wasi_io_streams_input_stream_drop_own({handles[0]});
    for (int fd = 1; fd <= 2; ++fd) {
      if (handles[fd] < 0) continue;
      wasi_io_streams_stream_error_t err;
      if (!wasi_io_streams_method_output_stream_blocking_flush({handles[fd]}, &err))
        free_stream_error(err);
      wasi_io_streams_output_stream_drop_own({handles[fd]});
    }
  }
};

error not_for(int fd, const char* what) { return error(errc::invalid_argument, "fd " + std::to_string(fd) + what); }

}  // namespace

std::int32_t stdio_handle(int fd) noexcept {
  static stdio_table table;
  if (fd < 0 || fd > 2) return -1;
  std::int32_t& h = table.handles[fd];
  if (h < 0) {
    if (fd == 0) h = wasi_cli_stdin_get_stdin().__handle;
    else if (fd == 1) h = wasi_cli_stdout_get_stdout().__handle;
    else h = wasi_cli_stderr_get_stderr().__handle;
  }
  return h;
}

result<fd_status> fd_stat(int fd) {
  if (fd > 2) return preview1::fd_stat(fd);
  if (stdio_handle(fd) < 0) return not_for(fd, " is not open");
  return fd_status{.kind = fd_kind::other, .nonblocking = true};  // wasi:io streams never block on read/write
}

bool fd_set_nonblocking(int fd, const fd_status& st) noexcept {
  return fd > 2 ? preview1::fd_set_nonblocking(fd, st) : true;
}
void fd_restore_flags(int fd, std::uint32_t flags) noexcept {
  if (fd > 2) preview1::fd_restore_flags(fd, flags);
}

fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept {
  if (fd > 2) return preview1::fd_read_now(fd, into);
  fd_io r;
  const std::int32_t h = fd == 0 ? stdio_handle(0) : -1;
  if (h < 0) {
    r.err = not_for(fd, " cannot be read");
    return r;
  }
  wasip2_list_u8_t got;
  wasi_io_streams_stream_error_t err;
  if (!wasi_io_streams_method_input_stream_read({h}, into.size(), &got, &err)) {
    if (err.tag != WASI_IO_STREAMS_STREAM_ERROR_CLOSED)
      r.err = stream_failure(err, "read standard input", errc::invalid_state);
    return r;  // closed: the end of input, n = 0
  }
  r.n = std::min(got.len, into.size());
  if (r.n > 0) std::memcpy(into.data(), got.ptr, r.n);
  else r.would_block = true;
  wasip2_list_u8_free(&got);
  return r;
}

fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept {
  if (fd > 2) return preview1::fd_write_now(fd, data);
  fd_io r;
  const std::int32_t h = fd == 1 || fd == 2 ? stdio_handle(fd) : -1;
  if (h < 0) {
    r.err = not_for(fd, " cannot be written");
    return r;
  }
  const char* what = fd == 1 ? "write standard output" : "write standard error";
  wasi_io_streams_stream_error_t err;
  std::uint64_t permit = 0;
  if (!wasi_io_streams_method_output_stream_check_write({h}, &permit, &err)) {
    r.err = stream_failure(err, what, errc::closed);
    return r;
  }
  if (permit == 0) {  // full, or the last flush is still running
    r.would_block = true;
    return r;
  }
  // Writing past the permit traps: stay within it.
  r.n = static_cast<std::size_t>(std::min<std::uint64_t>(permit, data.size()));
  wasip2_list_u8_t piece{reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(data.data())), r.n};
  // Flushed at once: standard output is unbuffered, and the next check-write
  // waits for the flush, so a slow reader holds the writer back.
  if (!wasi_io_streams_method_output_stream_write({h}, &piece, &err) ||
      !wasi_io_streams_method_output_stream_flush({h}, &err)) {
    r.n = 0;
    r.err = stream_failure(err, what, errc::closed);
  }
  return r;
}

// Files (fd > 2, through the adapter) never block; the standard streams wait
// on their own stream's pollable.
task<unsigned> fd_ready(int fd, bool for_write) {
  const unsigned told = for_write ? io_writable : io_readable;
  if (fd > 2) co_return told;
  const std::int32_t h = stdio_handle(fd);
  if (h < 0 || (fd == 0) == for_write) co_return told | io_error;  // fd_read_now/fd_write_now say why
  co_await ready(for_write ? wasi_io_streams_method_output_stream_subscribe({h})
                           : wasi_io_streams_method_input_stream_subscribe({h}));
  co_return told;
}

// The stderr stream's check-write says how much it takes now; with `max_wait`,
// its pollable (and a timer) say when there may be more. wasmtime 49's CLI
// stdio always grants the whole budget and then blocks the instance in the
// write when the pipe is full: no guest can tell that host's full pipe.
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept {
  const std::span<const std::byte> data = std::as_bytes(bytes);
  fd_io r = fd_write_now(2, data);
  if (r.would_block && max_wait > duration::zero()) {
    const wasi_io_poll_own_pollable_t room = wasi_io_streams_method_output_stream_subscribe({stdio_handle(2)});
    const wasi_io_poll_own_pollable_t timer =
        wasi_clocks_monotonic_clock_subscribe_duration(static_cast<std::uint64_t>(max_wait.count()));
    wasi_io_poll_borrow_pollable_t both[2] = {{room.__handle}, {timer.__handle}};
    wasi_io_poll_list_borrow_pollable_t list{both, 2};
    wasip2_list_u32_t ready;
    wasi_io_poll_poll(&list, &ready);
    wasip2_list_u32_free(&ready);
    wasi_io_poll_pollable_drop_own(timer);
    wasi_io_poll_pollable_drop_own(room);
    r = fd_write_now(2, data);
  }
  if (!r.err.ok()) return -1;
  return static_cast<std::ptrdiff_t>(r.n);
}

}  // namespace wasync::detail
