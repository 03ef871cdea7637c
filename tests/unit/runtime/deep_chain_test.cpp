// Deep await chains in an unoptimised build (compiled at -O0, see
// tests/CMakeLists.txt): no tail calls, so the runtime must keep the stack
// flat by itself.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

class deep_chain_test : public runtime_test {};

task<std::size_t> deep(std::size_t n) {
  if (n == 0) co_return 0;
  co_return co_await deep(n - 1) + 1;
}

task<std::size_t> deep_failing(std::size_t n) {
  if (n == 0) co_await fail(errc::user, "at the bottom");
  co_return co_await deep_failing(n - 1) + 1;
}

TEST_F(deep_chain_test, a_million_deep_chain_completes_without_tail_calls) {
  EXPECT_EQ(run(deep(1'000'000)).value(), 1'000'000u);
}

TEST_F(deep_chain_test, an_error_from_the_bottom_of_a_deep_chain_reaches_the_top_without_tail_calls) {
  auto body = []() -> task<std::string> {
    auto r = co_await as_result(deep_failing(200'000));
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "user 1000: at the bottom");
}

}  // namespace
}  // namespace wasync::testing
