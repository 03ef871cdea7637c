// gather, gather_settled and when_any: values in order, no child left behind.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class gather_test : public runtime_test {};

task<int> value_after(duration d, int v) {
  co_await sleep(d);
  co_return v;
}
task<int> error_after(duration d, std::string msg) {
  co_await sleep(d);
  co_return error(errc::user, std::move(msg));
}
task<void> nap(duration d) { co_await sleep(d); }

TEST_F(gather_test, gather_returns_values_in_argument_order_and_runs_children_concurrently) {
  auto body = []() -> task<std::tuple<int, std::monostate, int>> {
    co_return co_await gather(value_after(30ms, 1), nap(10ms), value_after(20ms, 3));
  };
  auto r = run(body());
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<0>(*r), 1);
  EXPECT_EQ(std::get<2>(*r), 3);
  EXPECT_EQ(ms(), 30);
}

TEST_F(gather_test, gather_over_a_range_returns_a_vector_in_order) {
  auto body = []() -> task<std::vector<int>> {
    std::vector<task<int>> ts;
    for (int i = 0; i < 5; ++i) ts.push_back(value_after(std::chrono::milliseconds(50 - 10 * i), i));
    co_return co_await gather(std::move(ts));
  };
  EXPECT_EQ(run(body()).value(), (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(gather_test, the_first_error_cancels_the_siblings_waits_for_them_and_is_reported) {
  trace log;
  auto sibling = [&]() -> task<int> {
    on_exit guard{[&] { log.push_back("sibling cleaned up"); }};
    co_await sleep(1h);
    co_return 0;
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(gather(sibling(), error_after(5ms, "first"), error_after(6ms, "second")));
    log.push_back("gather: " + r.error().describe());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"sibling cleaned up", "gather: user 1000: first"}));
  EXPECT_EQ(ms(), 5);
}

TEST_F(gather_test, cancelling_a_gather_cancels_every_child_and_waits_for_them) {
  int cleaned = 0;
  auto child = [&]() -> task<int> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(1h);
    co_return 0;
  };
  auto gatherer = [&]() -> task<void> {
    auto r = co_await as_result(gather(child(), child(), child()));
    EXPECT_EQ(cleaned, 3) << "gather returned before its children finished";
    EXPECT_TRUE(r.error().is(errc::cancelled));
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(gatherer());
    co_await sleep(1ms);
    h.cancel();
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(cleaned, 3);
}

TEST_F(gather_test, gather_of_void_tasks_over_a_range_completes) {
  auto body = []() -> task<void> {
    std::vector<task<void>> ts;
    ts.push_back(nap(1ms));
    ts.push_back(nap(2ms));
    co_await gather(std::move(ts));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(ms(), 2);
}

TEST_F(gather_test, gather_settled_returns_every_outcome_without_cancelling_anyone) {
  auto body = []() -> task<std::vector<result<int>>> {
    std::vector<task<int>> ts;
    ts.push_back(value_after(10ms, 1));
    ts.push_back(error_after(1ms, "bad"));
    ts.push_back(value_after(5ms, 3));
    co_return co_await gather_settled(std::move(ts));
  };
  auto r = run(body());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].value(), 1);
  EXPECT_EQ((*r)[1].error().message(), "bad");
  EXPECT_EQ((*r)[2].value(), 3);
  EXPECT_EQ(ms(), 10);
}

TEST_F(gather_test, gather_settled_variadic_keeps_each_type) {
  auto body = []() -> task<bool> {
    auto [a, b] = co_await gather_settled(value_after(1ms, 4), nap(2ms));
    co_return a.value() == 4 && b.has_value();
  };
  EXPECT_TRUE(run(body()).value());
}

TEST_F(gather_test, when_any_returns_the_first_finisher_and_cancels_the_rest) {
  int cleaned = 0;
  auto loser = [&](duration d) -> task<int> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(d);
    co_return -1;
  };
  auto body = [&]() -> task<std::size_t> {
    std::vector<task<int>> ts;
    ts.push_back(loser(1h));
    ts.push_back(value_after(3ms, 42));
    ts.push_back(loser(2h));
    auto r = co_await when_any(std::move(ts));
    EXPECT_EQ(r.value, 42);
    EXPECT_EQ(cleaned, 2) << "when_any returned before the losers finished";
    co_return r.index;
  };
  EXPECT_EQ(run(body()).value(), 1u);
  EXPECT_EQ(ms(), 3);
}

