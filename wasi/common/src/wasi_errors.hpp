// WASI errno values (wasi-libc's errno uses the same numbers) as wasync errors.
#pragma once

#include <string_view>

#include "wasync/error.hpp"

namespace wasync::detail {

/// An error for a failed WASI call: the closest errc and "what: <strerror>".
error errno_error(int code, std::string_view what);
/// The same for a socket call, where EPIPE (the peer closed) is errc::connection_reset.
error socket_errno_error(int code, std::string_view what);

}  // namespace wasync::detail
