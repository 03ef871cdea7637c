// wasi:io streams driven from tasks: read what is there or await the stream's
// pollable; write within check-write's permit or await it. Shared by stdio,
// the sockets and fetch bodies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "wasip2.h"
#include "wasync/error.hpp"
#include "wasync/task.hpp"

namespace wasync::detail {

/// What a failed stream operation becomes: `closed_code` for a closed
/// stream, otherwise `failed_code` with the host's description.
error stream_failure(wasi_io_streams_stream_error_t& e, std::string_view what, errc failed_code,
                     errc closed_code = errc::closed);

/// Reads up to into.size() bytes (at least one unless `into` is empty); 0 at
/// end of stream. A failure is `failed_code`, its message starting with `what`.
[[nodiscard]] task<std::size_t> stream_read_some(wasi_io_streams_borrow_input_stream_t in, std::span<std::byte> into,
                                                 const char* what, errc failed_code);
/// Writes all of `data` (each piece within the stream's permit) and, when
/// `flush`, waits until the host has taken it.
[[nodiscard]] task<void> stream_write_all(wasi_io_streams_borrow_output_stream_t out, std::span<const std::byte> data,
                                          bool flush, const char* what, errc failed_code);

}  // namespace wasync::detail
