// fd_stream: reads and writes one fd without blocking the loop, in the way the
// host allows. Shared by the standard streams and files; not public API.
// Written once here on a few primitives each host with fds defines (native:
// POSIX and epoll; WASI preview1: fd_read/fd_write/fdstat and poll_oneoff;
// preview2: the wasi:cli streams and their pollables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "wasync/error.hpp"
#include "wasync/fd_reactor.hpp"
#include "wasync/result.hpp"
#include "wasync/task.hpp"

namespace wasync::detail {

// --- Host primitives ---------------------------------------------------------

/// What kind of fd fd_stream drives.
enum class fd_kind : std::uint8_t { file, terminal, other };
struct fd_status {
  fd_kind kind = fd_kind::other;
  bool nonblocking = false;
  std::uint32_t flags = 0;  ///< the host's flags, to restore after fd_set_nonblocking
};
/// The fd's kind and flags; an error when the host cannot tell.
result<fd_status> fd_stat(int fd);
/// Makes `fd` non-blocking (keeping `st.flags`); false when the host refuses.
bool fd_set_nonblocking(int fd, const fd_status& st) noexcept;
/// Puts the flags fd_stat() read back.
void fd_restore_flags(int fd, std::uint32_t flags) noexcept;
/// One read or write now. `would_block`: nothing could move now (a write that
/// took nothing counts too); `err`: the failure, as a wasync::error.
struct fd_io {
  std::size_t n = 0;
  bool would_block = false;
  error err;
};
fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept;
fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept;
/// Waits until `fd` may take a read or write (fd_stream retries after it, so a
/// spurious wake is fine): the io_events seen, io_error when it cannot be polled.
[[nodiscard]] task<unsigned> fd_ready(int fd, bool for_write);
/// Standard error for the runtime's reports (a detail::stderr_writer, which the
/// host installs): what fits without blocking, waiting at most `max_wait` for
/// room; -1 once nobody can read it.
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration max_wait) noexcept;

// --- The stream ----------------------------------------------------------------

/// How an fd is driven, found on first use:
/// - file: a regular file never blocks; reads and writes go in bounded chunks
///   with a yield before each, so a big file shares the loop.
/// - nonblocking: the fd is (or was made) non-blocking; EAGAIN awaits readiness.
/// - blocking: the host cannot make it non-blocking (wasmtime's stdio), or it is
///   a terminal: wait for readiness first, then read what is there or write at
///   most PIPE_BUF bytes, which a pipe that polls writable accepts without blocking.
class fd_stream {
 public:
  /// Largest single read or write.
  static constexpr std::size_t max_chunk = 64 * 1024;

  fd_stream() noexcept = default;
  explicit fd_stream(int fd) noexcept : fd_(fd) {}
  fd_stream(fd_stream&& o) noexcept;
  fd_stream& operator=(fd_stream&& o) noexcept;
  /// Gives the fd its flags back if this stream made it non-blocking.
  ~fd_stream();

  int fd() const noexcept { return fd_; }
  /// Forgets the fd (restoring its flags) and returns it.
  int release() noexcept;

  /// Reads at most min(into.size(), max_chunk) bytes; 0 means end of file (or an
  /// empty `into`). The stream must outlive the returned task.
  [[nodiscard]] task<std::size_t> read_some(std::span<std::byte> into);
  /// Writes every byte of `data`, which must stay alive until the task ends.
  [[nodiscard]] task<void> write_all(std::span<const std::byte> data);

 private:
  enum class mode : std::uint8_t { unknown, file, nonblocking, blocking };
  void prepare() noexcept;
  void restore() noexcept;

  int fd_ = -1;
  mode mode_ = mode::unknown;
  bool restore_flags_ = false;
  std::uint32_t saved_flags_ = 0;
};

}  // namespace wasync::detail
