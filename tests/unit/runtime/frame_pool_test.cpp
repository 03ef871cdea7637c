// frame_pool: blocks freed are handed out again by size class (coroutine frames, task contexts).
#include "test_support.hpp"

#include <utility>
#include <vector>

#include "wasync/detail/frame_pool.hpp"

namespace wasync::testing {
namespace {

TEST(frame_pool_test, a_freed_block_serves_the_next_request_of_its_size_class) {
  if (!detail::frames_are_pooled) GTEST_SKIP() << "pooling is off under AddressSanitizer";
  void* p = detail::pooled_alloc(100);
  detail::pooled_free(p, 100);
  // 100 and 110 bytes share the 112-byte class.
  void* q = detail::pooled_alloc(110);
  EXPECT_EQ(q, p);
  detail::pooled_free(q, 110);
}

TEST(frame_pool_test, a_burst_is_kept_up_to_the_byte_budget_and_the_rest_goes_back_to_malloc) {
  if (!detail::frames_are_pooled) GTEST_SKIP() << "pooling is off under AddressSanitizer";
  using detail::frame_pool;
  // Earlier tests leave blocks on the lists: take them off, so the budget starts empty.
  std::vector<std::pair<void*, std::size_t>> held;
  for (std::size_t c = 0; c < frame_pool::classes; ++c) {
    while (detail::this_thread_frames.head[c]) {
      held.emplace_back(detail::pooled_alloc(frame_pool::class_size(c)), frame_pool::class_size(c));
    }
  }
  ASSERT_EQ(detail::this_thread_frames.kept, 0u);
  // More 64-byte blocks than the budget holds (a fan-out of small tasks).
  std::vector<void*> blocks(frame_pool::kept_bytes / 64 + 100);
  for (void*& b : blocks) b = detail::pooled_alloc(64);
  for (void* b : blocks) detail::pooled_free(b, 64);
  EXPECT_EQ(detail::this_thread_frames.kept, frame_pool::kept_bytes);
  // The next requests of the class are served from the list.
  void* again = detail::pooled_alloc(64);
  EXPECT_EQ(detail::this_thread_frames.kept, frame_pool::kept_bytes - 64);
  detail::pooled_free(again, 64);
  for (auto [p, size] : held) detail::pooled_free(p, size);
}

}  // namespace
}  // namespace wasync::testing
