// The one place that knows where the coroutine library lives: <coroutine> (C++20)
// or <experimental/coroutine> (Emscripten 3.1.6's libc++). Names go into
// wasync::detail::coro, never into std.
#pragma once

#if __has_include(<coroutine>) && !defined(WASYNC_USE_EXPERIMENTAL_COROUTINE)
#include <coroutine>
namespace wasync::detail::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace wasync::detail::coro
#else
#include <experimental/coroutine>
namespace wasync::detail::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace wasync::detail::coro
#endif
