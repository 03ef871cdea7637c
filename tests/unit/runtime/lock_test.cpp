// lock: a FIFO mutex for tasks (asyncio.Lock), with hand-off on release.
#include <algorithm>

#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class lock_test : public runtime_test {};

TEST_F(lock_test, only_one_task_holds_the_lock_even_across_awaits) {
  lock l;
  trace log;
  int inside = 0;
  int most_inside = 0;
  auto worker = [&](std::string name) -> task<void> {
    co_await l.acquire();
    most_inside = std::max(most_inside, ++inside);
    log.push_back(name + " in");
    co_await sleep(1ms);
    co_await yield_now();
    log.push_back(name + " out");
    --inside;
    l.release();
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(worker("a"));
    auto b = spawn(worker("b"));
    auto c = spawn(worker("c"));
    co_await a;
    co_await b;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(most_inside, 1);
  EXPECT_EQ(log, (trace{"a in", "a out", "b in", "b out", "c in", "c out"}));
  EXPECT_EQ(ms(), 3);
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_task_acquiring_right_after_its_release_goes_behind_the_waiters) {
  lock l;
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    co_await l.acquire();
    log.push_back(name);
    l.release();
  };
  auto body = [&]() -> task<void> {
    co_await l.acquire();
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    co_await yield_now();  // a and b queue up
    l.release();           // hands the lock to a
    EXPECT_TRUE(l.locked());
    EXPECT_FALSE(l.try_acquire());
    co_await l.acquire();  // no barging: behind a and b
    log.push_back("main");
    l.release();
    co_await a;
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a", "b", "main"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_waiter_cancelled_during_acquire_never_gets_the_lock_and_the_next_one_does) {
  lock l;
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    co_await l.acquire();
    log.push_back(name + " got the lock");
    l.release();
  };
  auto body = [&]() -> task<void> {
    co_await l.acquire();
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    co_await yield_now();
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    EXPECT_TRUE(l.locked());  // still ours
    log.push_back("main releases");
    l.release();
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"main releases", "b got the lock"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_waiter_granted_the_lock_then_cancelled_keeps_it_and_its_guard_releases_it) {
  lock l;
  trace log;
  auto holder = [&](std::string name) -> task<void> {
    auto g = co_await l.scoped();
    log.push_back(name + " got the lock");
    co_await sleep(1ms);  // a's cancellation is delivered here
    log.push_back(name + " done");
  };
  auto body = [&]() -> task<void> {
    co_await l.acquire();
    auto a = spawn(holder("a"));
    auto b = spawn(holder("b"));
    co_await yield_now();
    l.release();  // the lock now belongs to a, which has not run yet
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a got the lock", "b got the lock", "b done"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_scoped_guard_releases_the_lock_at_the_end_of_its_scope) {
  lock l;
  trace log;
  auto waiter = [&]() -> task<void> {
    auto g = co_await l.scoped();
    log.push_back("waiter got the lock");
  };
  auto body = [&]() -> task<void> {
    task_handle<void> h;
    {
      auto g = co_await l.scoped();
      EXPECT_TRUE(g.owns());
      EXPECT_TRUE(l.locked());
      h = spawn(waiter());
      co_await sleep(1ms);
      log.push_back("main leaves the scope");
    }
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"main leaves the scope", "waiter got the lock"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_scoped_guard_releases_the_lock_when_an_error_unwinds_its_frame) {
  lock l;
  auto failing_holder = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await sleep(1ms);
    EXPECT_TRUE(l.locked());
    co_await fail(errc::user, "boom");
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(failing_holder());
    EXPECT_EQ(r.error().code(), errc::user);
    EXPECT_FALSE(l.locked());
    EXPECT_TRUE(l.try_acquire());
    l.release();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, a_scoped_guard_releases_the_lock_when_its_task_is_cancelled) {
  lock l;
  trace log;
  auto holder = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await sleep(10ms);
    log.push_back("holder finished");
  };
  auto waiter = [&]() -> task<void> {
    auto g = co_await l.scoped();
    log.push_back("waiter got the lock at " + std::to_string(ms()) + "ms");
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(holder());
    auto w = spawn(waiter());
    co_await sleep(2ms);
    EXPECT_TRUE(l.locked());
    EXPECT_TRUE(h.cancel());
    auto rh = co_await as_result(h);
    EXPECT_EQ(rh.error().code(), errc::cancelled);
    co_await w;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"waiter got the lock at 2ms"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(lock_test, releasing_a_lock_that_is_not_locked_is_invalid_state) {
  lock l;
  EXPECT_TRUE(l.release().is(errc::invalid_state));
  EXPECT_FALSE(l.locked());
  EXPECT_TRUE(l.try_acquire());
  EXPECT_TRUE(l.release().ok());
  EXPECT_TRUE(l.release().is(errc::invalid_state)) << "a second release";
}

}  // namespace
}  // namespace wasync::testing
