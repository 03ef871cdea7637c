// wait(tasks, return_when) and as_completed (asyncio.wait, asyncio.as_completed).
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class wait_test : public runtime_test {};

task<int> after(duration d, int v) {
  co_await sleep(d);
  co_return v;
}
task<int> failing_after(duration d) {
  co_await sleep(d);
  co_await fail(errc::user, "failed");
  co_return 0;
}

// Variadic rather than an initializer_list: GCC 12 rejects braced lists inside coroutines.
template <class... Ms>
std::vector<task_handle<int>> spawn_all(Ms... ms) {
  std::vector<task_handle<int>> hs;
  (hs.push_back(spawn(after(std::chrono::milliseconds(ms), ms))), ...);
  return hs;
}

std::string values(std::vector<task_handle<int>>& hs) {
  std::string s;
  for (auto& h : hs) s += (h.done() ? std::to_string(h.result().value()) : "?") + " ";
  return s;
}

TEST_F(wait_test, all_completed_waits_for_every_task) {
  auto body = [&]() -> task<std::string> {
    auto r = co_await wait(spawn_all(30, 10, 20));
    EXPECT_TRUE(r.pending.empty());
    co_return values(r.done);
  };
  EXPECT_EQ(run(body()).value(), "10 20 30 ");
  EXPECT_EQ(ms(), 30);
}

TEST_F(wait_test, first_completed_returns_the_first_and_leaves_the_rest_running) {
  auto body = [&]() -> task<std::string> {
    auto r = co_await wait(spawn_all(30, 10, 20), return_when::first_completed);
    EXPECT_EQ(ms(), 10);
    EXPECT_EQ(r.pending.size(), 2u);
    for (auto& h : r.pending) EXPECT_FALSE(h.done()) << "nothing is cancelled";
    std::string done = values(r.done);
    for (auto& h : r.pending) co_await h;
    co_return done + "| " + values(r.pending);
  };
  EXPECT_EQ(run(body()).value(), "10 | 30 20 ");
}

TEST_F(wait_test, first_exception_returns_at_a_failure_but_not_at_a_cancellation) {
  auto body = [&]() -> task<void> {
    std::vector<task_handle<int>> hs;
    hs.push_back(spawn(after(50ms, 1)));
    hs.push_back(spawn(failing_after(20ms)));
    hs.push_back(spawn(after(1h, 3)));
    hs[2].cancel();
    auto r = co_await wait(std::move(hs), return_when::first_exception);
    EXPECT_EQ(ms(), 20);
    EXPECT_EQ(r.done.size(), 2u);  // the cancelled one, then the failure
    EXPECT_EQ(r.pending.size(), 1u);
    if (r.done.size() != 2 || r.pending.size() != 1) co_return;
    EXPECT_TRUE(r.done[0].cancelled());
    EXPECT_EQ(r.done[1].result().error().code(), errc::user);
    co_await r.pending[0];
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(wait_test, a_timeout_returns_what_finished_and_cancels_nothing) {
  auto body = [&]() -> task<void> {
    auto r = co_await wait(spawn_all(10, 100), return_when::all_completed, 50ms);
    EXPECT_EQ(ms(), 50);
    EXPECT_EQ(values(r.done), "10 ");
    EXPECT_EQ(r.pending.size(), 1u);
    if (r.pending.size() == 1) {
      EXPECT_EQ(co_await r.pending[0], 100);
    }
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(wait_test, cancelling_the_waiter_leaves_the_tasks_running_and_detaches_from_them) {
  auto body = [&]() -> task<void> {
    auto hs = spawn_all(10, 20);
    auto* first = hs[0].context();
    first->add_ref();
    task_handle<int> keep(first);
    auto waiter = spawn(wait(std::move(hs)));
    co_await sleep(5ms);
    waiter.cancel();
    auto r = co_await as_result(std::move(waiter));
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_EQ(co_await keep, 10) << "the watched task ran on";
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(wait_test, waiting_on_no_tasks_is_invalid_argument) {
  auto body = [&]() -> task<errc> {
    auto r = co_await as_result(wait(std::vector<task_handle<int>>{}));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_argument);
}

TEST_F(wait_test, as_completed_yields_tasks_in_the_order_they_finish) {
  auto body = [&]() -> task<std::string> {
    std::string order;
    auto g = as_completed(spawn_all(30, 10, 20, 10));
    while (auto h = co_await g.next()) order += std::to_string(co_await *h) + " ";
    co_return order;
  };
  EXPECT_EQ(run(body()).value(), "10 10 20 30 ");
}

TEST_F(wait_test, as_completed_fails_with_timeout_and_leaves_the_rest_running) {
  auto body = [&]() -> task<void> {
    auto hs = spawn_all(10, 100);
    auto* slow = hs[1].context();
    slow->add_ref();
    task_handle<int> keep(slow);
    std::string order;
    auto g = as_completed(std::move(hs), 50ms);
    for (;;) {
      auto next = co_await as_result(g.next());
      if (!next) {
        EXPECT_EQ(next.error().code(), errc::timeout);
        break;
      }
      if (!*next) break;
      order += std::to_string(co_await **next) + " ";
    }
    EXPECT_EQ(order, "10 ");
    EXPECT_EQ(ms(), 50);
    EXPECT_EQ(co_await keep, 100);
  };
  ASSERT_TRUE(run(body()));
}

}  // namespace
}  // namespace wasync::testing
