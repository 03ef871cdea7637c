// The frame pool's slow paths: new blocks, lists that are full, and giving a
// thread's blocks back to malloc when it ends.
#include "wasync/detail/frame_pool.hpp"

#include <new>
#include <utility>

namespace wasync::detail {
namespace {

#if !WASYNC_ONE_THREAD
// Registered by a thread's first new block (its destructor runs at the thread's end).
struct thread_frames_release {
  thread_frames_release() = default;
  thread_frames_release(const thread_frames_release&) = delete;
  thread_frames_release& operator=(const thread_frames_release&) = delete;
  ~thread_frames_release() {
    for (std::size_t c = 0; c < frame_pool::classes; ++c) {
      frame_pool::free_block*& b = this_thread_frames.head[c];
      while (b) ::operator delete(static_cast<void*>(std::exchange(b, b->next)));
      this_thread_frames.count[c] = 0;
    }
  }
};
thread_local thread_frames_release release_at_thread_end;
#endif

}  // namespace

void* pooled_alloc_slow(std::size_t size) {
  if (!frame_pool::pooled(size)) return ::operator new(size);
#if !WASYNC_ONE_THREAD
  (void)&release_at_thread_end;
#endif
  // Allocated at the class's full size, so any size of the class may reuse it.
  return ::operator new(frame_pool::class_size(frame_pool::class_of(size)));
}

void pooled_free_slow(void* p, std::size_t) noexcept { ::operator delete(p); }

}  // namespace wasync::detail
