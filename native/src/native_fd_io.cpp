// The native fd primitives under fd_stream (standard streams): POSIX fstat,
// fcntl, read and write; and the report sink's stderr writer (poll, then write).
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/fd_wait.hpp"

namespace wasync::detail {
namespace {
error os_error(int e, const char* what, int fd) {
  const errc code = e == EPIPE || e == ECONNRESET ? errc::closed
                    : e == EBADF || e == EINVAL   ? errc::invalid_argument
                    : e == EACCES || e == EPERM   ? errc::permission_denied
                                                  : errc::invalid_state;
  return error(code, std::string(what) + " fd " + std::to_string(fd) + ": " + std::strerror(e));
}
}  // namespace

result<fd_status> fd_stat(int fd) {
  struct stat st;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fstat(fd, &st) < 0) return os_error(errno, "fstat", fd);
  fd_status out;
  // epoll cannot watch regular files (they never block anyway).
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode)) out.kind = fd_kind::file;
  else if (::isatty(fd)) out.kind = fd_kind::terminal;
  out.flags = static_cast<std::uint32_t>(flags);
  out.nonblocking = (flags & O_NONBLOCK) != 0;
  return out;
}

bool fd_set_nonblocking(int fd, const fd_status& st) noexcept {
  return ::fcntl(fd, F_SETFL, static_cast<int>(st.flags) | O_NONBLOCK) == 0;
}

void fd_restore_flags(int fd, std::uint32_t flags) noexcept { ::fcntl(fd, F_SETFL, static_cast<int>(flags)); }

fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept {
  fd_io r;
  ssize_t n;
  do n = ::read(fd, into.data(), into.size());
  while (n < 0 && errno == EINTR);
  if (n >= 0) r.n = static_cast<std::size_t>(n);
  else if (errno == EAGAIN || errno == EWOULDBLOCK) r.would_block = true;
  else r.err = os_error(errno, "read", fd);
  return r;
}

fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept {
  fd_io r;
  ssize_t n;
  do n = ::write(fd, data.data(), data.size());
  while (n < 0 && errno == EINTR);
  if (n > 0 || (n == 0 && data.empty())) r.n = static_cast<std::size_t>(n);
  else if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) r.would_block = true;
  else r.err = os_error(errno, "write", fd);
  return r;
}

// Standard error stays as the parent made it (usually blocking, and shared with
// it): poll for room, then write at most PIPE_BUF bytes, which a pipe that polls
// writable takes without blocking.
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept {
  if (bytes.empty()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(max_wait).count();
  pollfd p{STDERR_FILENO, POLLOUT, 0};
  int ready;
  do ready = ::poll(&p, 1, static_cast<int>(std::clamp<decltype(ms)>(ms, 0, INT_MAX)));
  while (ready < 0 && errno == EINTR);
  if (ready == 0) return 0;
  // POLLERR: a pipe whose reader has gone (a write would raise SIGPIPE).
  if (ready < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) return -1;
  ssize_t n;
  do n = ::write(STDERR_FILENO, bytes.data(), std::min<std::size_t>(bytes.size(), PIPE_BUF));
  while (n < 0 && errno == EINTR);
  if (n >= 0) return n;
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;  // EAGAIN: someone made it non-blocking
}

task<unsigned> fd_ready(int fd, bool for_write) { co_return co_await (for_write ? writable(fd) : readable(fd)); }

}  // namespace wasync::detail
