// wait_for and timeout scopes (Python 3.12+ semantics).
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class timeout_test : public runtime_test {};

task<int> slow(duration d, int v) {
  co_await sleep(d);
  co_return v;
}

TEST_F(timeout_test, wait_for_returns_the_value_when_it_arrives_in_time) {
  auto body = []() -> task<int> { co_return co_await wait_for(slow(5ms, 7), 10ms); };
  EXPECT_EQ(run(body()).value(), 7);
  EXPECT_EQ(ms(), 5);
}

TEST_F(timeout_test, wait_for_fails_with_timeout_when_the_deadline_passes_first) {
  auto body = []() -> task<int> { co_return co_await wait_for(slow(1h, 7), 10ms); };
  auto r = run(body());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::timeout);
  EXPECT_EQ(ms(), 10);
}

TEST_F(timeout_test, the_timeout_waits_for_the_inner_cleanup_before_reporting) {
  trace log;
  auto inner = [&]() -> task<void> {
    on_exit guard{[&] { log.push_back("inner cleanup"); }};
    co_await sleep(1h);
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(wait_for(inner(), 1ms));
    log.push_back(std::string("caller sees ") + to_string(r.error().code()));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"inner cleanup", "caller sees timeout"}));
}

TEST_F(timeout_test, a_timeout_due_in_the_same_tick_as_a_completion_wins_if_it_fires_before_the_task_runs) {
  // As in asyncio: the event woke the task, but the deadline fell due before the
  // task resumed, so the timeout is what the task sees.
  event_loop loop(host_);
  event ev;
  auto body = [&]() -> task<void> { co_await wait_for(ev.wait(), 10ms); };
  auto h = spawn(body());
  loop.run_turn();
  ev.set();
  host_.advance(10ms);
  loop.run_turn();
  ASSERT_TRUE(h.done());
  EXPECT_EQ(h.result().error().code(), errc::timeout);
}

TEST_F(timeout_test, a_queue_item_handed_over_in_the_same_tick_as_the_timeout_is_not_lost) {
  // The getter already owns the item when the deadline falls due: the value is
  // returned and the timeout is withdrawn with its scope.
  event_loop loop(host_);
  queue<int> q;
  auto body = [&]() -> task<int> { co_return co_await wait_for(q.get(), 10ms); };
  auto h = spawn(body());
  loop.run_turn();
  ASSERT_TRUE(q.try_put(5));
  host_.advance(10ms);
  loop.run_turn();
  ASSERT_TRUE(h.done());
  EXPECT_EQ(h.result().value(), 5);
  EXPECT_TRUE(q.empty());
}

TEST_F(timeout_test, an_outside_cancel_in_the_same_pass_as_the_timeout_is_not_lost) {
  // The canceller's timer and the timeout fall due together; the canceller runs
  // before the victim resumes, so the victim must report the outside cancel.
  task_handle<int>* victim_handle = nullptr;
  auto victim = []() -> task<int> { co_return co_await wait_for(slow(1h, 1), 10ms); };
  auto canceller = [&]() -> task<void> {
    co_await sleep(10ms);
    victim_handle->cancel("outside");
  };
  auto body = [&]() -> task<std::string> {
    auto c = spawn(canceller());
    co_await yield_now();  // the canceller's timer is set before the victim's deadline
    auto v = spawn(victim());
    victim_handle = &v;
    co_await c;
    auto r = co_await as_result(v);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: outside");
}

TEST_F(timeout_test, an_outside_cancel_arriving_with_the_inner_result_is_delivered_at_the_next_await) {
  // The inner value arrives, and in the same pass the task is cancelled from
  // outside: wait_for returns the value and the cancel hits the next await.
  trace log;
  auto victim = [&]() -> task<void> {
    int v = co_await wait_for(slow(10ms, 1), 1h);
    log.push_back("got " + std::to_string(v));
    co_await yield_now();
    log.push_back("never");
  };
  auto canceller = [](task_handle<void>& h) -> task<void> {
    co_await sleep(10ms);
    h.cancel();
  };
  auto body = [&]() -> task<void> {
    auto v = spawn(victim());
    auto c = spawn(canceller(v));
    co_await c;
    auto r = co_await as_result(v);
    log.push_back(to_string(r.error().code()));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"got 1", "cancelled"}));
}

TEST_F(timeout_test, the_scope_form_bounds_several_awaits) {
  auto body = []() -> task<int> {
    int total = 0;
    auto scope = timeout(25ms);
    for (int i = 0; i < 10; ++i) {
      auto r = co_await as_result(slow(10ms, 1));
      if (!r) {
        EXPECT_EQ(r.error().code(), errc::cancelled);
        EXPECT_TRUE(scope.expired());
        break;
      }
      total += *r;
    }
    co_return total;
  };
  EXPECT_EQ(run(body()).value(), 2);
  EXPECT_EQ(ms(), 25);
}

