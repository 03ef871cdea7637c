// queue<T>: a FIFO channel between tasks (asyncio.Queue), optionally bounded.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class queue_test : public runtime_test {};

std::string describe(const result<int>& r) {
  return r ? std::to_string(*r) : std::string(to_string(r.error().code()));
}

TEST_F(queue_test, items_come_out_in_the_order_they_were_put) {
  queue<int> q;
  std::vector<int> got;
  auto body = [&]() -> task<void> {
    for (int v : {3, 1, 2, 5}) co_await q.put(v);
    EXPECT_EQ(q.size(), 4u);
    for (int i = 0; i < 4; ++i) got.push_back(co_await q.get());
    EXPECT_TRUE(q.empty());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(got, (std::vector<int>{3, 1, 2, 5}));
}

TEST_F(queue_test, put_on_a_full_bounded_queue_waits_for_room) {
  queue<int> q(2);
  trace log;
  auto producer = [&]() -> task<void> {
    for (int v = 1; v <= 3; ++v) {
      co_await q.put(v);
      log.push_back("put " + std::to_string(v) + " at " + std::to_string(ms()) + "ms");
    }
  };
  auto body = [&]() -> task<void> {
    auto p = spawn(producer());
    co_await sleep(5ms);
    EXPECT_TRUE(q.full());
    EXPECT_EQ(q.size(), 2u);
    int first = co_await q.get();
    log.push_back("got " + std::to_string(first));
    co_await p;
    EXPECT_EQ(q.size(), 2u);
    EXPECT_EQ(*q.try_get(), 2);
    EXPECT_EQ(*q.try_get(), 3);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"put 1 at 0ms", "put 2 at 0ms", "got 1", "put 3 at 5ms"}));
}

TEST_F(queue_test, get_on_an_empty_queue_waits_for_an_item) {
  queue<std::string> q;
  trace log;
  auto consumer = [&]() -> task<void> {
    std::string s = co_await q.get();
    log.push_back("got " + s + " at " + std::to_string(ms()) + "ms");
  };
  auto body = [&]() -> task<void> {
    auto c = spawn(consumer());
    co_await sleep(7ms);
    EXPECT_FALSE(c.done());
    co_await q.put("hello");
    co_await c;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"got hello at 7ms"}));
}

TEST_F(queue_test, an_item_put_after_a_getter_is_cancelled_goes_to_the_next_getter) {
  queue<int> q;
  trace log;
  auto getter = [&](std::string name) -> task<void> {
    auto r = co_await as_result(q.get());
    log.push_back(name + ": " + describe(r));
    if (!r) co_await fail(r.error());
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(getter("a"));
    auto b = spawn(getter("b"));
    co_await yield_now();
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    co_await q.put(42);
    co_await b;
    EXPECT_TRUE(q.empty());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a: cancelled", "b: 42"}));
}

TEST_F(queue_test, an_item_put_after_the_only_getter_is_cancelled_stays_in_the_queue) {
  queue<int> q;
  auto getter = [&]() -> task<void> { (void)co_await q.get(); };
  auto body = [&]() -> task<void> {
    auto a = spawn(getter());
    co_await yield_now();
    EXPECT_TRUE(a.cancel());
    auto ra = co_await as_result(a);
    EXPECT_EQ(ra.error().code(), errc::cancelled);
    co_await q.put(42);
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(q.try_get(), std::optional<int>(42));
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(queue_test, a_getter_handed_an_item_then_cancelled_keeps_the_item) {
  queue<int> q;
  trace log;
  auto getter = [&]() -> task<void> {
    int v = co_await q.get();
    log.push_back("got " + std::to_string(v));
    co_await sleep(1ms);  // the cancellation is delivered here
    log.push_back("unreachable");
  };
  auto body = [&]() -> task<void> {
    auto g = spawn(getter());
    co_await yield_now();
    co_await q.put(7);  // handed straight to the waiting getter
    EXPECT_TRUE(g.cancel());
    auto rg = co_await as_result(g);
    EXPECT_EQ(rg.error().code(), errc::cancelled);
    EXPECT_TRUE(q.empty());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"got 7"}));
}

TEST_F(queue_test, a_cancelled_putter_never_inserts_its_item) {
  queue<int> q(1);
  auto putter = [&]() -> task<void> { co_await q.put(2); };
  auto body = [&]() -> task<void> {
    co_await q.put(1);
    auto p = spawn(putter());
    co_await yield_now();
    EXPECT_TRUE(p.cancel());
    auto rp = co_await as_result(p);
    EXPECT_EQ(rp.error().code(), errc::cancelled);
    EXPECT_EQ(co_await q.get(), 1);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.try_get(), std::nullopt);
    co_await q.put(3);
    EXPECT_EQ(co_await q.get(), 3);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(queue_test, close_fails_waiting_putters_and_getters_drain_then_get_closed) {
  queue<int> q(2);
  trace log;
  auto putter = [&]() -> task<void> {
    auto r = co_await as_result(q.put(3));
    log.push_back(std::string("put 3: ") + (r ? "ok" : to_string(r.error().code())));
  };
  auto body = [&]() -> task<void> {
    co_await q.put(1);
    co_await q.put(2);
    auto p = spawn(putter());
    co_await yield_now();
    q.close();
    EXPECT_TRUE(q.closed());
    co_await p;
    EXPECT_EQ(q.try_put(4).error().code(), errc::closed);
    for (int i = 0; i < 3; ++i) log.push_back("get: " + describe(co_await as_result(q.get())));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"put 3: closed", "get: 1", "get: 2", "get: closed"}));
}

