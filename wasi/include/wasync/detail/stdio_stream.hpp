// The stream under the standard streams of wasync/stdio.hpp: on WASI preview1,
// an fd_stream over fd 0, 1 or 2. Not public API.
#pragma once

#include "wasync/detail/fd_stream.hpp"

namespace wasync::detail {
using stdio_stream = fd_stream;
}  // namespace wasync::detail
