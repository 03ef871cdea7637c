// fd_stream: non-blocking reads and writes over WASI preview1 fds.
#include "wasync/detail/fd_stream.hpp"

#include <wasi/api.h>

#include <algorithm>
#include <string>
#include <utility>

#include "wasi_errors.hpp"
#include "wasync/fd_wait.hpp"
#include "wasync/sleep.hpp"

namespace wasync::detail {
namespace {

// POSIX guarantees a pipe that polls writable takes this much without blocking.
constexpr std::size_t pipe_buf = 4096;
constexpr __wasi_fdflags_t wasi_fdflags = __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_DSYNC |
                                          __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_RSYNC |
                                          __WASI_FDFLAGS_SYNC;

struct io_result {
  std::size_t n = 0;
  __wasi_errno_t err = 0;
};

io_result read_now(int fd, std::span<std::byte> into) noexcept {
  const __wasi_iovec_t iov{reinterpret_cast<std::uint8_t*>(into.data()), into.size()};
  io_result r;
  __wasi_size_t n = 0;
  r.err = __wasi_fd_read(static_cast<__wasi_fd_t>(fd), &iov, 1, &n);
  r.n = n;
  return r;
}

io_result write_now(int fd, std::span<const std::byte> data) noexcept {
  const __wasi_ciovec_t iov{reinterpret_cast<const std::uint8_t*>(data.data()), data.size()};
  io_result r;
  __wasi_size_t n = 0;
  r.err = __wasi_fd_write(static_cast<__wasi_fd_t>(fd), &iov, 1, &n);
  r.n = n;
  // Nothing written and no error: treat as "full", wait for room.
  if (r.err == 0 && r.n == 0 && !data.empty()) r.err = __WASI_ERRNO_AGAIN;
  return r;
}

error unpollable(int fd) {
  return error(errc::not_supported, "the host cannot wait for fd " + std::to_string(fd));
}

}  // namespace

fd_stream::fd_stream(fd_stream&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      mode_(o.mode_),
      restore_flags_(std::exchange(o.restore_flags_, false)),
      saved_flags_(o.saved_flags_) {}

fd_stream& fd_stream::operator=(fd_stream&& o) noexcept {
  if (this != &o) {
    restore();
    fd_ = std::exchange(o.fd_, -1);
    mode_ = o.mode_;
    restore_flags_ = std::exchange(o.restore_flags_, false);
    saved_flags_ = o.saved_flags_;
  }
  return *this;
}

fd_stream::~fd_stream() { restore(); }

int fd_stream::release() noexcept {
  restore();
  mode_ = mode::unknown;
  return std::exchange(fd_, -1);
}

void fd_stream::restore() noexcept {
  // The flags live on the open file description, which the host process may
  // share (a terminal, the parent's pipe): leave it as we found it.
  if (std::exchange(restore_flags_, false))
    (void)__wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd_), saved_flags_);
}

void fd_stream::prepare() noexcept {
  if (mode_ != mode::unknown) return;
  __wasi_fdstat_t st;
  if (__wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd_), &st) != 0) {
    mode_ = mode::blocking;  // the first read or write reports the real error
    return;
  }
  if (st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE || st.fs_filetype == __WASI_FILETYPE_DIRECTORY) {
    mode_ = mode::file;
    return;
  }
  // node:wasi returns the host's raw open flags here; keep only WASI's bits.
  const __wasi_fdflags_t flags = st.fs_flags & wasi_fdflags;
  if (flags & __WASI_FDFLAGS_NONBLOCK) {
    mode_ = mode::nonblocking;
  } else if (st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE) {
    // A terminal stays blocking: if the program is killed before it can restore
    // the flag, the shell sharing the terminal would be left non-blocking.
    mode_ = mode::blocking;
  } else if (__wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd_), flags | __WASI_FDFLAGS_NONBLOCK) == 0) {
    mode_ = mode::nonblocking;
    restore_flags_ = true;
    saved_flags_ = flags;
  } else {
    mode_ = mode::blocking;  // wasmtime refuses (EBADF) for stdio
  }
}

task<std::size_t> fd_stream::read_some(std::span<std::byte> into) {
  prepare();
  into = into.first(std::min(into.size(), max_chunk));
  if (into.empty()) co_return 0;
  unsigned seen = 0;
  if (mode_ == mode::file) co_await yield_now();
  else if (mode_ == mode::blocking) seen = co_await readable(fd_);
  for (;;) {
    const io_result r = read_now(fd_, into);
    if (r.err == 0) co_return r.n;
    if (r.err != __WASI_ERRNO_AGAIN) co_return errno_error(r.err, "read fd " + std::to_string(fd_));
    if (seen & io_error) co_return unpollable(fd_);
    seen = co_await readable(fd_);
  }
}

task<void> fd_stream::write_all(std::span<const std::byte> data) {
  prepare();
  bool first = true;
  while (!data.empty()) {
    unsigned seen = 0;
    const std::size_t limit = mode_ == mode::blocking ? pipe_buf : max_chunk;
    const std::span<const std::byte> chunk = data.first(std::min(data.size(), limit));
    if (mode_ == mode::blocking) seen = co_await writable(fd_);
    else if (mode_ == mode::file || !first) co_await yield_now();  // a fast reader must not starve the loop
    first = false;
    for (;;) {
      const io_result r = write_now(fd_, chunk);
      if (r.err == 0) {
        data = data.subspan(r.n);
        break;
      }
      if (r.err != __WASI_ERRNO_AGAIN) co_await fail(errno_error(r.err, "write fd " + std::to_string(fd_)));
      if (seen & io_error) co_await fail(unpollable(fd_));
      seen = co_await writable(fd_);
    }
  }
}

}  // namespace wasync::detail
