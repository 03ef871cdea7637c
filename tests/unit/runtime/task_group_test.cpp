// task_group: structured concurrency with Python 3.13's TaskGroup semantics.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class task_group_test : public runtime_test {};

task<void> fail_after(duration d, std::string msg) {
  co_await sleep(d);
  co_await fail(errc::user, std::move(msg));
}

/// Installs an error handler on the running loop that collects "name: error" lines.
void collect_reports(std::vector<std::string>& reports) {
  detail::loop().set_error_handler(
      [&reports](const error& e, const task_info& info) { reports.push_back(std::string(info.name) + ": " + e.describe()); });
}

TEST_F(task_group_test, join_waits_for_every_child) {
  int done = 0;
  auto child = [&](duration d) -> task<void> {
    co_await sleep(d);
    ++done;
  };
  auto body = [&]() -> task<void> {
    task_group g;
    g.spawn(child(10ms));
    g.spawn(child(20ms));
    EXPECT_EQ(g.running(), 2u);
    co_await g.join();
    EXPECT_EQ(g.running(), 0u);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(done, 2);
  EXPECT_EQ(ms(), 20);
}

TEST_F(task_group_test, a_failing_child_cancels_its_siblings) {
  bool sibling_finished = false;
  auto sibling = [&]() -> task<void> {
    co_await sleep(1h);
    sibling_finished = true;
  };
  auto body = [&]() -> task<errc> {
    task_group g;
    g.spawn(sibling());
    g.spawn(fail_after(5ms, "broken"));
    auto r = co_await as_result(g.join());
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::user);
  EXPECT_FALSE(sibling_finished);
  EXPECT_EQ(ms(), 5);
}

TEST_F(task_group_test, two_failing_children_are_reported_together) {
  // The second child fails while handling the cancellation the first caused.
  auto second = []() -> task<void> {
    auto r = co_await as_result(sleep(1h));
    EXPECT_TRUE(r.error().is(errc::cancelled));
    co_await fail(errc::user, "two");
  };
  auto body = [&]() -> task<void> {
    task_group g;
    g.spawn(fail_after(5ms, "one"));
    g.spawn(second());
    co_await g.join();
  };
  auto e = run(body()).error();
  EXPECT_EQ(e.code(), errc::multiple);
  ASSERT_EQ(e.nested().size(), 2u);
  EXPECT_EQ(e.nested()[0].message(), "one");
  EXPECT_EQ(e.nested()[1].message(), "two");
}

TEST_F(task_group_test, a_child_spawned_after_the_group_aborts_never_runs) {
  bool ran = false;
  auto late = [&]() -> task<void> {
    ran = true;
    co_return;
  };
  auto body = [&]() -> task<void> {
    task_group g;
    g.spawn(fail_after(1ms, "early"));
    (void)co_await as_result(sleep(2ms));  // the group cancels it at 1 ms
    auto h = g.spawn(late());
    auto r = co_await as_result(g.join());
    EXPECT_EQ(r.error().message(), "early");
    auto late_result = co_await as_result(h);
    EXPECT_EQ(late_result.error().describe(), "invalid_state: task_group is shutting down: spawn() refused");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_FALSE(ran);
}

TEST_F(task_group_test, spawn_after_join_fails_with_invalid_state) {
  bool ran = false;
  auto late = [&]() -> task<void> {
    ran = true;
    co_return;
  };
  auto body = [&]() -> task<std::string> {
    task_group g;
    g.spawn([]() -> task<void> { co_return; }());
    co_await g.join();
    auto h = g.spawn(late());
    auto r = co_await as_result(h);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "invalid_state: task_group is finished: spawn() after join()");
  EXPECT_FALSE(ran);
}

TEST_F(task_group_test, a_nested_groups_failures_stay_grouped) {
  auto inner = []() -> task<void> {
    task_group g;
    g.spawn(fail_after(1ms, "a"));
    g.spawn(fail_after(1ms, "b"));
    co_await g.join();
  };
  auto body = [&]() -> task<void> {
    task_group outer;
    outer.spawn(inner());
    outer.spawn(fail_after(1ms, "c"));
    co_await outer.join();
  };
  auto e = run(body()).error();
  ASSERT_EQ(e.code(), errc::multiple);
  ASSERT_EQ(e.nested().size(), 2u);
  // In the order they failed: "c", then the inner group with its two, as one.
  EXPECT_EQ(e.nested()[0].message(), "c");
  EXPECT_EQ(e.nested()[1].code(), errc::multiple);
  EXPECT_EQ(e.nested()[1].nested().size(), 2u);
}

TEST_F(task_group_test, a_group_can_be_cancelled_as_a_whole) {
  int cleaned = 0;
  auto child = [&]() -> task<void> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(1h);
  };
  auto body = [&]() -> task<errc> {
    task_group g;
    g.spawn(child());
    g.spawn(child());
    co_await sleep(1ms);
    g.cancel();
    auto r = co_await as_result(g.join());
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::cancelled);
  EXPECT_EQ(cleaned, 2);
}

TEST_F(task_group_test, cancelling_the_joining_task_cancels_the_children_and_waits_for_them) {
  int cleaned = 0;
  auto child = [&]() -> task<void> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(1h);
  };
  auto owner = [&]() -> task<void> {
    task_group g;
    g.spawn(child());
    g.spawn(child());
    auto r = co_await as_result(g.join());
    EXPECT_EQ(cleaned, 2);
    EXPECT_TRUE(r.error().is(errc::cancelled));
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(owner());
    co_await sleep(1ms);
    h.cancel();
    co_await h;
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(task_group_test, a_child_cancelled_on_its_own_is_not_a_group_failure) {
  auto body = []() -> task<bool> {
    task_group g;
    auto h = g.spawn([]() -> task<void> { co_await sleep(1h); }());
    g.spawn([]() -> task<void> { co_await sleep(2ms); }());
    co_await sleep(1ms);
    h.cancel();
    auto r = co_await as_result(g.join());
    co_return r.has_value();
  };
  EXPECT_TRUE(run(body()).value());
}

TEST_F(task_group_test, with_task_group_cancels_the_body_when_a_child_fails) {
  bool body_finished = false;
  auto body = [&]() -> task<errc> {
    auto r = co_await as_result(with_task_group([&](task_group& g) -> task<void> {
      g.spawn(fail_after(5ms, "child failed"));
      co_await sleep(1h);
      body_finished = true;
    }));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::user);
  EXPECT_FALSE(body_finished);
  EXPECT_EQ(ms(), 5);
}

TEST_F(task_group_test, a_failing_child_cancels_its_siblings_before_the_body) {
  trace log;
  auto sibling = [&]() -> task<void> {
    on_exit guard{[&] { log.push_back("sibling cleanup"); }};
    co_await sleep(1h);
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(with_task_group([&](task_group& g) -> task<void> {
      on_exit guard{[&] { log.push_back("body cleanup"); }};
      g.spawn(sibling());
      g.spawn(fail_after(5ms, "child failed"));
      co_await sleep(1h);
    }));
    EXPECT_EQ(r.error().message(), "child failed");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"sibling cleanup", "body cleanup"}));
}

