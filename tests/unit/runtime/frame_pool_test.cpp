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

TEST(frame_pool_test, a_burst_is_kept_up_to_each_class_bound_and_the_rest_goes_back_to_malloc) {
  if (!detail::frames_are_pooled) GTEST_SKIP() << "pooling is off under AddressSanitizer";
  using detail::frame_pool;
  frame_pool& pool = detail::this_thread_frames;
  // Earlier tests leave blocks on the lists: take them off, so every class starts empty.
  std::vector<std::pair<void*, std::size_t>> held;
  for (std::size_t c = 0; c < frame_pool::classes; ++c) {
    while (pool.head[c]) held.emplace_back(detail::pooled_alloc(frame_pool::class_size(c)), frame_pool::class_size(c));
    ASSERT_EQ(pool.count[c], 0u);
  }
  // More 64-byte blocks than their class keeps (a fan-out of small tasks).
  const std::size_t c64 = frame_pool::class_of(64);
  std::vector<void*> blocks(frame_pool::kept_per_class(c64) + 100);
  for (void*& b : blocks) b = detail::pooled_alloc(64);
  for (void* b : blocks) detail::pooled_free(b, 64);
  EXPECT_EQ(pool.count[c64], frame_pool::kept_per_class(c64));
  // A full class keeps no other class's block out.
  const std::size_t c144 = frame_pool::class_of(144);
  void* other = detail::pooled_alloc(144);
  detail::pooled_free(other, 144);
  EXPECT_EQ(pool.count[c144], 1u);
  EXPECT_EQ(detail::pooled_alloc(144), other);
  detail::pooled_free(other, 144);
  // The next requests of the full class are served from its list.
  void* again = detail::pooled_alloc(64);
  EXPECT_EQ(pool.count[c64], frame_pool::kept_per_class(c64) - 1);
  detail::pooled_free(again, 64);
  for (auto [p, size] : held) detail::pooled_free(p, size);
}

}  // namespace
}  // namespace wasync::testing
