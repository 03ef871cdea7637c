// async_generator<T, Sent>: co_yield items with awaits in between, consumed by next();
// asend(), athrow() and aclose() as asyncio's async generators.
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

async_generator<int, int> running_total(trace& log) {
  int total = 0;
  for (;;) {
    std::optional<int> sent = co_yield total;
    log.push_back(sent ? "sent " + std::to_string(*sent) : std::string("next"));
    total += sent.value_or(0);
  }
}

TEST_F(async_generator_test, asend_value_becomes_the_result_of_co_yield) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = running_total(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(0));
    EXPECT_EQ(co_await gen.asend(5), std::optional<int>(5));
    EXPECT_EQ(co_await gen.next(), std::optional<int>(5));
    EXPECT_EQ(co_await gen.asend(2), std::optional<int>(7));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"sent 5", "next", "sent 2"}));
}

TEST_F(async_generator_test, asend_to_a_just_started_generator_fails_with_invalid_state) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = running_total(log);
    auto r = co_await as_result(gen.asend(1));
    EXPECT_EQ(r.error().code(), errc::invalid_state);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(0));  // still usable
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());
}

async_generator<int> counts_with_resource(trace& log) {
  counted resource;
  for (int i = 1;; ++i) {
    co_yield i;
    log.push_back("after yield " + std::to_string(i));
  }
}

TEST_F(async_generator_test, athrow_unhandled_ends_the_generator_and_reaches_the_consumer) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = counts_with_resource(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
    auto r = co_await as_result(gen.athrow(error(errc::user, "stop there")));
    EXPECT_EQ(r.error(), error(errc::user, "stop there"));
    EXPECT_EQ(counted::alive, 0);
    EXPECT_TRUE(gen.done());
    EXPECT_EQ(co_await gen.next(), std::nullopt);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());  // the generator did not go past its co_yield
}

TEST_F(async_generator_test, athrow_into_a_plain_consumer_propagates_out_of_it) {
  trace log;
  auto consumer = [&]() -> task<void> {
    auto gen = counts_with_resource(log);
    co_await gen.next();
    co_await gen.athrow(error(errc::user, "thrown in"));
    log.push_back("consumer goes on");  // not reached
  };
  auto r = run(consumer());
  EXPECT_EQ(r.error(), error(errc::user, "thrown in"));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(counted::alive, 0);
}

TEST_F(async_generator_test, athrow_into_a_generator_never_started_closes_it_without_running_it) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = counts_with_resource(log);
    auto r = co_await as_result(gen.athrow(error(errc::user, "early")));
    EXPECT_EQ(r.error(), error(errc::user, "early"));
    EXPECT_TRUE(gen.done());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(counted::alive, 0);
}

async_generator<int> recovers_from_errors(trace& log) {
  for (int i = 1;; ++i) {
    auto r = co_yield yield_checked(i);
    if (!r) {
      log.push_back("handled " + std::string(r.error().message()));
      i = 99;
    }
  }
}

TEST_F(async_generator_test, athrow_handled_at_a_checked_yield_gives_its_next_item) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = recovers_from_errors(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
    EXPECT_EQ(co_await gen.athrow(error(errc::user, "bad input")), std::optional<int>(100));
    EXPECT_EQ(co_await gen.next(), std::optional<int>(101));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"handled bad input"}));
}

async_generator<int> cleans_up_asynchronously(trace& log) {
  counted resource;
  for (int i = 1;; ++i) {
    if (!(co_yield yield_checked(i))) break;
  }
  log.push_back("cleanup starts");
  co_await sleep(5ms);
  log.push_back("cleanup done");
}

TEST_F(async_generator_test, aclose_awaits_the_generators_async_cleanup) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = cleans_up_asynchronously(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
    co_await gen.aclose();
    log.push_back("closed at " + std::to_string(ms()));
    EXPECT_EQ(counted::alive, 0);
    EXPECT_TRUE(gen.done());
    EXPECT_EQ(co_await gen.next(), std::nullopt);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"cleanup starts", "cleanup done", "closed at 5"}));
}

TEST_F(async_generator_test, aclose_of_a_plain_generator_runs_its_raii_cleanup) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = counts_with_resource(log);
    EXPECT_EQ(co_await gen.next(), std::optional<int>(1));
    EXPECT_EQ(counted::alive, 1);
    co_await gen.aclose();
    EXPECT_EQ(counted::alive, 0);
    EXPECT_TRUE(gen.done());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());
}

TEST_F(async_generator_test, aclose_of_a_generator_not_started_or_finished_does_nothing) {
  trace log;
  auto body = [&]() -> task<void> {
    auto fresh = counts_with_resource(log);
    co_await fresh.aclose();
    EXPECT_TRUE(fresh.done());
    auto finished = ticks(1, log);
    while (co_await finished.next()) {
    }
    co_await finished.aclose();
    co_await finished.aclose();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"yield 1", "generator ends"}));
}

async_generator<int> ignores_close() {
  for (int i = 1;; ++i) (void)(co_yield yield_checked(i));
}

TEST_F(async_generator_test, aclose_fails_with_invalid_state_when_the_generator_yields_again) {
  auto body = [&]() -> task<void> {
    auto gen = ignores_close();
    co_await gen.next();
    auto r = co_await as_result(gen.aclose());
    EXPECT_EQ(r.error().code(), errc::invalid_state);
    EXPECT_TRUE(gen.done());
  };
  ASSERT_TRUE(run(body()));
}

async_generator<int> cleanup_fails(trace&) {
  for (int i = 1;; ++i) {
    if (!(co_yield yield_checked(i))) break;
  }
  co_await sleep(1ms);
  co_await fail(errc::user, "cleanup broke");
}

TEST_F(async_generator_test, an_error_in_the_cleanup_reaches_the_aclose_caller) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = cleanup_fails(log);
    co_await gen.next();
    co_await gen.aclose();
    log.push_back("not reached");
  };
  auto r = run(body());
  EXPECT_EQ(r.error(), error(errc::user, "cleanup broke"));
  EXPECT_TRUE(log.empty());
}

TEST_F(async_generator_test, resuming_a_generator_another_task_is_running_fails_with_invalid_state) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = ticks(2, log);
    auto first = spawn([&]() -> task<std::optional<int>> { co_return co_await gen.next(); }());
    co_await sleep(0ms);  // `first` is now asleep inside the generator
    auto r = co_await as_result(gen.next());
    EXPECT_EQ(r.error().code(), errc::invalid_state);
    EXPECT_EQ(co_await first, std::optional<int>(10));
  };
  ASSERT_TRUE(run(body()));
}

#if WASYNC_EXCEPTIONS
async_generator<int> catches_the_close(trace& log) {
  error seen;
  try {
    for (int i = 1;; ++i) co_yield i;
  } catch (const exception& e) {
    seen = e.error();
  }
  co_await sleep(2ms);  // no co_await inside a handler in C++: clean up after it
  log.push_back("cleanup after " + seen.describe());
}

TEST_F(async_generator_test, with_exceptions_the_close_is_thrown_at_a_plain_co_yield) {
  trace log;
  auto body = [&]() -> task<void> {
    auto gen = catches_the_close(log);
    co_await gen.next();
    co_await gen.aclose();
    log.push_back("closed at " + std::to_string(ms()));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"cleanup after cancelled: async generator closed", "closed at 2"}));
}
#endif

}  // namespace
}  // namespace wasync::testing
