// condition: wait for a notification while holding a lock (asyncio.Condition).
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class condition_test : public runtime_test {
 protected:
  lock l;
  condition cv{l};
  trace log;

  /// Takes the lock, waits for one notification, logs, then sleeps 1ms (an await
  /// point where a pending cancellation arrives) before releasing the lock.
  task<void> waiter(std::string name, int delay_ms = 0) {
    if (delay_ms > 0) co_await sleep(std::chrono::milliseconds(delay_ms));
    auto g = co_await l.scoped();
    log.push_back(name + " waits");
    co_await cv.wait();
    log.push_back(name + " notified" + (l.locked() ? "" : " WITHOUT THE LOCK"));
    co_await sleep(1ms);
    log.push_back(name + " done");
  }
  /// Takes the lock, notifies, releases.
  task<void> notify(std::size_t n = 1) {
    auto g = co_await l.scoped();
    log.push_back("notify");
    cv.notify(n);
  }
};

TEST_F(condition_test, notify_wakes_one_waiter_in_the_order_they_started_waiting) {
  auto body = [&]() -> task<void> {
    // Spawned a, b, c, but they start waiting in the order b, c, a.
    auto a = spawn(waiter("a", 3));
    auto b = spawn(waiter("b", 1));
    auto c = spawn(waiter("c", 2));
    co_await sleep(5ms);
    for (int i = 0; i < 3; ++i) {
      co_await notify();
      co_await sleep(5ms);
    }
    co_await a;
    co_await b;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"b waits", "c waits", "a waits",             //
                        "notify", "b notified", "b done",            //
                        "notify", "c notified", "c done",            //
                        "notify", "a notified", "a done"}));
}

TEST_F(condition_test, notify_all_wakes_every_waiter_in_order) {
  auto body = [&]() -> task<void> {
    auto a = spawn(waiter("a", 2));
    auto b = spawn(waiter("b", 1));
    auto c = spawn(waiter("c", 3));
    co_await sleep(5ms);
    {
      auto g = co_await l.scoped();
      log.push_back("notify_all");
      cv.notify_all();
    }
    co_await a;
    co_await b;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  // Each re-acquires the lock in turn, so each finishes before the next wakes.
  EXPECT_EQ(log, (trace{"b waits", "a waits", "c waits", "notify_all",  //
                        "b notified", "b done", "a notified", "a done", "c notified", "c done"}));
  EXPECT_EQ(ms(), 8);
}

TEST_F(condition_test, wait_releases_the_lock_and_reacquires_it_before_returning) {
  auto body = [&]() -> task<void> {
    auto w = spawn(waiter("w"));
    co_await yield_now();
    EXPECT_FALSE(l.locked());  // the waiter let go of it inside wait()
    {
      auto g = co_await l.scoped();
      log.push_back("main has the lock");
      cv.notify();
      co_await sleep(3ms);  // the notified waiter must wait for the lock
      log.push_back("main releases");
    }
    co_await w;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"w waits", "main has the lock", "main releases", "w notified", "w done"}));
  EXPECT_EQ(ms(), 4);
  EXPECT_FALSE(l.locked());
}

TEST_F(condition_test, wait_with_a_predicate_returns_once_it_holds) {
  int value = 0;
  int checks = 0;
  auto pred_waiter = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await cv.wait([&] {
      ++checks;
      return value >= 3;
    });
    log.push_back("saw " + std::to_string(value) + " at " + std::to_string(ms()) + "ms");
  };
  auto body = [&]() -> task<void> {
    auto w = spawn(pred_waiter());
    for (int i = 0; i < 5; ++i) {
      co_await sleep(1ms);
      auto g = co_await l.scoped();
      ++value;
      cv.notify_all();
    }
    co_await w;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"saw 3 at 3ms"}));
  EXPECT_EQ(checks, 4);  // once up front, then after each of three notifications
}

TEST_F(condition_test, wait_with_a_predicate_that_already_holds_does_not_wait) {
  auto body = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await cv.wait([] { return true; });
    EXPECT_TRUE(l.locked());
    log.push_back("went on at " + std::to_string(ms()) + "ms");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"went on at 0ms"}));
}

