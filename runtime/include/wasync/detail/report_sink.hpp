// The runtime's own reports (errors nobody retrieved, debug lines) on their
// way to standard error without ever blocking the loop: a bounded buffer,
// drained through the host's non-blocking stderr writer; what does not fit is
// dropped and counted, and the count is reported once there is room again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "wasync/driver.hpp"

namespace wasync::detail {

/// Writes a prefix of `bytes` to standard error, waiting at most `max_wait`
/// for room: the bytes taken (0: no room now), or -1 when standard error is
/// gone (closed, or its reader left) and nothing will ever be taken.
using stderr_writer = std::ptrdiff_t (*)(std::span<const char> bytes, duration max_wait) noexcept;

/// Each host library installs its writer when its host is made (native: poll
/// then write; WASI preview1: poll_oneoff then fd_write; preview2: the stderr
/// stream's check-write). Until then, and on hosts without one, reports go
/// through fwrite, which may block.
void install_stderr_writer(stderr_writer w) noexcept;

/// Queues `line` plus '\n' (cut at max_report_line bytes) and writes what
/// standard error takes now. Never blocks. Safe from any thread.
void report_line(std::string_view line) noexcept;

/// Writes what is still queued, waiting at most `max_wait` in all (run() gives
/// the last reports a moment at exit).
void flush_reports(duration max_wait) noexcept;

/// The sink's bounds.
inline constexpr std::size_t report_buffer_size = 16 * 1024;
inline constexpr std::size_t max_report_line = 2048;

struct report_counts {
  std::uint64_t reported = 0;  ///< lines handed to report_line
  std::uint64_t dropped = 0;   ///< of those, lines that never reached standard error
  std::size_t queued = 0;      ///< bytes waiting for room
};
report_counts report_stats() noexcept;

}  // namespace wasync::detail
