// The standard streams as WASI 0.3 stream<u8>s (fds 0, 1, 2 of fd_io.cpp):
// what the host needs at the program's end.
#pragma once

#include "wasync/task.hpp"

namespace wasync::detail {

/// Waits until standard output and standard error have taken every byte
/// written (the runtime's queued reports included).
[[nodiscard]] task<void> drain_standard_streams();
/// Whether a write to standard output or error is still in flight.
bool standard_streams_busy() noexcept;
/// Cancels what is in flight and drops the streams (at exit, before the
/// waitable-set goes).
void close_standard_streams() noexcept;

}  // namespace wasync::detail