TEST_F(queue_test, close_fails_getters_waiting_on_an_empty_queue) {
  queue<int> q;
  trace log;
  auto getter = [&](std::string name) -> task<void> {
    log.push_back(name + ": " + describe(co_await as_result(q.get())));
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(getter("a"));
    auto b = spawn(getter("b"));
    co_await yield_now();
    q.close();
    co_await a;
    co_await b;
    auto r = co_await as_result(q.put(1));
    EXPECT_EQ(r.error().code(), errc::closed);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"a: closed", "b: closed"}));
}

TEST_F(queue_test, a_get_or_put_awaited_directly_on_a_closed_queue_fails_its_task_with_closed) {
  queue<int> q(1);
  trace log;
  auto getter = [&]() -> task<void> {
    co_await q.get();
    log.push_back("got past get");
  };
  auto putter = [&]() -> task<void> {
    co_await q.put(1);
    log.push_back("got past put");
  };
  auto body = [&]() -> task<void> {
    auto waiting = spawn(getter());
    co_await yield_now();
    q.close();
    auto rw = co_await as_result(waiting);
    auto rg = co_await as_result(spawn(getter()));
    auto rp = co_await as_result(spawn(putter()));
    EXPECT_EQ(rw.error().code(), errc::closed);
    EXPECT_EQ(rg.error().code(), errc::closed);
    EXPECT_EQ(rp.error().code(), errc::closed);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(log.empty());
}

TEST_F(queue_test, try_put_and_try_get_never_wait) {
  queue<int> q(1);
  auto body = [&]() -> task<void> {
    EXPECT_EQ(q.try_get(), std::nullopt);
    EXPECT_TRUE(q.try_put(1));
    auto full = q.try_put(2);
    EXPECT_EQ(full.error().code(), errc::invalid_state);
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(q.try_get(), std::optional<int>(1));
    EXPECT_EQ(q.try_get(), std::nullopt);
    co_return;
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(queue_test, try_put_hands_an_item_to_a_waiting_getter_even_when_the_queue_is_full_sized) {
  queue<int> q(1);
  std::vector<int> got;
  auto getter = [&]() -> task<void> {
    got.push_back(co_await q.get());
    got.push_back(co_await q.get());
  };
  auto body = [&]() -> task<void> {
    auto g = spawn(getter());
    co_await yield_now();
    EXPECT_TRUE(q.try_put(1));  // straight to the getter
    EXPECT_TRUE(q.try_put(2));  // into the (now empty) buffer
    EXPECT_EQ(q.try_put(3).error().code(), errc::invalid_state);
    co_await g;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(got, (std::vector<int>{1, 2}));
}

TEST_F(queue_test, ten_thousand_ping_pong_messages_through_two_one_slot_queues_arrive_in_order) {
  constexpr int n = 10'000;
  queue<int> ping(1);
  queue<int> pong(1);
  int in_order = 0;
  auto echo = [&]() -> task<void> {
    for (int i = 0; i < n; ++i) co_await pong.put(co_await ping.get());
  };
  auto body = [&]() -> task<void> {
    auto e = spawn(echo());
    for (int i = 0; i < n; ++i) {
      co_await ping.put(i);
      if (co_await pong.get() == i) ++in_order;
    }
    co_await e;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(in_order, n);
  EXPECT_TRUE(ping.empty());
  EXPECT_TRUE(pong.empty());
}

TEST_F(queue_test, a_lifo_queue_gives_the_newest_item_first) {
  lifo_queue<int> q;
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(q.try_put(i));
  std::string order;
  while (auto v = q.try_get()) order += std::to_string(*v);
  EXPECT_EQ(order, "321");
}

TEST_F(queue_test, a_priority_queue_gives_the_smallest_item_first_and_can_take_an_order) {
  priority_queue<int> q;
  for (int v : {5, 1, 4, 2, 3}) EXPECT_TRUE(q.try_put(v));
  std::string order;
  while (auto v = q.try_get()) order += std::to_string(*v);
  EXPECT_EQ(order, "12345");
  priority_queue<std::string, std::greater<std::string>> largest_first;
  for (const char* s : {"b", "c", "a"}) EXPECT_TRUE(largest_first.try_put(s));
  EXPECT_EQ(*largest_first.try_get(), "c");
}

TEST_F(queue_test, a_bounded_priority_queue_admits_a_waiting_putter_when_room_appears) {
  priority_queue<int> q(2);
  auto put_one = [&]() -> task<void> { co_await q.put(1); };
  auto body = [&]() -> task<std::string> {
    co_await q.put(3);
    co_await q.put(2);
    auto putter = spawn(put_one());
    co_await yield_now();
    EXPECT_FALSE(putter.done()) << "full: the putter waits";
    std::string order;
    for (int i = 0; i < 3; ++i) order += std::to_string(co_await q.get());
    co_await putter;
    co_return order;
  };
  EXPECT_EQ(run(body()).value(), "213");
}

TEST_F(queue_test, join_waits_until_every_item_put_is_marked_done) {
  queue<int> q;
  trace log;
  auto worker = [&]() -> task<void> {
    for (;;) {
      int v = co_await q.get();
      co_await sleep(std::chrono::milliseconds(v));
      log.push_back("done " + std::to_string(v));
      (void)q.task_done();
    }
  };
  auto body = [&]() -> task<void> {
    EXPECT_TRUE(q.try_put(5));
    EXPECT_TRUE(q.try_put(10));
    auto w = spawn(worker());
    co_await q.join();
    log.push_back("joined at " + std::to_string(ms()));
    EXPECT_EQ(q.unfinished(), 0u);
    w.cancel();
    (void)co_await as_result(w);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"done 5", "done 10", "joined at 15"}));
}

TEST_F(queue_test, join_of_a_queue_with_no_unfinished_items_returns_at_once) {
  queue<int> q;
  auto body = [&]() -> task<void> { co_await q.join(); };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(ms(), 0);
}

TEST_F(queue_test, task_done_more_often_than_items_put_is_invalid_state) {
  queue<int> q;
  EXPECT_TRUE(q.task_done().is(errc::invalid_state));
  EXPECT_TRUE(q.try_put(1));
  EXPECT_TRUE(q.task_done().ok());
  EXPECT_TRUE(q.task_done().is(errc::invalid_state));
}

}  // namespace
}  // namespace wasync::testing
