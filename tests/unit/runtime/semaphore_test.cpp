// semaphore: a FIFO counting semaphore for tasks (asyncio.Semaphore).
#include <algorithm>

#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class semaphore_test : public runtime_test {};

TEST_F(semaphore_test, at_most_n_tasks_hold_it_at_once) {
  semaphore s(2);
  int inside = 0;
  int most_inside = 0;
  auto worker = [&]() -> task<void> {
    auto g = co_await s.scoped();
    most_inside = std::max(most_inside, ++inside);
    co_await sleep(10ms);
    --inside;
  };
  auto body = [&]() -> task<void> {
    std::vector<task_handle<void>> hs;
    for (int i = 0; i < 5; ++i) hs.push_back(spawn(worker()));
    for (auto& h : hs) co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(most_inside, 2);
  EXPECT_EQ(ms(), 30);  // 5 workers, 2 at a time, 10ms each
  EXPECT_EQ(s.available(), 2u);
}

TEST_F(semaphore_test, waiters_get_units_in_the_order_they_started_waiting) {
  semaphore s(1);
  trace log;
  // Spawned a, b, c, but they start waiting in the order b, c, a.
  auto waiter = [&](std::string name, int delay_ms) -> task<void> {
    co_await sleep(std::chrono::milliseconds(delay_ms));
    auto g = co_await s.scoped();
    log.push_back(name);
    co_await sleep(1ms);
  };
  auto body = [&]() -> task<void> {
    co_await s.acquire();
    auto a = spawn(waiter("a", 3));
    auto b = spawn(waiter("b", 1));
    auto c = spawn(waiter("c", 2));
    co_await sleep(5ms);
    s.release();  // goes straight to b
    EXPECT_EQ(s.available(), 0u);
    EXPECT_FALSE(s.try_acquire());
    co_await s.acquire();  // no barging: behind c and a
    log.push_back("main");
    s.release();
    co_await a;
    co_await b;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"b", "c", "a", "main"}));
  EXPECT_EQ(s.available(), 1u);
}

TEST_F(semaphore_test, a_waiter_cancelled_while_waiting_does_not_use_up_a_release) {
  semaphore s(1);
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    auto g = co_await s.scoped();
    log.push_back(name + " got a unit");
  };
  auto body = [&]() -> task<void> {
    co_await s.acquire();
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    co_await yield_now();
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    EXPECT_EQ(s.available(), 0u);
    log.push_back("main releases");
    s.release();
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"main releases", "b got a unit"}));
  EXPECT_EQ(s.available(), 1u);
}

TEST_F(semaphore_test, a_waiter_granted_a_unit_then_cancelled_keeps_it_and_its_guard_returns_it) {
  semaphore s(1);
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    auto g = co_await s.scoped();
    log.push_back(name + " got a unit");
    co_await sleep(1ms);  // a's cancellation is delivered here
    log.push_back(name + " done");
  };
  auto body = [&]() -> task<void> {
    co_await s.acquire();
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    co_await yield_now();
    s.release();  // the unit now belongs to a, which has not run yet
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a got a unit", "b got a unit", "b done"}));
  EXPECT_EQ(s.available(), 1u);
}

TEST_F(semaphore_test, a_release_then_reacquire_does_not_overtake_the_waiters) {
  // CPython's test_acquire_fifo_order.
  semaphore s(1);
  trace log;
  auto worker = [&](std::string tag) -> task<void> {
    co_await s.acquire();
    log.push_back(tag + "_1");
    co_await sleep(10ms);
    s.release();
    co_await s.acquire();
    log.push_back(tag + "_2");
    co_await sleep(10ms);
    s.release();
  };
  auto body = [&]() -> task<void> { co_await gather(worker("c1"), worker("c2"), worker("c3")); };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"}));
}

TEST_F(semaphore_test, try_acquire_respects_a_permit_handed_to_a_waiter) {
  semaphore s(1);
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    auto g = co_await s.scoped();
    log.push_back(name);
    co_await yield_now();
  };
  auto body = [&]() -> task<void> {
    co_await s.acquire();
    auto a = spawn(waiter("a"));
    co_await yield_now();  // a waits
    s.release();           // handed to a, which has not run yet
    EXPECT_FALSE(s.try_acquire());
    auto b = spawn(waiter("b"));
    co_await a;
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a", "b"}));
  EXPECT_EQ(s.available(), 1u);
}

TEST_F(semaphore_test, a_waiter_handed_a_permit_and_cancelled_keeps_it_until_its_guard_goes) {
  semaphore s(1);
  trace log;
  auto waiter = [&]() -> task<void> {
    auto g = co_await s.scoped();
    log.push_back("got it");
    co_await yield_now();
    log.push_back("never");
  };
  auto body = [&]() -> task<void> {
    co_await s.acquire();
    auto a = spawn(waiter());
    co_await yield_now();
    s.release();  // handed to a
    a.cancel();   // before a runs
    auto r = co_await as_result(a);
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_EQ(s.available(), 1u);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"got it"}));
}

TEST_F(semaphore_test, a_bounded_semaphore_refuses_a_release_beyond_its_initial_value) {
  bounded_semaphore s(2);
  EXPECT_TRUE(s.release().is(errc::invalid_state));
  EXPECT_EQ(s.available(), 2u);
  EXPECT_TRUE(s.try_acquire());
  EXPECT_TRUE(s.release().ok());
  EXPECT_TRUE(s.release().is(errc::invalid_state));
  semaphore unbounded(0);
  EXPECT_TRUE(unbounded.release().ok());
  EXPECT_EQ(unbounded.available(), 1u);
}

TEST_F(semaphore_test, locked_says_whether_a_unit_can_be_taken_at_once) {
  semaphore s(1);
  auto waiter = [&]() -> task<void> { auto g = co_await s.scoped(); };
  auto body = [&]() -> task<void> {
    EXPECT_FALSE(s.locked());
    co_await s.acquire();
    EXPECT_TRUE(s.locked());
    auto w = spawn(waiter());
    co_await yield_now();
    (void)s.release();  // handed to w, which has not run
    EXPECT_TRUE(s.locked());
    co_await w;
    EXPECT_FALSE(s.locked());
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
