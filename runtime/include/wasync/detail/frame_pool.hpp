// Recycled memory for coroutine frames and task contexts: a task that starts
// and finishes at once (a JS call answered on the spot) would otherwise cost
// two mallocs and two frees. The common case (a block of a class with one on
// its free list, or room on the list for one given back) is inline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

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

/// Free lists by size class (8 bytes apart with 32-bit pointers, where
/// Emscripten's malloc rounds to 8; 16 elsewhere, as glibc's malloc rounds),
/// each holding at most `kept_bytes_per_class`:
/// steady request/response work reuses the same frames, a fan-out of a
/// thousand small tasks reuses its blocks instead of going through malloc for
/// each, and a bigger burst gives its memory back to malloc beyond the bound.
/// The bound is per class, so blocks of one size never keep out another's.
struct frame_pool {
  static constexpr std::size_t granule = sizeof(void*) == 4 ? 8 : 16;
  static constexpr std::size_t largest = 512;
  static constexpr std::size_t classes = largest / granule;
  static constexpr std::size_t kept_bytes_per_class = std::size_t{128} << 10;
  struct free_block {
    free_block* next;
  };
  free_block* head[classes];
  std::uint16_t count[classes];

  /// The class of a pooled size (0 and sizes past the last class are not pooled).
  static constexpr std::size_t class_of(std::size_t size) noexcept { return (size - 1) / granule; }
  /// What a block of the class holds (every block of a class is allocated at this size).
  static constexpr std::size_t class_size(std::size_t c) noexcept { return (c + 1) * granule; }
  /// How many blocks a class keeps.
  static constexpr std::size_t kept_per_class(std::size_t c) noexcept { return kept_bytes_per_class / class_size(c); }
  static constexpr bool pooled(std::size_t size) noexcept { return frames_are_pooled && size != 0 && size <= largest; }
};
static_assert(frame_pool::kept_per_class(0) <= UINT16_MAX);

// This thread's lists: plain data, so reaching them is one thread-local
// access. Their blocks go back to malloc when a thread that allocated one
// ends (frame_pool.cpp); a loop's frames live and die on its own thread.
// A WASI program, and an Emscripten one built without pthreads, has one
// thread: nothing to release at a thread's end (wasi-libc has no
// __cxa_thread_atexit, and Emscripten's costs a few hundred bytes of wasm).
#if defined(__wasi__) || (defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__))
#define WASYNC_ONE_THREAD 1
#else
#define WASYNC_ONE_THREAD 0
#endif
#if WASYNC_ONE_THREAD
inline frame_pool this_thread_frames{};
#else
inline thread_local frame_pool this_thread_frames{};
#endif

/// The allocations the lists cannot serve: a new block, a list full or not pooled.
void* pooled_alloc_slow(std::size_t size);
void pooled_free_slow(void* p, std::size_t size) noexcept;

/// A block of `size` bytes, from this thread's free list for its size class when one is there.
inline void* pooled_alloc(std::size_t size) {
  if (frame_pool::pooled(size)) {
    frame_pool& pool = this_thread_frames;
    const std::size_t c = frame_pool::class_of(size);
    if (frame_pool::free_block* b = pool.head[c]) {
      pool.head[c] = b->next;
      --pool.count[c];
      return b;
    }
  }
  return pooled_alloc_slow(size);
}

/// Returns a block from pooled_alloc(size) (to the free list, up to a bound).
inline void pooled_free(void* p, std::size_t size) noexcept {
  if (frame_pool::pooled(size)) {
    frame_pool& pool = this_thread_frames;
    const std::size_t c = frame_pool::class_of(size);
    if (pool.count[c] < frame_pool::kept_per_class(c)) {
      pool.head[c] = ::new (p) frame_pool::free_block{pool.head[c]};
      ++pool.count[c];
      return;
    }
  }
  pooled_free_slow(p, size);
}

}  // namespace wasync::detail
