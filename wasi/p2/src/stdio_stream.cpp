// The standard streams on wasi:cli: one input or output stream each.
#include "wasync/detail/stdio_stream.hpp"

#include <algorithm>

#include "streams.hpp"

namespace wasync::detail {

std::int32_t stdio_stream::handle() noexcept {
  if (handle_ < 0) {
    if (fd_ == 0) handle_ = wasi_cli_stdin_get_stdin().__handle;
    else if (fd_ == 1) handle_ = wasi_cli_stdout_get_stdout().__handle;
    else handle_ = wasi_cli_stderr_get_stderr().__handle;
  }
  return handle_;
}

stdio_stream::~stdio_stream() {
  if (handle_ < 0) return;
  if (fd_ == 0) wasi_io_streams_input_stream_drop_own({handle_});
  else wasi_io_streams_output_stream_drop_own({handle_});
}

task<std::size_t> stdio_stream::read_some(std::span<std::byte> into) {
  return stream_read_some({handle()}, into.first(std::min(into.size(), max_chunk)), "read standard input",
                          errc::invalid_state);
}

task<void> stdio_stream::write_all(std::span<const std::byte> data) {
  // Flushed: the program may exit right after, and standard output is unbuffered.
  return stream_write_all({handle()}, data, true, fd_ == 1 ? "write standard output" : "write standard error",
                          errc::closed);
}

}  // namespace wasync::detail
