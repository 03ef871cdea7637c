// current_task(), and cancelling()/uncancel() (asyncio's Task API).
#include "test_support.hpp"
#include "wasync/current_task.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class current_task_test : public runtime_test {};

TEST_F(current_task_test, current_task_names_the_task_that_runs) {
  auto child = []() -> task<std::string> { co_return current_task().name(); };
  auto body = [&]() -> task<std::string> {
    auto h = spawn(child(), {.name = "worker"});
    co_return std::string(current_task().name()) + " " + co_await h;
  };
  EXPECT_EQ(run(body()).value(), "main worker");
}

TEST_F(current_task_test, current_task_outside_a_task_is_empty) {
  EXPECT_FALSE(current_task().valid());
  event_loop loop(host_);
  EXPECT_FALSE(current_task().valid());
}

TEST_F(current_task_test, a_task_can_cancel_itself_through_current_task) {
  auto child = []() -> task<void> {
    current_task().cancel("myself");
    co_await sleep(1h);
  };
  auto body = [&]() -> task<std::string> {
    auto r = co_await as_result(spawn(child()));
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: myself");
  EXPECT_EQ(ms(), 0);
}

TEST_F(current_task_test, cancelling_counts_requests_and_uncancel_takes_them_back) {
  auto child = []() -> task<std::uint32_t> {
    auto self = current_task();
    co_await yield_now();  // cancelled twice meanwhile: the request waits here
    co_return self.cancelling();
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(child());
    EXPECT_EQ(h.cancelling(), 0u);
    co_await yield_now();
    h.cancel();
    h.cancel();
    EXPECT_EQ(h.cancelling(), 2u);
    auto r = co_await as_result(h);
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_EQ(h.cancelling(), 2u) << "delivery does not reset the count";
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(current_task_test, uncancel_to_zero_withdraws_a_request_not_yet_delivered) {
  auto child = []() -> task<int> {
    co_await yield_now();
    co_await sleep(1ms);
    co_return 7;
  };
  auto body = [&]() -> task<int> {
    auto h = spawn(child());
    h.cancel();
    EXPECT_EQ(h.uncancel(), 0u);
    co_return co_await h;
  };
  EXPECT_EQ(run(body()).value(), 7);
}

TEST_F(current_task_test, uncancel_above_zero_keeps_the_pending_request) {
  auto child = []() -> task<int> {
    co_await yield_now();
    co_return 7;
  };
  auto body = [&]() -> task<errc> {
    auto h = spawn(child());
    h.cancel();
    h.cancel();
    EXPECT_EQ(h.uncancel(), 1u);
    auto r = co_await as_result(h);
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::cancelled);
}

TEST_F(current_task_test, sleep_with_a_value_returns_it_after_the_delay) {
  auto body = []() -> task<std::string> { co_return co_await sleep(5ms, std::string("later")); };
  EXPECT_EQ(run(body()).value(), "later");
  EXPECT_EQ(ms(), 5);
}

TEST_F(current_task_test, now_is_the_loop_clock) {
  auto body = [&]() -> task<bool> {
    const time_point t0 = now();
    co_await sleep(3ms);
    co_return now() - t0 == duration(3ms) && now() == host_.now();
  };
  EXPECT_TRUE(run(body()).value());
}

}  // namespace
}  // namespace wasync::testing