TEST_F(task_group_test, two_children_failing_in_their_first_step_in_one_pass_are_both_reported) {
  auto failing = [](std::string msg) -> task<void> { co_await fail(errc::user, std::move(msg)); };
  auto body = [&]() -> task<void> {
    task_group g;
    g.spawn(failing("one"));
    g.spawn(failing("two"));
    co_await g.join();
  };
  auto e = run(body()).error();
  ASSERT_EQ(e.code(), errc::multiple);
  ASSERT_EQ(e.nested().size(), 2u);
  EXPECT_EQ(e.nested()[0].message(), "one");
  EXPECT_EQ(e.nested()[1].message(), "two");
}

TEST_F(task_group_test, a_child_error_during_cleanup_wins_over_the_joiners_cancellation) {
  auto child = []() -> task<void> {
    auto r = co_await as_result(sleep(1h));
    co_await fail(errc::user, "failed while cancelled");
  };
  auto owner = [&]() -> task<void> {
    task_group g;
    g.spawn(child());
    co_await g.join();
  };
  auto body = [&]() -> task<std::string> {
    auto h = spawn(owner());
    co_await sleep(1ms);
    h.cancel();
    auto r = co_await as_result(h);
    co_return r.error().describe();
  };
  EXPECT_EQ(run(body()).value(), "user 1000: failed while cancelled");
}

