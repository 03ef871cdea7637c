// The stream under the standard streams of wasync/stdio.hpp on WASI preview2:
// wasi:cli/stdin, stdout or stderr, taken on first use. Not public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "wasync/task.hpp"

namespace wasync::detail {

class stdio_stream {
 public:
  /// Largest single read.
  static constexpr std::size_t max_chunk = 64 * 1024;

  /// 0: standard input, 1: standard output, 2: standard error.
  explicit stdio_stream(int fd) noexcept : fd_(fd) {}
  stdio_stream(const stdio_stream&) = delete;
  stdio_stream& operator=(const stdio_stream&) = delete;
  /// Drops the host stream.
  ~stdio_stream();

  /// Reads at most min(into.size(), max_chunk) bytes; 0 at end of input.
  [[nodiscard]] task<std::size_t> read_some(std::span<std::byte> into);
  /// Writes and flushes every byte of `data`, which must stay alive until the task ends.
  [[nodiscard]] task<void> write_all(std::span<const std::byte> data);

 private:
  std::int32_t handle() noexcept;

  int fd_;
  std::int32_t handle_ = -1;  ///< the wasi:io stream, once taken
};

}  // namespace wasync::detail
