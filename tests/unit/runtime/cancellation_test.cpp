// Cancellation: one-shot requests delivered at await points, RAII cleanup,
// reaching the operation a task waits on, and shield.
#include <optional>

#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class cancellation_test : public runtime_test {};

TEST_F(cancellation_test, cancelling_a_sleeping_task_stops_it_at_the_sleep_and_runs_its_cleanup) {
  bool after_sleep = false;
  auto sleeper = [&]() -> task<void> {
    counted guard;
    co_await sleep(1h);
    after_sleep = true;
  };
  auto body = [&]() -> task<errc> {
    auto h = spawn(sleeper());
    co_await sleep(10ms);
    EXPECT_EQ(counted::alive, 1);
    EXPECT_TRUE(h.cancel("enough"));
    auto r = co_await as_result(h);
    EXPECT_EQ(counted::alive, 0);
    EXPECT_EQ(r.error().message(), "enough");
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::cancelled);
  EXPECT_FALSE(after_sleep);
  EXPECT_EQ(ms(), 10) << "the cancelled sleep's timer must not keep the loop waiting";
}

TEST_F(cancellation_test, a_task_cancelled_before_its_first_step_never_runs_its_body) {
  bool ran = false;
  auto child = [&]() -> task<void> {
    ran = true;
    co_return;
  };
  auto body = [&]() -> task<bool> {
    auto h = spawn(child());
    h.cancel();
    auto r = co_await as_result(h);
    co_return r.error().is(errc::cancelled);
  };
  EXPECT_TRUE(run(body()).value());
  EXPECT_FALSE(ran);
}

TEST_F(cancellation_test, cancelling_a_finished_task_does_nothing_and_says_so) {
  auto child = []() -> task<int> { co_return 3; };
  auto body = [&]() -> task<int> {
    auto h = spawn(child());
    int v = co_await h;
    EXPECT_FALSE(h.cancel());
    EXPECT_FALSE(h.cancelled());
    co_return v;
  };
  EXPECT_EQ(run(body()).value(), 3);
}

TEST_F(cancellation_test, cancellation_of_a_running_task_waits_for_its_next_await_point) {
  trace log;
  task_handle<void>* self = nullptr;
  auto child = [&]() -> task<void> {
    log.push_back("start");
    self->cancel();
    log.push_back("still running");
    co_await yield_now();
    log.push_back("never");
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(child());
    self = &h;
    auto r = co_await as_result(h);
    EXPECT_TRUE(r.error().is(errc::cancelled));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"start", "still running"}));
}

TEST_F(cancellation_test, cancelling_a_task_reaches_the_task_it_awaits) {
  bool inner_cleaned = false;
  auto inner = [&]() -> task<void> {
    on_exit guard{[&] { inner_cleaned = true; }};
    co_await sleep(1h);
  };
  auto outer = [&]() -> task<void> {
    auto h = spawn(inner());
    co_await h;
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(outer());
    co_await sleep(1ms);
    h.cancel();
    auto r = co_await as_result(h);
    EXPECT_TRUE(r.error().is(errc::cancelled));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_TRUE(inner_cleaned);
}

TEST_F(cancellation_test, a_cancelled_task_can_observe_the_cancellation_and_clean_up_asynchronously) {
  trace log;
  auto child = [&]() -> task<void> {
    auto r = co_await as_result(sleep(1h));
    log.push_back(r ? "slept" : std::string("interrupted: ") + to_string(r.error().code()));
    co_await sleep(5ms);  // async cleanup still works: the request was one-shot
    log.push_back("cleaned up");
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(child());
    co_await sleep(1ms);
    h.cancel();
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"interrupted: cancelled", "cleaned up"}));
  EXPECT_EQ(ms(), 6);
}

TEST_F(cancellation_test, shield_keeps_the_inner_task_running_when_the_awaiter_is_cancelled) {
  trace log;
  auto inner = [&]() -> task<int> {
    co_await sleep(10ms);
    log.push_back("inner done");
    co_return 1;
  };
  auto outer = [&]() -> task<void> {
    auto r = co_await as_result(shield(inner()));
    log.push_back(r ? "outer got value" : "outer cancelled");
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(outer());
    co_await sleep(1ms);
    h.cancel();
    co_await h;
    co_await sleep(20ms);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"outer cancelled", "inner done"}));
}