TEST_F(task_group_test, join_with_a_cancellation_already_pending_cancels_and_awaits_the_children) {
  int cleaned = 0;
  auto child = [&]() -> task<void> {
    on_exit guard{[&] { ++cleaned; }};
    co_await sleep(1h);
  };
  task_handle<void>* self = nullptr;
  auto owner = [&]() -> task<void> {
    task_group g;
    g.spawn(child());
    g.spawn(child());
    co_await yield_now();
    self->cancel();  // pending when join() begins
    auto r = co_await as_result(g.join());
    EXPECT_EQ(cleaned, 2) << "join returned while children still ran";
    EXPECT_TRUE(r.error().is(errc::cancelled));
  };
  auto body = [&]() -> task<void> {
    auto h = spawn(owner());
    self = &h;
    co_await h;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(cleaned, 2);
}

TEST_F(task_group_test, a_group_destroyed_without_join_reports_a_child_that_had_failed) {
  std::vector<std::string> reports;
  auto owner = [&]() -> task<void> {
    collect_reports(reports);
    task_group g;
    g.spawn(fail_after(1ms, "lost"));
    (void)co_await as_result(sleep(5ms));  // cancelled at 1 ms by the group
    co_await fail(errc::user, "owner gives up");
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(owner());
    EXPECT_EQ(r.error().message(), "owner gives up");
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(reports, (std::vector<std::string>{"group child: user 1000: lost"}));
}

TEST_F(task_group_test, a_long_lived_group_does_not_keep_finished_children) {
  auto body = []() -> task<void> {
    task_group g;
    for (int i = 0; i < 1000; ++i) {
      g.spawn([]() -> task<void> { co_return; }());
      co_await yield_now();
    }
    EXPECT_LT(detail::live_contexts, 100u) << "finished children are being kept";
    co_await g.join();
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(task_group_test, a_failing_child_cancels_the_owner_that_is_not_in_join_yet) {
  trace log;
  auto owner = [&]() -> task<void> {
    task_group g;
    g.spawn(fail_after(2ms, "broken"));
    auto r = co_await as_result(sleep(1h));
    log.push_back("owner's sleep: " + r.error().describe() + " at " + std::to_string(ms()));
    EXPECT_EQ(current_task().cancelling(), 1u);
    auto joined = co_await as_result(g.join());
    log.push_back("join: " + joined.error().describe());
    EXPECT_EQ(current_task().cancelling(), 0u);  // join took the group's cancellation back
    co_await sleep(1ms);  // and nothing is left pending
    log.push_back("owner goes on");
  };
  ASSERT_TRUE(run(owner()));
  EXPECT_EQ(log, (trace{"owner's sleep: cancelled: a task in its task group failed at 2",
                        "join: user 1000: broken", "owner goes on"}));
}

TEST_F(task_group_test, the_owners_cancellation_still_pending_at_join_is_withdrawn) {
  lock l;
  auto holder = [&]() -> task<void> {
    co_await l.acquire();
    co_await sleep(2ms);
    (void)l.release();
  };
  auto owner = [&]() -> task<errc> {
    auto h = spawn(holder());
    co_await yield_now();  // the holder has the lock
    task_group g;
    g.spawn(fail_after(0ms, "broken"));
    // An uninterruptible wait: the group's cancellation stays pending through it.
    co_await l.acquire_uncancellable();
    EXPECT_EQ(current_task().cancelling(), 1u);
    auto joined = co_await as_result(g.join());
    (void)l.release();
    EXPECT_EQ(current_task().cancelling(), 0u);
    co_await sleep(1ms);  // nothing is left pending
    co_await h;
    co_return joined.error().code();
  };
  EXPECT_EQ(run(owner()).value(), errc::user);
  EXPECT_EQ(ms(), 3);
}

TEST_F(task_group_test, an_owner_that_leaves_without_join_ends_cancelled_and_the_error_is_reported) {
  std::vector<std::string> reports;
  auto owner = [&]() -> task<void> {
    collect_reports(reports);
    task_group g;
    g.spawn(fail_after(1ms, "lost"));
    co_await sleep(1h);
    co_await g.join();  // not reached
  };
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(owner());
    EXPECT_EQ(r.error(), error(errc::cancelled, "a task in its task group failed"));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(reports, (std::vector<std::string>{"group child: user 1000: lost"}));
  EXPECT_EQ(ms(), 1);
}

TEST_F(task_group_test, an_owner_waiting_in_join_is_not_cancelled_by_a_failing_child) {
  auto owner = [&]() -> task<std::uint32_t> {
    task_group g;
    g.spawn(fail_after(1ms, "broken"));
    (void)co_await as_result(g.join());
    co_return current_task().cancelling();
  };
  EXPECT_EQ(run(owner()).value(), 0u);
}

}  // namespace
}  // namespace wasync::testing