TEST_F(gather_test, when_any_variadic_says_which_task_won_by_variant_index) {
  auto body = []() -> task<std::size_t> {
    auto v = co_await when_any(value_after(20ms, 1), nap(5ms), value_after(30ms, 2));
    co_return v.index();
  };
  EXPECT_EQ(run(body()).value(), 1u);
}

TEST_F(gather_test, when_any_reports_the_first_finisher_error) {
  auto body = []() -> task<errc> {
    auto r = co_await as_result(when_any(value_after(10ms, 1), error_after(1ms, "x")));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::user);
}

TEST_F(gather_test, when_any_of_no_tasks_is_an_invalid_argument) {
  auto body = []() -> task<errc> {
    auto r = co_await as_result(when_any(std::vector<task<int>>{}));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_argument);
}

TEST_F(gather_test, gather_takes_running_tasks_and_leaves_their_values_readable) {
  auto value = [](int v) -> task<int> {
    co_await sleep(std::chrono::milliseconds(v));
    co_return v;
  };
  auto body = [&]() -> task<int> {
    auto a = spawn(value(10));
    auto b = spawn(value(5));
    auto [x, y, z] = co_await gather(a, std::move(b), value(1));
    EXPECT_EQ(a.result().value(), 10) << "a handle kept by the caller still has its value";
    co_return x + y + z;
  };
  EXPECT_EQ(run(body()).value(), 16);
}

TEST_F(gather_test, cancelling_a_gather_of_running_tasks_cancels_them) {
  int cleaned = 0;
  auto sleeper = [&]() -> task<int> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(1h);
    co_return 0;
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(sleeper());
    auto b = spawn(sleeper());
    auto gatherer = spawn([](task_handle<int>& a, task_handle<int>& b) -> task<void> {
      (void)co_await gather(a, b);
    }(a, b));
    co_await sleep(1ms);
    gatherer.cancel();
    (void)co_await as_result(gatherer);
    EXPECT_TRUE(a.cancelled());
    EXPECT_TRUE(b.cancelled());
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(cleaned, 2);
}

TEST_F(gather_test, a_vector_of_running_tasks_can_be_gathered_and_gathered_settled) {
  auto value = [](int v) -> task<int> {
    co_await sleep(std::chrono::milliseconds(v));
    if (v == 3) co_await fail(errc::user, "three");
    co_return v;
  };
  auto body = [&]() -> task<std::string> {
    std::vector<task_handle<int>> hs;
    for (int v : {1, 2}) hs.push_back(spawn(value(v)));
    auto values = co_await gather(std::move(hs));
    std::vector<task_handle<int>> more;
    for (int v : {3, 4}) more.push_back(spawn(value(v)));
    auto outcomes = co_await gather_settled(std::move(more));
    co_return std::to_string(values[0] + values[1]) + " " + outcomes[0].error().describe() + " " +
        std::to_string(outcomes[1].value());
  };
  EXPECT_EQ(run(body()).value(), "3 user 1000: three 4");
}

TEST_F(gather_test, when_any_takes_running_tasks_and_cancels_the_losers) {
  auto value = [](int v) -> task<int> {
    co_await sleep(std::chrono::milliseconds(v));
    co_return v;
  };
  auto body = [&]() -> task<std::size_t> {
    auto slow = spawn(value(50));
    auto fast = spawn(value(5));
    auto r = co_await when_any(slow, fast);
    EXPECT_TRUE(slow.cancelled());
    EXPECT_EQ(std::get<1>(r), 5);
    co_return r.index();
  };
  EXPECT_EQ(run(body()).value(), 1u);
  EXPECT_EQ(ms(), 5);
}

TEST_F(gather_test, a_task_can_be_in_two_combinators_at_once) {
  auto value = [](int v) -> task<int> {
    co_await sleep(std::chrono::milliseconds(v));
    co_return v;
  };
  auto body = [&]() -> task<int> {
    auto shared = spawn(value(5));
    auto first = spawn([](task_handle<int>& h) -> task<int> { co_return std::get<0>(co_await gather(h)); }(shared));
    auto second = spawn([](task_handle<int>& h) -> task<int> { co_return std::get<0>(co_await gather(h)); }(shared));
    co_return co_await first + co_await second;
  };
  EXPECT_EQ(run(body()).value(), 10);
}

}  // namespace
}  // namespace wasync::testing
