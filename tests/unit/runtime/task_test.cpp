// task<T>: lazy, awaitable, values and errors, symmetric transfer.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class task_test : public runtime_test {};

task<int> forty_two() { co_return 42; }
task<void> nothing() { co_return; }
task<int> add_one(task<int> t) { co_return co_await std::move(t) + 1; }
task<int> failing() { co_return error(errc::user, "boom"); }
task<void> failing_void() { co_await fail(errc::invalid_argument, "bad"); }

TEST_F(task_test, awaiting_a_task_yields_its_value) {
  EXPECT_EQ(run(add_one(forty_two())).value(), 43);
}

TEST_F(task_test, a_void_task_completes) { EXPECT_TRUE(run(nothing()).has_value()); }

TEST_F(task_test, a_task_is_lazy_until_awaited) {
  bool ran = false;
  auto body = [&]() -> task<void> {
    ran = true;
    co_return;
  };
  {
    auto t = body();
    EXPECT_FALSE(ran);
  }
  EXPECT_FALSE(ran);
}

TEST_F(task_test, an_error_returned_by_a_child_reaches_the_awaiter) {
  auto r = run(add_one(failing()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::user);
  EXPECT_EQ(r.error().message(), "boom");
}

TEST_F(task_test, fail_ends_a_void_task_with_the_error) {
  auto r = run(failing_void());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::invalid_argument);
}

TEST_F(task_test, as_result_hands_the_error_to_the_awaiter) {
  auto body = []() -> task<int> {
    auto r = co_await as_result(failing());
    co_return r ? 0 : static_cast<int>(r.error().code());
  };
  EXPECT_EQ(run(body()).value(), static_cast<int>(errc::user));
}

TEST_F(task_test, an_error_unwinds_the_frames_it_passes_and_runs_their_cleanup) {
  auto middle = []() -> task<int> {
    counted guard;
    EXPECT_EQ(counted::alive, 1);
    co_return co_await failing();
  };
  auto body = [&]() -> task<int> {
    auto r = co_await as_result(middle());
    EXPECT_EQ(counted::alive, 0);
    co_return r ? 1 : 2;
  };
  EXPECT_EQ(run(body()).value(), 2);
  EXPECT_EQ(counted::alive, 0);
}

task<std::size_t> deep(std::size_t n) {
  if (n == 0) co_return 0;
  co_return co_await deep(n - 1) + 1;
}

TEST_F(task_test, a_million_deep_await_chain_completes_without_growing_the_stack) {
  EXPECT_EQ(run(deep(1'000'000)).value(), 1'000'000u);
}

#if WASYNC_EXCEPTIONS
TEST_F(task_test, with_exceptions_an_error_can_be_caught_across_co_await) {
  auto body = []() -> task<int> {
    try {
      co_await failing();
    } catch (const exception& e) {
      co_return e.error().code() == errc::user ? 7 : 0;
    }
    co_return 0;
  };
  EXPECT_EQ(run(body()).value(), 7);
}

TEST_F(task_test, with_exceptions_a_thrown_std_exception_keeps_its_type_for_the_awaiter) {
  auto thrower = []() -> task<int> {
    throw std::runtime_error("kaput");
    co_return 0;
  };
  auto body = [&]() -> task<int> {
    try {
      co_await thrower();
    } catch (const std::runtime_error& e) {
      co_return std::string(e.what()) == "kaput" ? 1 : 0;
    }
    co_return 0;
  };
  EXPECT_EQ(run(body()).value(), 1);
}

TEST_F(task_test, with_exceptions_an_uncaught_exception_becomes_an_exception_error) {
  auto thrower = []() -> task<int> {
    throw std::runtime_error("kaput");
    co_return 0;
  };
  auto r = run(thrower());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::exception);
  EXPECT_EQ(r.error().message(), "kaput");
}
#endif

}  // namespace
}  // namespace wasync::testing
