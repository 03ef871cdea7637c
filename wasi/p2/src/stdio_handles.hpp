// The wasi:cli standard streams as fds 0, 1 and 2, taken once per program and
// flushed and dropped at exit. Shared by the fd primitives and the host.
#pragma once

#include <cstdint>

namespace wasync::detail {

/// The stream handle behind fd 0 (input), 1 or 2 (output); -1 for other fds.
std::int32_t stdio_handle(int fd) noexcept;

}  // namespace wasync::detail
