// The WASI preview1 fd primitives under fd_stream: fdstat, fd_read, fd_write.
#include <wasi/api.h>

#include <string>

#include "wasi_errors.hpp"
#include "wasync/detail/fd_stream.hpp"

namespace wasync::detail {
namespace {
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

}  // namespace wasync::detail
