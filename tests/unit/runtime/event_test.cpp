// event: tasks wait until it is set (asyncio.Event).
#include <memory>

#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class event_test : public runtime_test {};

TEST_F(event_test, set_wakes_every_waiter_in_the_order_they_started_waiting) {
  event e;
  trace log;
  // Spawned a, b, c, but they start waiting in the order b, c, a.
  auto waiter = [&](std::string name, int delay_ms) -> task<void> {
    co_await sleep(std::chrono::milliseconds(delay_ms));
    log.push_back(name + " waits");
    co_await e.wait();
    log.push_back(name + " woke");
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(waiter("a", 2));
    auto b = spawn(waiter("b", 0));
    auto c = spawn(waiter("c", 1));
    co_await sleep(5ms);
    EXPECT_FALSE(e.is_set());
    log.push_back("set");
    e.set();
    EXPECT_TRUE(e.is_set());
    co_await a;
    co_await b;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"b waits", "c waits", "a waits", "set", "b woke", "c woke", "a woke"}));
}

TEST_F(event_test, waiting_on_an_event_that_is_already_set_does_not_suspend) {
  event e;
  trace log;
  auto other = [&]() -> task<void> {
    log.push_back("other runs");
    co_return;
  };
  auto body = [&]() -> task<void> {
    e.set();
    auto h = spawn(other());  // would run first if the wait yielded
    co_await e.wait();
    log.push_back("past the wait");
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"past the wait", "other runs"}));
}

TEST_F(event_test, clear_makes_later_waiters_wait_for_the_next_set) {
  event e;
  trace log;
  auto waiter = [&]() -> task<void> {
    co_await e.wait();
    log.push_back("woke at " + std::to_string(ms()) + "ms");
  };
  auto body = [&]() -> task<void> {
    e.set();
    e.clear();
    EXPECT_FALSE(e.is_set());
    auto h = spawn(waiter());
    co_await sleep(5ms);
    EXPECT_FALSE(h.done());
    e.set();
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"woke at 5ms"}));
}

TEST_F(event_test, a_cancelled_waiter_is_removed_and_the_others_still_wake) {
  event e;
  trace log;
  auto waiter = [&](std::string name) -> task<void> {
    auto r = co_await as_result(e.wait());
    log.push_back(name + (r ? " woke" : std::string(" ") + to_string(r.error().code())));
    if (!r) co_await fail(r.error());
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(waiter("a"));
    auto b = spawn(waiter("b"));
    auto c = spawn(waiter("c"));
    co_await yield_now();
    EXPECT_TRUE(b.cancel("stop"));
    auto rb = co_await as_result(b);
    EXPECT_EQ(rb.error().code(), errc::cancelled);
    EXPECT_EQ(rb.error().message(), "stop");
    log.push_back("set");
    e.set();
    co_await a;
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"b cancelled", "set", "a woke", "c woke"}));
}

TEST_F(event_test, destroying_an_event_fails_its_waiters_with_closed) {
  auto e = std::make_unique<event>();
  trace log;
  auto logging_waiter = [&](event* ev) -> task<void> {
    auto r = co_await as_result(ev->wait());
    log.push_back(r ? "woke" : to_string(r.error().code()));
  };
  auto plain_waiter = [&](event* ev) -> task<void> {
    co_await ev->wait();
    log.push_back("plain waiter went on");
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(logging_waiter(e.get()));
    auto b = spawn(plain_waiter(e.get()));
    co_await yield_now();
    e.reset();
    co_await a;
    auto rb = co_await as_result(b);
    EXPECT_EQ(rb.error().code(), errc::closed);
    EXPECT_EQ(rb.error().message(), "event destroyed");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"closed"}));
}

}  // namespace
}  // namespace wasync::testing