TEST_F(timeout_test, timeout_at_expires_at_an_absolute_deadline_and_reports_timeout) {
  auto scoped = []() -> task<void> {
    auto scope = timeout_at(now() + 7ms);
    co_await sleep(5ms);
    co_await sleep(5ms);  // interrupted at 7 ms
  };
  auto body = [&]() -> task<errc> {
    auto r = co_await as_result(scoped());
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::timeout);
  EXPECT_EQ(ms(), 7);
}

TEST_F(timeout_test, an_unexpired_scope_changes_nothing_after_it_ends) {
  auto body = []() -> task<int> {
    {
      auto scope = timeout(5ms);
      co_await sleep(1ms);
    }
    co_await sleep(10ms);  // past the old deadline: no timeout now
    co_return 1;
  };
  EXPECT_EQ(run(body()).value(), 1);
}

TEST_F(timeout_test, reschedule_moves_the_deadline) {
  auto body = []() -> task<int> {
    auto scope = timeout(5ms);
    scope.reschedule(detail::loop().now() + 20ms);
    co_await sleep(10ms);
    co_return 1;
  };
  EXPECT_EQ(run(body()).value(), 1);
}

TEST_F(timeout_test, nested_timeouts_report_the_one_that_expired) {
  auto body = []() -> task<errc> {
    auto r = co_await as_result(wait_for(wait_for(slow(1h, 0), 1h), 5ms));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::timeout);
  EXPECT_EQ(ms(), 5);
}

