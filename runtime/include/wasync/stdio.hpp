// The standard streams, read and written without blocking the loop:
// standard_input() (read some, read a line, read to the end) and
// standard_output() / standard_error() (write all, with backpressure).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wasync/detail/fd_stream.hpp"
#include "wasync/lock.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// A buffered reader over an input fd (standard input). Operations from several
/// tasks run one after another, in the order they were started; a cancelled
/// read loses no input: bytes already read stay buffered for the next one.
class input_stream {
 public:
  input_stream(const input_stream&) = delete;
  input_stream& operator=(const input_stream&) = delete;

  /// Reads what is available, up to `into.size()` bytes (at least one, unless
  /// `into` is empty); 0 at end of input.
  [[nodiscard]] task<std::size_t> read_some(std::span<std::byte> into);
  /// The next line without its '\n'; std::nullopt at end of input. A last line
  /// without '\n' is returned as it is. A line longer than `max_length` fails
  /// with errc::invalid_argument and stays unread.
  [[nodiscard]] task<std::optional<std::string>> read_line(std::size_t max_length = 1 << 20);
  /// Everything up to the end of input.
  [[nodiscard]] task<std::string> read_to_end();

 private:
  friend input_stream& standard_input();
  explicit input_stream(int fd) noexcept : stream_(fd) {}
  std::size_t buffered() const noexcept { return buffer_.size() - start_; }
  std::string take(std::size_t n);
  /// Reads up to `size` more bytes onto the buffer: the bytes read, 0 at end of input.
  [[nodiscard]] task<std::size_t> fill(std::size_t size);

  detail::fd_stream stream_;
  lock lock_;
  std::string buffer_;     ///< read but not returned yet: buffer_[start_...]
  std::size_t start_ = 0;
  std::size_t scanned_ = 0;  ///< bytes after start_ known to hold no '\n'
};

/// A writer over an output fd (standard output or error). Each write_all is
/// written whole before the next one starts, so writes from several tasks never
/// interleave. When the reader is slow, write_all waits (the host permitting:
/// under wasmtime's default WASI, stdio writes block the instance instead).
/// Not buffered: it does not mix with printf's buffer; flush that first.
class output_stream {
 public:
  output_stream(const output_stream&) = delete;
  output_stream& operator=(const output_stream&) = delete;

  /// Writes all of `data`, which must stay alive until the task ends. A
  /// cancelled write may have written part of it.
  [[nodiscard]] task<void> write_all(std::span<const std::byte> data);
  /// Writes all of `text`, which must stay alive until the task ends.
  [[nodiscard]] task<void> write_all(std::string_view text) {
    return write_all(std::as_bytes(std::span<const char>(text.data(), text.size())));
  }

 private:
  friend output_stream& standard_output();
  friend output_stream& standard_error();
  explicit output_stream(int fd) noexcept : stream_(fd) {}

  detail::fd_stream stream_;
  lock lock_;
};

/// Standard input (fd 0). A pipe or socket is made non-blocking where the host
/// allows, and put back as it was at exit.
input_stream& standard_input();
/// Standard output (fd 1).
output_stream& standard_output();
/// Standard error (fd 2).
output_stream& standard_error();

}  // namespace wasync