TEST_F(condition_test, a_cancelled_waiter_reacquires_the_lock_before_the_cancellation_propagates) {
  auto cancelled_waiter = [&]() -> task<void> {
    auto g = co_await l.scoped();
    auto r = co_await as_result(cv.wait());
    log.push_back(std::string("waiter: ") + to_string(r.error().code()) +
                  (l.locked() ? ", holding the lock" : ", without the lock"));
    if (!r) co_await fail(r.error());
  };
  auto body = [&]() -> task<void> {
    auto w = spawn(cancelled_waiter());
    co_await yield_now();
    {
      auto g = co_await l.scoped();
      EXPECT_TRUE(w.cancel());
      co_await sleep(2ms);
      EXPECT_FALSE(w.done());  // it waits for the lock we hold
      log.push_back("main releases");
    }
    auto rw = co_await as_result(w);
    EXPECT_EQ(rw.error().code(), errc::cancelled);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"main releases", "waiter: cancelled, holding the lock"}));
  EXPECT_FALSE(l.locked());  // and its guard released it while unwinding
}

TEST_F(condition_test, a_notified_then_cancelled_waiter_keeps_the_notification) {
  auto body = [&]() -> task<void> {
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    co_await yield_now();
    {
      auto g = co_await l.scoped();
      cv.notify();  // goes to a
      EXPECT_TRUE(a.cancel());
    }
    // a's wait() returns normally; the cancellation hits its next await.
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    co_await sleep(5ms);
    EXPECT_FALSE(b.done());  // b was not woken by a's notification
    log.push_back("main notifies again");
    co_await notify();
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a waits", "b waits", "a notified", "main notifies again", "notify",
                        "b notified", "b done"}));
  EXPECT_FALSE(l.locked());
}

// The notifier still holds the lock when the notified waiter's cancellation
// arrives: the waiter must still re-acquire the lock (after the notifier lets
// go) and return from wait() before the cancellation is delivered.
TEST_F(condition_test, a_notified_then_cancelled_waiter_waits_for_a_lock_still_held_by_the_notifier) {
  auto body = [&]() -> task<void> {
    auto a = spawn(waiter("a"));
    co_await yield_now();
    {
      auto g = co_await l.scoped();
      cv.notify();
      EXPECT_TRUE(a.cancel());
      co_await sleep(2ms);
      EXPECT_TRUE(l.locked());  // nobody released our lock behind our back
      log.push_back("main releases");
    }
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a waits", "main releases", "a notified"}));
  EXPECT_FALSE(l.locked());
}

TEST_F(condition_test, wait_without_holding_the_lock_fails_with_invalid_state) {
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(cv.wait());
    EXPECT_EQ(r.error().code(), errc::invalid_state);
    EXPECT_FALSE(l.locked());
    if (!r) co_await fail(r.error());
  };
  auto r = run(body());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::invalid_state);
}

TEST_F(condition_test, notify_without_holding_the_lock_is_invalid_state_and_wakes_nobody) {
  lock l;
  condition cv(l);
  bool woke = false;
  auto waiter = [&]() -> task<void> {
    auto g = co_await l.scoped();
    co_await cv.wait();
    woke = true;
  };
  auto body = [&]() -> task<void> {
    auto w = spawn(waiter());
    co_await yield_now();
    EXPECT_TRUE(cv.notify().is(errc::invalid_state));
    EXPECT_TRUE(cv.notify_all().is(errc::invalid_state));
    co_await sleep(1ms);
    EXPECT_FALSE(woke);
    {
      auto g = co_await l.scoped();
      EXPECT_TRUE(cv.notify().ok());
    }
    co_await w;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(woke);
}

TEST_F(condition_test, wait_with_a_predicate_returns_its_value) {
  lock l;
  condition cv(l);
  int items = 0;
  auto produce = [&]() -> task<void> {
    co_await sleep(1ms);
    auto g = co_await l.scoped();
    items = 3;
    (void)cv.notify_all();
  };
  auto body = [&]() -> task<int> {
    auto producer = spawn(produce());
    auto g = co_await l.scoped();
    int got = co_await cv.wait([&] { return items; });
    co_await producer;
    co_return got;
  };
  EXPECT_EQ(run(body()).value(), 3);
}

}  // namespace
}  // namespace wasync::testing
