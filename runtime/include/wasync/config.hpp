// Build configuration derived from the compiler: exception support and small helpers.
#pragma once

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define WASYNC_EXCEPTIONS 1
#else
#define WASYNC_EXCEPTIONS 0
#endif

namespace wasync {
/// True when errors may also travel as C++ exceptions in this build.
inline constexpr bool exceptions_enabled = WASYNC_EXCEPTIONS != 0;
}  // namespace wasync