TEST_F(cancellation_test, shield_passes_the_value_through_when_nobody_cancels) {
  auto inner = []() -> task<int> {
    co_await sleep(1ms);
    co_return 9;
  };
  auto body = [&]() -> task<int> { co_return co_await shield(inner()); };
  EXPECT_EQ(run(body()).value(), 9);
}

TEST_F(cancellation_test, a_task_that_cancels_itself_and_returns_without_awaiting_ends_cancelled) {
  task_handle<int>* self = nullptr;
  auto child = [&]() -> task<int> {
    co_await yield_now();
    self->cancel("by itself");
    co_return 5;
  };
  auto body = [&]() -> task<std::string> {
    auto h = spawn(child());
    self = &h;
    auto r = co_await as_result(h);
    EXPECT_TRUE(h.cancelled());
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: by itself");
}

TEST_F(cancellation_test, a_task_awaiting_its_own_handle_fails_with_invalid_state) {
  task_handle<void>* self = nullptr;
  auto child = [&]() -> task<void> {
    co_await yield_now();
    co_await *self;
  };
  auto body = [&]() -> task<std::string> {
    auto h = spawn(child());
    self = &h;
    auto r = co_await as_result(h);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "invalid_state: a task cannot await itself");
}

TEST_F(cancellation_test, an_await_in_progress_keeps_the_task_alive_when_its_handle_is_dropped) {
  // The target finishes, then the handle is dropped before the awaiter resumes.
  std::optional<task_handle<std::string>> target;
  auto awaiter = [&]() -> task<std::string> { co_return co_await *target; };
  auto dropper = [&]() -> task<void> {
    co_await yield_now();
    target.reset();
  };
  auto body = [&]() -> task<std::string> {
    target.emplace(spawn([]() -> task<std::string> {
      co_await yield_now();
      co_return std::string(100, 'x');
    }()));
    auto a = spawn(awaiter());
    auto d = spawn(dropper());
    co_await d;
    co_return co_await a;
  };
  EXPECT_EQ(run(body()).value(), std::string(100, 'x'));
}

TEST_F(cancellation_test, an_awaiter_cancelled_after_its_target_was_cancelled_sees_its_own_cancellation) {
  // Same pass: the target ends cancelled ("A"), then, before its awaiter runs,
  // the awaiter itself is cancelled ("B"). Both exception modes agree on "B".
  std::optional<task_handle<void>> target;
  std::optional<task_handle<void>> awaiter;
  auto await_target = [&]() -> task<void> { co_await *target; };
  auto canceller = [&]() -> task<void> {
    co_await sleep(1ms);
    target->cancel("A");
    co_await yield_now();  // the target finishes in this pass, then we run again
    awaiter->cancel("B");
  };
  auto body = [&]() -> task<std::string> {
    target.emplace(spawn([]() -> task<void> { co_await sleep(1h); }()));
    auto c = spawn(canceller());
    awaiter.emplace(spawn(await_target()));
    co_await c;
    auto r = co_await as_result(*awaiter);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "cancelled: B");
}

#if WASYNC_EXCEPTIONS
TEST_F(cancellation_test, with_exceptions_cancellation_is_thrown_at_the_await_point) {
  auto child = []() -> task<int> {
    try {
      co_await sleep(1h);
    } catch (const exception& e) {
      co_return e.error().is(errc::cancelled) ? 1 : 2;
    }
    co_return 3;
  };
  auto body = [&]() -> task<int> {
    auto h = spawn(child());
    co_await sleep(1ms);
    h.cancel();
    co_return co_await h;
  };
  EXPECT_EQ(run(body()).value(), 1);
}
#endif

TEST_F(cancellation_test, shield_of_a_running_task_keeps_it_running_when_the_awaiter_is_cancelled) {
  auto body = [&]() -> task<int> {
    auto work = spawn([]() -> task<int> {
      co_await sleep(10ms);
      co_return 4;
    }());
    auto awaiter = spawn([](task_handle<int>& w) -> task<int> { co_return co_await shield(w); }(work));
    co_await sleep(1ms);
    awaiter.cancel();
    auto r = co_await as_result(awaiter);
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_FALSE(work.done());
    co_return co_await work;
  };
  EXPECT_EQ(run(body()).value(), 4);
  EXPECT_EQ(ms(), 10);
}

}  // namespace
}  // namespace wasync::testing
