// Recycled memory for coroutine frames and task contexts: a task that starts
// and finishes at once (a JS call answered on the spot) would otherwise cost
// two mallocs and two frees.
#pragma once

#include <cstddef>

namespace wasync::detail {

#if defined(__SANITIZE_ADDRESS__)
#define WASYNC_POOL_FRAMES 0  // AddressSanitizer must see each frame freed to catch a use after it
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WASYNC_POOL_FRAMES 0
#endif
#endif
#ifndef WASYNC_POOL_FRAMES
#define WASYNC_POOL_FRAMES 1
#endif

/// False under AddressSanitizer: every block then goes straight to malloc and free.
inline constexpr bool frames_are_pooled = WASYNC_POOL_FRAMES != 0;

/// A block of `size` bytes, from this thread's free list for its size class when one is there.
void* pooled_alloc(std::size_t size);
/// Returns a block from pooled_alloc(size) (to the free list, up to a bound).
void pooled_free(void* p, std::size_t size) noexcept;

}  // namespace wasync::detail
