// async_generator<T>: co_yield items with awaits in between, consumed by next().
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class async_generator_test : public runtime_test {};

async_generator<int> ticks(int count, trace& log) {
  for (int i = 1; i <= count; ++i) {
    co_await sleep(1ms);
    log.push_back("yield " + std::to_string(i));
    co_yield i * 10;
  }
  log.push_back("generator ends");
}

TEST_F(async_generator_test, items_arrive_in_order_with_awaits_between_them) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = ticks(3, log);
    while (auto item = co_await gen.next())
      log.push_back("got " + std::to_string(*item) + " at " + std::to_string(ms()) + "ms");
    EXPECT_TRUE(gen.done());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"yield 1", "got 10 at 1ms", "yield 2", "got 20 at 2ms", "yield 3",
                        "got 30 at 3ms", "generator ends"}));
}

TEST_F(async_generator_test, a_generator_does_not_start_before_the_first_next) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = ticks(1, log);
    co_await sleep(5ms);
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(co_await gen.next(), std::optional<int>(10));
    EXPECT_EQ(ms(), 6);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"yield 1"}));
}

TEST_F(async_generator_test, next_after_the_end_keeps_giving_nullopt) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = ticks(1, log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(10));
    EXPECT_EQ(co_await gen.next(), std::nullopt);
    EXPECT_TRUE(gen.done());
    EXPECT_EQ(co_await gen.next(), std::nullopt);
    EXPECT_EQ(co_await gen.next(), std::nullopt);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"yield 1", "generator ends"}));
}

async_generator<int> fails_after_two() {
  co_yield 1;
  co_await sleep(1ms);
  co_yield 2;
  co_await fail(errc::user, "generator broke");
  co_yield 3;
}

TEST_F(async_generator_test, an_error_in_the_generator_reaches_the_consumer_as_a_result) {
  std::vector<int> got;
  error seen;
  auto body = [&]() -> task<void> {
    auto gen = fails_after_two();
    for (;;) {
      auto r = co_await as_result(gen.next());
      if (!r) {
        seen = r.error();
        break;
      }
      if (!*r) break;  // a clean end: not expected here
      got.push_back(**r);
    }
    EXPECT_TRUE(gen.done());
    EXPECT_EQ(co_await gen.next(), std::nullopt);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
  EXPECT_EQ(seen, error(errc::user, "generator broke"));
}

TEST_F(async_generator_test, an_error_in_the_generator_propagates_out_of_a_plain_next) {
  std::vector<int> got;
  auto consume = [&]() -> task<void> {
    auto gen = fails_after_two();
    while (auto item = co_await gen.next()) got.push_back(*item);
    got.push_back(-1);  // not reached
  };
  auto r = run(consume());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::user);
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
}

#if WASYNC_EXCEPTIONS
TEST_F(async_generator_test, with_exceptions_an_error_in_the_generator_can_be_caught_by_the_consumer) {
  std::vector<int> got;
  auto body = [&]() -> task<int> {
    auto gen = fails_after_two();
    try {
      while (auto item = co_await gen.next()) got.push_back(*item);
    } catch (const exception& e) {
      co_return e.error().code() == errc::user ? 7 : 0;
    }
    co_return 0;
  };
  EXPECT_EQ(run(body()).value(), 7);
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
}
#endif

async_generator<int> slow_with_resource(trace& log) {
  counted resource;
  co_yield 1;
  co_await sleep(100ms);
  log.push_back("generator woke");  // not reached: cancelled while asleep
  co_yield 2;
}

TEST_F(async_generator_test, cancelling_the_consumer_while_the_generator_sleeps_unwinds_the_generator) {
  trace log;
  auto consumer = [&]() -> task<void> {
    auto gen = slow_with_resource(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
    EXPECT_EQ(counted::alive, 1);
    auto r = co_await as_result(gen.next());
    // The generator's frame is already gone, its RAII run, before we see the error.
    log.push_back(std::string("consumer sees ") + to_string(r.error().code()) + ", resources alive: " +
                  std::to_string(counted::alive));
    EXPECT_TRUE(gen.done());
    if (!r) co_await fail(r.error());
  };
  auto body = [&]() -> task<void> {
    auto c = spawn(consumer());
    co_await sleep(5ms);
    EXPECT_EQ(counted::alive, 1);
    EXPECT_TRUE(c.cancel());
    auto rc = co_await as_result(c);
    EXPECT_EQ(rc.error().code(), errc::cancelled);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"consumer sees cancelled, resources alive: 0"}));
  EXPECT_EQ(counted::alive, 0);
  EXPECT_EQ(ms(), 5);
}

TEST_F(async_generator_test, cancelling_a_plain_consumer_unwinds_it_and_the_generator) {
  trace log;
  auto consumer = [&]() -> task<void> {
    auto gen = slow_with_resource(log);
    while (auto item = co_await gen.next()) log.push_back("got " + std::to_string(*item));
    log.push_back("consumer finished");  // not reached
  };
  auto body = [&]() -> task<void> {
    auto c = spawn(consumer());
    co_await sleep(5ms);
    EXPECT_EQ(counted::alive, 1);
    EXPECT_TRUE(c.cancel());
    auto rc = co_await as_result(c);
    EXPECT_EQ(rc.error().code(), errc::cancelled);
    EXPECT_EQ(counted::alive, 0);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"got 1"}));
  EXPECT_EQ(counted::alive, 0);
}

async_generator<int> abandoned(trace& log) {
  counted resource;
  log.push_back("generator starts");
  co_yield 1;
  log.push_back("generator resumed");  // not reached: abandoned at the first yield
  co_await sleep(1ms);
  co_yield 2;
}

TEST_F(async_generator_test, an_abandoned_generator_runs_only_its_sync_cleanup_when_destroyed) {
  trace log;
  auto body = [&]() -> task<void> {
    {
      auto gen = abandoned(log);
      EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
      EXPECT_EQ(counted::alive, 1);
      EXPECT_FALSE(gen.done());
    }
    EXPECT_EQ(counted::alive, 0);
    log.push_back("consumer goes on");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"generator starts", "consumer goes on"}));
  EXPECT_EQ(counted::alive, 0);
}

TEST_F(async_generator_test, a_generator_never_started_is_destroyed_without_running) {
  trace log;
  auto body = [&]() -> task<void> {
    { auto gen = abandoned(log); }
    co_return;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(counted::alive, 0);
}

}  // namespace
}  // namespace wasync::testing
