// file: a file in a directory the WASI host preopened (wasmtime --dir, node:wasi
// preopens), read and written without holding the loop for more than one chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/result.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// How file::open opens a file.
enum class open_mode : std::uint8_t {
  read,        ///< an existing file, for reading
  write,       ///< created or truncated, for writing
  append,      ///< created if missing; every write goes to the end
  read_write,  ///< an existing file, for reading and writing
};

/// An open file. Regular files never block, so each read or write is one
/// bounded chunk (fd_stream::max_chunk) preceded by a yield to the loop. Not
/// thread-safe, and not to be moved while an operation on it is in flight.
class file {
 public:
  file() noexcept = default;
  file(file&&) noexcept = default;
  file& operator=(file&& o) noexcept;
  /// Closes the file if still open (errors are dropped: call close() to see them).
  ~file();

  /// Opens `path`, resolved against the preopened directories (an absolute
  /// guest path such as "/data/x.txt", or relative to a "." preopen). Fails with
  /// errc::invalid_argument (no such file, ...) or errc::not_supported (outside
  /// every preopen, no permission).
  [[nodiscard]] static task<file> open(std::string path, open_mode mode);

  /// Reads up to min(into.size(), 64 KiB) bytes; 0 at end of file.
  [[nodiscard]] task<std::size_t> read_some(std::span<std::byte> into);
  /// The rest of the file.
  [[nodiscard]] task<std::string> read_to_end();
  /// Writes all of `data`, which must stay alive until the task ends.
  [[nodiscard]] task<void> write_all(std::span<const std::byte> data);
  /// Writes all of `text`, which must stay alive until the task ends.
  [[nodiscard]] task<void> write_all(std::string_view text) { return write_all(std::as_bytes(std::span(text))); }
  /// Closes the file; reports what the host said. Closing a closed file does nothing.
  result<void> close() noexcept;

  bool is_open() const noexcept { return stream_.fd() >= 0; }
  /// The WASI fd, or -1 when closed.
  int native_handle() const noexcept { return stream_.fd(); }

 private:
  explicit file(int fd) noexcept : stream_(fd) {}
  detail::fd_stream stream_;
};

}  // namespace wasync
