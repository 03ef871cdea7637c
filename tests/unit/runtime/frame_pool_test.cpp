// frame_pool: blocks freed are handed out again by size class (coroutine frames, task contexts).
#include "test_support.hpp"

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

}  // namespace
}  // namespace wasync::testing
