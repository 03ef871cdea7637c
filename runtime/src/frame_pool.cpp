// Per-thread free lists by 16-byte size class, each holding at most a few
// blocks: steady request/response work reuses the same frames, and a burst
// gives its memory back to malloc beyond the bound.
#include "wasync/detail/frame_pool.hpp"

#include <new>
#include <utility>

namespace wasync::detail {
namespace {

constexpr std::size_t granule = 16;
constexpr std::size_t classes = 32;  // blocks up to 512 bytes
constexpr std::size_t kept_per_class = 16;

struct free_block {
  free_block* next;
};

struct free_lists {
  free_block* head[classes] = {};
  std::size_t count[classes] = {};
  free_lists() = default;
  free_lists(const free_lists&) = delete;
  free_lists& operator=(const free_lists&) = delete;
  ~free_lists() {
    for (free_block* b : head) {
      while (b) ::operator delete(static_cast<void*>(std::exchange(b, b->next)));
    }
  }
};

#if defined(__wasi__)
// wasi-libc (no threads) has no __cxa_thread_atexit for a thread_local with a
// destructor; a WASI program has one thread, so one list serves.
free_lists lists;
#else
thread_local free_lists lists;
#endif

constexpr std::size_t class_of(std::size_t size) noexcept { return (size + granule - 1) / granule - 1; }

}  // namespace

void* pooled_alloc(std::size_t size) {
  if (frames_are_pooled && size != 0 && class_of(size) < classes) {
    const std::size_t c = class_of(size);
    if (free_block* b = lists.head[c]) {
      lists.head[c] = b->next;
      --lists.count[c];
      return b;
    }
    // Allocated at the class's full size, so any size of the class may reuse it.
    return ::operator new((c + 1) * granule);
  }
  return ::operator new(size);
}

void pooled_free(void* p, std::size_t size) noexcept {
  if (frames_are_pooled && size != 0 && class_of(size) < classes) {
    const std::size_t c = class_of(size);
    if (lists.count[c] < kept_per_class) {
      lists.head[c] = ::new (p) free_block{lists.head[c]};
      ++lists.count[c];
      return;
    }
  }
  ::operator delete(p);
}

}  // namespace wasync::detail
