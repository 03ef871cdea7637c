// fd_stream's primitives on the preview1 reactor: the preview1 calls, for every fd.
#include "preview1_fd.hpp"
#include "wasync/fd_wait.hpp"

namespace wasync::detail {

result<fd_status> fd_stat(int fd) { return preview1::fd_stat(fd); }
bool fd_set_nonblocking(int fd, const fd_status& st) noexcept { return preview1::fd_set_nonblocking(fd, st); }
void fd_restore_flags(int fd, std::uint32_t flags) noexcept { preview1::fd_restore_flags(fd, flags); }
fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept { return preview1::fd_read_now(fd, into); }
fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept { return preview1::fd_write_now(fd, data); }
task<unsigned> fd_ready(int fd, bool for_write) { co_return co_await (for_write ? writable(fd) : readable(fd)); }
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept {
  return preview1::stderr_write_now(bytes, max_wait);
}

}  // namespace wasync::detail