TEST_F(timeout_test, inside_an_expired_scope_the_interrupted_await_sees_a_cancellation) {
  auto body = []() -> task<std::string> {
    auto scope = timeout(5ms);
    auto r = co_await as_result(sleep(1h));
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: deadline exceeded");
}

TEST_F(timeout_test, the_scope_turns_its_own_expiry_into_timeout_when_the_error_leaves_it) {
  auto bounded = []() -> task<int> {
    auto scope = timeout(5ms);
    co_await sleep(1h);
    co_return 1;
  };
  auto body = [&]() -> task<std::string> {
    auto r = co_await as_result(bounded());
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "timeout: deadline exceeded");
}

TEST_F(timeout_test, a_scope_whose_body_swallows_the_cancellation_reports_nothing) {
  auto body = []() -> task<int> {
    auto scope = timeout(5ms);
    auto r = co_await as_result(sleep(1h));
    EXPECT_TRUE(scope.expired());
    co_return r ? 1 : 2;
  };
  EXPECT_EQ(run(body()).value(), 2);
}

TEST_F(timeout_test, an_outside_cancel_inside_an_expired_scope_stays_a_cancel) {
  auto bounded = []() -> task<void> {
    auto scope = timeout(5ms);
    co_await sleep(1h);
  };
  auto body = [&]() -> task<std::string> {
    auto h = spawn(bounded());
    co_await sleep(5ms);  // due with the scope's deadline, and runs first
    h.cancel("outside");
    auto r = co_await as_result(h);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: outside");
}

TEST_F(timeout_test, an_inner_scope_that_did_not_expire_passes_the_outer_expiry_through) {
  auto inner = []() -> task<void> {
    auto scope = timeout(1h);
    co_await sleep(1h);
  };
  auto body = [&]() -> task<std::string> {
    auto r = co_await as_result(wait_for(inner(), 5ms));
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "timeout: deadline exceeded");
}

TEST_F(timeout_test, a_task_cancelled_because_its_awaiters_wait_for_expired_ends_cancelled) {
  auto body = []() -> task<void> {
    auto h = spawn(slow(1h, 1));
    auto r = co_await as_result(wait_for(h, 5ms));
    EXPECT_EQ(r.error().code(), errc::timeout);
    EXPECT_TRUE(h.done());
    EXPECT_TRUE(h.cancelled());
    EXPECT_EQ(h.result().error().code(), errc::cancelled);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(timeout_test, wait_for_with_a_zero_or_negative_timeout_never_starts_the_work) {
  int started = 0;
  auto work = [&]() -> task<int> {
    ++started;
    co_return 1;
  };
  auto body = [&]() -> task<void> {
    auto zero = co_await as_result(wait_for(work(), 0ms));
    auto negative = co_await as_result(wait_for(work(), -5ms));
    EXPECT_EQ(zero.error().code(), errc::timeout);
    EXPECT_EQ(negative.error().code(), errc::timeout);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(started, 0);
}

TEST_F(timeout_test, wait_for_with_a_zero_timeout_cancels_a_running_task_and_waits_for_it) {
  trace log;
  auto work = [&]() -> task<int> {
    on_exit cleanup{[&] { log.push_back("cleanup"); }};
    co_await sleep(1h);
    co_return 1;
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(work());
    co_await yield_now();
    auto r = co_await as_result(wait_for(std::move(h), 0ms));
    log.push_back(to_string(r.error().code()));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"cleanup", "timeout"}));
}

TEST_F(timeout_test, wait_for_with_a_zero_timeout_returns_the_result_of_a_finished_task) {
  auto body = []() -> task<int> {
    auto h = spawn(slow(0ms, 7));
    co_await sleep(1ms);
    co_return co_await wait_for(std::move(h), 0ms);
  };
  EXPECT_EQ(run(body()).value(), 7);
}

TEST_F(timeout_test, a_timeout_of_the_largest_duration_never_fires) {
  auto body = []() -> task<int> {
    auto scope = timeout(duration::max());
    auto outer = timeout(std::chrono::hours::max());
    co_await sleep(10ms);
    co_return co_await wait_for(slow(1ms, 3), std::chrono::seconds::max());
  };
  EXPECT_EQ(run(body()).value(), 3);
  EXPECT_EQ(ms(), 11);
}

TEST(deadline_after_test, saturates_at_the_clock_range_for_every_duration_type) {
  using detail::deadline_after;
  const time_point now = time_point(duration(1'000'000'000));
  EXPECT_EQ(deadline_after(now, 5ms), now + 5ms);
  EXPECT_EQ(deadline_after(now, -5ms), now - 5ms);
  EXPECT_EQ(deadline_after(now, std::chrono::duration<double>(0.25)), now + 250ms);
  EXPECT_EQ(deadline_after(now, std::chrono::duration<long long, std::pico>(2'500'000)), now + 2500ns);
  // Past the clock's end: never; before its start: at once.
  EXPECT_EQ(deadline_after(now, duration::max()), time_point::max());
  EXPECT_EQ(deadline_after(now, std::chrono::hours::max()), time_point::max());
  EXPECT_EQ(deadline_after(now, std::chrono::seconds::max()), time_point::max());
  EXPECT_EQ(deadline_after(now, std::chrono::hours::min()), time_point::min());
  EXPECT_EQ(deadline_after(now, duration::min()), now + duration::min());
  EXPECT_EQ(deadline_after(time_point(duration(-2)), duration::min()), time_point::min());
  EXPECT_EQ(deadline_after(now, std::chrono::duration<double>(1e300)), time_point::max());
  EXPECT_EQ(deadline_after(now, std::chrono::duration<double>(-1e300)), time_point::min());
  EXPECT_EQ(deadline_after(now, std::chrono::duration<unsigned long long, std::milli>(~0ull)), time_point::max());
  // Exactly at the end stays representable.
  EXPECT_EQ(deadline_after(time_point(duration(0)), duration::max()), time_point::max());
}

TEST_F(timeout_test, a_sleep_of_the_largest_duration_sleeps_until_cancelled) {
  auto body = []() -> task<std::string> {
    auto h = spawn([]() -> task<void> { co_await sleep(std::chrono::hours::max()); }());
    co_await sleep(10ms);
    EXPECT_FALSE(h.done());
    h.cancel("enough");
    auto r = co_await as_result(h);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: enough");
}

#if WASYNC_EXCEPTIONS
TEST_F(timeout_test, with_exceptions_the_body_catches_a_cancellation_and_the_caller_a_timeout) {
  auto bounded = []() -> task<std::string> {
    auto scope = timeout(5ms);
    try {
      co_await sleep(1h);
    } catch (const exception& e) {
      co_return e.error().describe();
    }
    co_return "none";
  };
  auto body = [&]() -> task<std::string> {
    std::string inner = co_await bounded();
    auto h = spawn([]() -> task<void> {
      auto scope = timeout(5ms);
      co_await sleep(1h);
    }());
    try {
      co_await h;
    } catch (const exception& e) {
      co_return inner + " / " + e.error().describe();
    }
    co_return "none";
  };
  EXPECT_EQ(run(body()).value(), "cancelled: deadline exceeded / timeout: deadline exceeded");
}

TEST_F(timeout_test, with_exceptions_a_timeout_is_thrown_as_wasync_exception) {
  auto body = []() -> task<int> {
    try {
      co_await wait_for(slow(1h, 0), 1ms);
    } catch (const exception& e) {
      co_return e.error().is(errc::timeout) ? 1 : 2;
    }
    co_return 3;
  };
  EXPECT_EQ(run(body()).value(), 1);
}
#endif

}  // namespace
}  // namespace wasync::testing
