// The WASI preview1 fd calls behind fd_stream's primitives (preview1_fd.cpp).
#pragma once

#include "wasync/detail/fd_stream.hpp"

namespace wasync::detail::preview1 {

result<fd_status> fd_stat(int fd);
bool fd_set_nonblocking(int fd, const fd_status& st) noexcept;
void fd_restore_flags(int fd, std::uint32_t flags) noexcept;
fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept;
fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept;
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept;

}  // namespace wasync::detail::preview1
