// future<T> (asyncio.Future): settled once, awaited by many, done callbacks.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class future_test : public runtime_test {};

TEST_F(future_test, every_awaiter_gets_the_value_set_later) {
  future<int> f;
  auto waiter = [&]() -> task<int> { co_return co_await f; };
  auto body = [&]() -> task<int> {
    auto a = spawn(waiter());
    auto b = spawn(waiter());
    co_await sleep(5ms);
    EXPECT_FALSE(f.done());
    EXPECT_TRUE(f.set_value(21).ok());
    co_return co_await a + co_await b;
  };
  EXPECT_EQ(run(body()).value(), 42);
  EXPECT_EQ(ms(), 5);
}

TEST_F(future_test, an_error_or_a_cancellation_reaches_the_awaiter) {
  auto body = []() -> task<std::string> {
    future<int> failed;
    EXPECT_TRUE(failed.set_error(error(errc::user, "no")).ok());
    future<> stopped;
    EXPECT_TRUE(stopped.cancel("stop"));
    EXPECT_TRUE(stopped.cancelled());
    auto a = co_await as_result(failed);
    auto b = co_await as_result(stopped);
    co_return a.error().describe() + " / " + b.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "user 1000: no / cancelled: stop");
}

TEST_F(future_test, a_future_settles_once) {
  future<int> f;
  EXPECT_TRUE(f.outcome().error().is(errc::invalid_state));
  EXPECT_TRUE(f.set_value(1).ok());
  EXPECT_TRUE(f.set_value(2).is(errc::invalid_state));
  EXPECT_TRUE(f.set_error(error(errc::user)).is(errc::invalid_state));
  EXPECT_FALSE(f.cancel());
  EXPECT_EQ(f.outcome().value(), 1);
}

TEST_F(future_test, done_callbacks_run_on_the_loop_after_it_settles_and_can_be_removed) {
  future<int> f;
  trace log;
  auto body = [&]() -> task<void> {
    f.add_done_callback([&](future<int>& x) { log.push_back("first " + std::to_string(x.outcome().value())); });
    auto id = f.add_done_callback([&](future<int>&) { log.push_back("removed"); });
    f.add_done_callback([&](future<int>&) { log.push_back("second"); });
    EXPECT_TRUE(f.remove_done_callback(id));
    EXPECT_FALSE(f.remove_done_callback(id));
    (void)f.set_value(3);
    log.push_back("after set_value");
    co_await yield_now();
    f.add_done_callback([&](future<int>&) { log.push_back("added late"); });
    co_await yield_now();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"after set_value", "first 3", "second", "added late"}));
}

TEST_F(future_test, a_cancelled_awaiter_stops_waiting_and_the_future_stays_open) {
  future<int> f;
  auto body = [&]() -> task<void> {
    auto w = spawn([](future<int>& f) -> task<int> { co_return co_await f; }(f));
    co_await yield_now();
    w.cancel();
    auto r = co_await as_result(w);
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_FALSE(f.done());
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(future_test, moving_out_of_a_future_takes_its_value) {
  auto body = []() -> task<std::unique_ptr<int>> {
    future<std::unique_ptr<int>> f;
    (void)f.set_value(std::make_unique<int>(9));
    co_return co_await std::move(f);
  };
  EXPECT_EQ(*run(body()).value(), 9);
}

}  // namespace
}  // namespace wasync::testing
