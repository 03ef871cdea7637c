// The WASI preview1 fd calls under fd_stream: fdstat, fd_read, fd_write. The
// preview1 reactor uses them for every fd (and for its reports on standard
// error), the preview2 one for files (through the adapter).
#include "preview1_fd.hpp"

#include <wasi/api.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "wasi_errors.hpp"

namespace wasync::detail::preview1 {
namespace {
// POSIX: a pipe that polls writable takes this much without blocking.
constexpr std::size_t pipe_buf = 4096;
constexpr __wasi_fdflags_t wasi_fdflags = __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_DSYNC |
                                          __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_RSYNC |
                                          __WASI_FDFLAGS_SYNC;
}  // namespace

result<fd_status> fd_stat(int fd) {
  __wasi_fdstat_t st;
  if (const __wasi_errno_t e = __wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st); e != 0)
    return errno_error(e, "fdstat fd " + std::to_string(fd));
  fd_status out;
  if (st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE || st.fs_filetype == __WASI_FILETYPE_DIRECTORY)
    out.kind = fd_kind::file;
  else if (st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE)
    out.kind = fd_kind::terminal;
  // node:wasi returns the host's raw open flags here; keep only WASI's bits.
  out.flags = st.fs_flags & wasi_fdflags;
  out.nonblocking = (out.flags & __WASI_FDFLAGS_NONBLOCK) != 0;
  return out;
}

bool fd_set_nonblocking(int fd, const fd_status& st) noexcept {
  return __wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd),
                                    static_cast<__wasi_fdflags_t>(st.flags | __WASI_FDFLAGS_NONBLOCK)) == 0;
}

void fd_restore_flags(int fd, std::uint32_t flags) noexcept {
  (void)__wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd), static_cast<__wasi_fdflags_t>(flags));
}

fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept {
  const __wasi_iovec_t iov{reinterpret_cast<std::uint8_t*>(into.data()), into.size()};
  __wasi_size_t n = 0;
  fd_io r;
  const __wasi_errno_t e = __wasi_fd_read(static_cast<__wasi_fd_t>(fd), &iov, 1, &n);
  if (e == __WASI_ERRNO_AGAIN) r.would_block = true;
  else if (e != 0) r.err = errno_error(e, "read fd " + std::to_string(fd));
  r.n = n;
  return r;
}

fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept {
  const __wasi_ciovec_t iov{reinterpret_cast<const std::uint8_t*>(data.data()), data.size()};
  __wasi_size_t n = 0;
  fd_io r;
  const __wasi_errno_t e = __wasi_fd_write(static_cast<__wasi_fd_t>(fd), &iov, 1, &n);
  // Nothing written and no error: treat as "full", wait for room.
  if (e == __WASI_ERRNO_AGAIN || (e == 0 && n == 0 && !data.empty())) r.would_block = true;
  else if (e != 0) r.err = errno_error(e, "write fd " + std::to_string(fd));
  r.n = n;
  return r;
}

// wasmtime refuses to make stdio non-blocking: ask poll_oneoff whether fd 2
// has room, then write at most PIPE_BUF bytes, which a pipe that polls
// writable takes without blocking. Where the host cannot poll fd 2 (node:wasi
// with a file or /dev/null, which never block), write at once.
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept {
  if (bytes.empty()) return 0;
  __wasi_subscription_t subs[2]{};
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  subs[0].u.u.fd_write.file_descriptor = 2;
  subs[1].userdata = 0;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = static_cast<__wasi_timestamp_t>(std::max<std::int64_t>(max_wait.count(), 0));
  __wasi_event_t events[2]{};
  __wasi_size_t n = 0;
  if (__wasi_poll_oneoff(subs, events, 2, &n) == 0) {
    bool room = false;
    for (__wasi_size_t i = 0; i < n; ++i) {
      if (events[i].userdata != 1) continue;
      if (events[i].error != 0) return -1;
      room = true;
    }
    if (!room) return 0;
  }
  const __wasi_ciovec_t iov{reinterpret_cast<const std::uint8_t*>(bytes.data()),
                            std::min<std::size_t>(bytes.size(), pipe_buf)};
  __wasi_size_t written = 0;
  const __wasi_errno_t e = __wasi_fd_write(2, &iov, 1, &written);
  if (e == __WASI_ERRNO_AGAIN) return 0;
  return e == 0 ? static_cast<std::ptrdiff_t>(written) : -1;
}

}  // namespace wasync::detail::preview1
