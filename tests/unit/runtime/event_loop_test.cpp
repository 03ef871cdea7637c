// event_loop: passes, spawn order, timer order, live tasks, error reporting, debug hooks, task observer.
#include <algorithm>
#include <random>
#include <sstream>

#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class event_loop_test : public runtime_test {};

TEST_F(event_loop_test, spawned_tasks_start_when_the_creator_yields_in_creation_order) {
  trace log;
  auto child = [&](std::string name) -> task<void> {
    log.push_back(name);
    co_return;
  };
  auto body = [&]() -> task<void> {
    auto a = spawn(child("a"));
    auto b = spawn(child("b"));
    log.push_back("creator");
    co_await yield_now();
    log.push_back("creator again");
    co_await a;
    co_await b;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"creator", "a", "b", "creator again"}));
}

TEST_F(event_loop_test, a_turn_runs_only_what_was_ready_when_it_began) {
  event_loop loop(host_);
  trace log;
  auto second = [&]() -> task<void> {
    log.push_back("second");
    co_return;
  };
  auto first = [&]() -> task<void> {
    log.push_back("first");
    spawn(second());
    co_return;
  };
  auto h = spawn(first());
  EXPECT_TRUE(loop.run_turn().has_ready);
  EXPECT_EQ(log, (trace{"first"}));
  EXPECT_FALSE(loop.run_turn().has_ready);
  EXPECT_EQ(log, (trace{"first", "second"}));
}

TEST_F(event_loop_test, work_made_ready_outside_a_turn_notifies_the_host_once_per_batch) {
  event_loop loop(host_);
  auto nop = []() -> task<void> { co_return; };
  const auto before = host_.notifications();
  auto a = spawn(nop());
  auto b = spawn(nop());
  EXPECT_EQ(host_.notifications(), before + 1);
  loop.run_turn();
  auto c = spawn(nop());
  EXPECT_EQ(host_.notifications(), before + 2);
  loop.run_turn();
}

TEST_F(event_loop_test, start_now_runs_the_first_step_at_once_outside_a_turn) {
  event_loop loop(host_);
  trace log;
  auto body = [&]() -> task<int> {
    log.push_back("first step");
    co_await yield_now();
    log.push_back("second step");
    co_return 7;
  };
  const auto before = host_.notifications();
  auto* t = detail::launch_unscheduled(body(), "eager");
  loop.start_now(*t);
  EXPECT_EQ(log, (trace{"first step"}));
  EXPECT_EQ(host_.notifications(), before + 1) << "the yield readied it again: the host is told";
  EXPECT_FALSE(loop.run_turn().has_ready);
  EXPECT_EQ(log, (trace{"first step", "second step"}));
  ASSERT_TRUE(t->done());
  EXPECT_EQ(*t->slot.value, 7);
  t->release();
}

TEST_F(event_loop_test, start_now_of_a_task_that_finishes_at_once_does_not_notify) {
  event_loop loop(host_);
  auto body = []() -> task<int> { co_return 1; };
  const auto before = host_.notifications();
  auto* t = detail::launch_unscheduled(body(), "eager");
  loop.start_now(*t);
  EXPECT_TRUE(t->done());
  EXPECT_EQ(host_.notifications(), before);
  EXPECT_EQ(loop.live_tasks(), 0u);
  t->release();
}

TEST_F(event_loop_test, start_now_of_a_task_that_sleeps_tells_the_host_of_the_new_timer) {
  event_loop loop(host_);
  auto body = []() -> task<void> { co_await sleep(5ms); };
  const auto before = host_.notifications();
  auto* t = detail::launch_unscheduled(body(), "eager");
  loop.start_now(*t);
  EXPECT_EQ(host_.notifications(), before + 1);
  EXPECT_EQ(loop.pending_timers(), 1u);
  host_.advance(5ms);
  loop.run_turn();
  EXPECT_TRUE(t->done());
  t->release();
}

TEST_F(event_loop_test, start_now_inside_a_turn_starts_the_task_in_the_next_turn) {
  trace log;
  auto inner = [&]() -> task<void> {
    log.push_back("inner");
    co_return;
  };
  auto body = [&]() -> task<void> {
    auto* t = detail::launch_unscheduled(inner(), "eager");
    detail::loop().start_now(*t);
    log.push_back("outer");
    co_await yield_now();
    EXPECT_TRUE(t->done());
    t->release();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"outer", "inner"}));
}

TEST_F(event_loop_test, timers_fire_in_deadline_order_and_equal_deadlines_in_the_order_set) {
  trace log;
  auto sleeper = [&](std::string name, duration d) -> task<void> {
    co_await sleep(d);
    log.push_back(name);
  };
  auto body = [&]() -> task<void> {
    co_await gather(sleeper("30a", 30ms), sleeper("10", 10ms), sleeper("30b", 30ms),
                    sleeper("20", 20ms), sleeper("30c", 30ms));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"10", "20", "30a", "30b", "30c"}));
  EXPECT_EQ(ms(), 30);
}

TEST_F(event_loop_test, timers_that_fall_due_queue_behind_work_already_ready) {
  event_loop loop(host_);
  trace log;
  auto sleeper = [&]() -> task<void> {
    co_await sleep(1ms);
    log.push_back("timer");
  };
  auto ready = [&]() -> task<void> {
    log.push_back("ready");
    co_return;
  };
  auto s = spawn(sleeper());
  loop.run_turn();  // the sleeper arms its timer
  host_.advance(1ms);
  auto r = spawn(ready());
  loop.run_turn();
  EXPECT_EQ(log, (trace{"ready", "timer"}));
}

TEST_F(event_loop_test, past_deadlines_fire_in_deadline_order) {
  trace log;
  auto sleeper = [&](std::string name, time_point at) -> task<void> {
    co_await sleep_until(at);
    log.push_back(name);
  };
  auto body = [&]() -> task<void> {
    co_await sleep(10s);
    const time_point now = detail::loop().now();
    co_await gather(sleeper("-1s", now - 1s), sleeper("-2s", now - 2s), sleeper("-1s again", now - 1s),
                    sleeper("now", now));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"-2s", "-1s", "-1s again", "now"}));
}

TEST_F(event_loop_test, a_hundred_thousand_concurrent_sleepers_wake_in_deadline_order) {
  constexpr int n = 100'000;
  std::vector<int> delays(n);
  std::mt19937 rng(42);
  for (auto& d : delays) d = static_cast<int>(rng() % 5000);
  std::vector<int> woke;
  woke.reserve(n);
  auto sleeper = [&](int i) -> task<void> {
    co_await sleep(std::chrono::milliseconds(delays[i]));
    woke.push_back(i);
  };
  auto body = [&]() -> task<void> {
    std::vector<task<void>> ts;
    for (int i = 0; i < n; ++i) ts.push_back(sleeper(i));
    co_await gather(std::move(ts));
  };
  ASSERT_TRUE(run(body()));
  ASSERT_EQ(woke.size(), static_cast<std::size_t>(n));
  EXPECT_TRUE(std::is_sorted(woke.begin(), woke.end(), [&](int a, int b) {
    return delays[a] < delays[b] || (delays[a] == delays[b] && a < b);
  }));
}

TEST_F(event_loop_test, all_sleepers_share_one_host_wake_up_armed_for_the_earliest_deadline) {
  event_loop loop(host_);
  auto sleeper = [](duration d) -> task<void> { co_await sleep(d); };
  auto a = spawn(sleeper(50ms));
  auto b = spawn(sleeper(10ms));
  auto c = spawn(sleeper(30ms));
  const turn_result r = loop.run_turn();
  EXPECT_EQ(loop.pending_timers(), 3u);
  ASSERT_TRUE(r.next_deadline.has_value());
  EXPECT_EQ(*r.next_deadline, time_point(10ms));
  loop.shutdown();
}

TEST_F(event_loop_test, live_task_count_follows_spawns_and_completions) {
  event_loop loop(host_);
  auto nop = []() -> task<void> { co_await yield_now(); };
  auto a = spawn(nop());
  auto b = spawn(nop());
  EXPECT_EQ(loop.live_tasks(), 2u);
  while (loop.run_turn().has_ready) {
  }
  EXPECT_EQ(loop.live_tasks(), 0u);
}

TEST_F(event_loop_test, an_unretrieved_error_is_reported_exactly_once_when_its_task_is_destroyed) {
  std::vector<std::string> reports;
  {
    event_loop loop(host_);
    loop.set_error_handler([&](const error& e, const task_info& info) {
      reports.push_back(std::string(info.name) + ": " + e.describe());
    });
    auto failing = []() -> task<void> { co_await fail(errc::user, "lost"); };
    {
      auto h = spawn(failing(), {.name = "orphan"});
      while (loop.run_turn().has_ready) {
      }
      EXPECT_TRUE(reports.empty()) << "reported while the handle could still retrieve it";
    }
    EXPECT_EQ(reports, (std::vector<std::string>{"orphan: user 1000: lost"}));
    while (loop.run_turn().has_ready) {
    }
  }
  EXPECT_EQ(reports.size(), 1u);
}

TEST_F(event_loop_test, a_retrieved_error_is_not_reported) {
  int reports = 0;
  event_loop loop(host_);
  loop.set_error_handler([&](const error&, const task_info&) { ++reports; });
  auto failing = []() -> task<void> { co_await fail(errc::user, "seen"); };
  {
    auto h = spawn(failing());
    while (loop.run_turn().has_ready) {
    }
    EXPECT_FALSE(h.result());
  }
  EXPECT_EQ(reports, 0);
}

TEST_F(event_loop_test, a_detached_task_that_fails_is_reported_when_it_finishes) {
  int reports = 0;
  event_loop loop(host_);
  loop.set_error_handler([&](const error& e, const task_info&) {
    EXPECT_EQ(e.code(), errc::user);
    ++reports;
  });
  auto failing = []() -> task<void> {
    co_await yield_now();
    co_await fail(errc::user, "detached");
  };
  spawn(failing());
  EXPECT_EQ(reports, 0);
  while (loop.run_turn().has_ready) {
  }
  EXPECT_EQ(reports, 1);
}

TEST_F(event_loop_test, an_error_delivered_to_an_awaiter_counts_as_retrieved) {
  int reports = 0;
  event_loop loop(host_);
  loop.set_error_handler([&](const error&, const task_info&) { ++reports; });
  auto failing = []() -> task<void> {
    co_await yield_now();
    co_await fail(errc::user, "seen by the awaiter");
  };
  auto finished = []() -> task<void> { co_await fail(errc::user, "already failed"); };
  auto awaiter = [](task_handle<void>& h) -> task<void> { co_await h; };
  {
    auto pending = spawn(failing());
    auto done = spawn(finished());
    loop.run_turn();
    // One waits for a failure to come, one awaits a task that has failed already.
    auto a = spawn(awaiter(pending));
    auto b = spawn(awaiter(done));
    while (loop.run_turn().has_ready) {
    }
    EXPECT_FALSE(a.result());
    EXPECT_FALSE(b.result());
  }
  EXPECT_EQ(reports, 0);
}

TEST_F(event_loop_test, an_error_delivered_through_shield_counts_as_retrieved) {
  int reports = 0;
  event_loop loop(host_);
  loop.set_error_handler([&](const error&, const task_info&) { ++reports; });
  auto failing = []() -> task<void> {
    co_await yield_now();
    co_await fail(errc::user, "shielded failure");
  };
  auto awaiter = [&]() -> task<void> { co_await shield(failing()); };
  {
    auto a = spawn(awaiter());
    while (loop.run_turn().has_ready) {
    }
    EXPECT_FALSE(a.result());
  }
  EXPECT_EQ(reports, 0);
}

TEST_F(event_loop_test, cancel_on_a_failed_task_marks_its_error_seen) {
  int reports = 0;
  event_loop loop(host_);
  loop.set_error_handler([&](const error&, const task_info&) { ++reports; });
  auto failing = []() -> task<void> { co_await fail(errc::user, "failed"); };
  {
    auto h = spawn(failing());
    while (loop.run_turn().has_ready) {
    }
    EXPECT_FALSE(h.cancel());
  }
  EXPECT_EQ(reports, 0);
}

TEST_F(event_loop_test, debug_mode_reports_a_step_that_blocks_longer_than_the_threshold) {
  std::vector<std::string> reports;
  event_loop loop(host_, {.slow_step_threshold = 5ms});
  loop.set_debug_handler([&](const std::string& s) { reports.push_back(s); });
  auto blocking = [&]() -> task<void> {
    host_.advance(20ms);  // stands in for 20 ms of CPU work on the manual clock
    co_return;
  };
  auto quick = []() -> task<void> { co_return; };
  auto a = spawn(quick(), {.name = "quick"});
  auto b = spawn(blocking(), {.name = "hog"});
  loop.run_turn();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("'hog'"), std::string::npos);
  EXPECT_NE(reports[0].find("20.000 ms"), std::string::npos);
}

TEST_F(event_loop_test, dump_tasks_lists_each_live_task_with_what_it_waits_on) {
  event_loop loop(host_);
  event never;
  auto sleeper = []() -> task<void> { co_await sleep(1s); };
  auto waiter = [&]() -> task<void> { co_await never.wait(); };
  auto a = spawn(sleeper(), {.name = "napper"});
  auto b = spawn(waiter(), {.name = "listener"});
  loop.run_turn();
  std::ostringstream out;
  loop.dump_tasks(out);
  EXPECT_NE(out.str().find("napper: waiting on sleep"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("listener: waiting on event"), std::string::npos) << out.str();
  loop.shutdown();
}

// Records task events as "name kind[ detail]" lines.
struct event_log {
  trace lines;
  std::vector<const void*> ids;
  task_observer observer() {
    return [this](const task_event& e) {
      static const char* const kinds[] = {"spawned", "resumed", "waiting", "finished"};
      std::string line = std::string(e.name) + " " + kinds[static_cast<int>(e.kind)];
      if (e.waiting_on) line += std::string(" ") + e.waiting_on;
      if (e.outcome) line += std::string(" ") + (e.outcome->ok() ? "ok" : to_string(e.outcome->code()));
      lines.push_back(line);
      ids.push_back(e.task);
    };
  }
};

TEST_F(event_loop_test, task_observer_sees_spawn_resume_wait_and_finish_in_order) {
  event_loop loop(host_);
  event_log log;
  loop.set_task_observer(log.observer());
  auto napper = []() -> task<void> { co_await sleep(5ms); };
  auto h = spawn(napper(), {.name = "napper"});
  ASSERT_TRUE(loop.run_until_done(*h.context()));
  EXPECT_EQ(log.lines, (trace{"napper spawned", "napper resumed", "napper waiting sleep", "napper resumed",
                              "napper finished ok"}));
  EXPECT_TRUE(std::all_of(log.ids.begin(), log.ids.end(), [&](const void* id) { return id == log.ids[0]; }));
}

TEST_F(event_loop_test, task_observer_reports_a_failed_task_with_its_error) {
  event_loop loop(host_);
  event_log log;
  loop.set_task_observer(log.observer());
  loop.set_error_handler([](const error&, const task_info&) {});  // the error is the point here
  auto failing = []() -> task<void> { co_await fail(errc::timeout, "too slow"); };
  auto h = spawn(failing(), {.name = "failing"});
  ASSERT_TRUE(loop.run_until_done(*h.context()));
  EXPECT_EQ(log.lines.back(), "failing finished timeout");
}

TEST_F(event_loop_test, task_observer_reports_a_cancelled_task_as_cancelled) {
  event_loop loop(host_);
  event_log log;
  loop.set_task_observer(log.observer());
  auto sleeper = []() -> task<void> { co_await sleep(1s); };
  auto h = spawn(sleeper(), {.name = "sleeper"});
  loop.run_turn();
  h.cancel();
  ASSERT_TRUE(loop.run_until_done(*h.context()));
  EXPECT_EQ(log.lines, (trace{"sleeper spawned", "sleeper resumed", "sleeper waiting sleep", "sleeper resumed",
                              "sleeper finished cancelled"}));
}

TEST_F(event_loop_test, a_removed_task_observer_is_no_longer_told) {
  event_loop loop(host_);
  event_log log;
  loop.set_task_observer(log.observer());
  auto nop = []() -> task<void> { co_return; };
  auto a = spawn(nop(), {.name = "seen"});
  loop.run_turn();
  loop.set_task_observer({});
  auto b = spawn(nop(), {.name = "unseen"});
  loop.run_turn();
  EXPECT_EQ(log.lines, (trace{"seen spawned", "seen resumed", "seen finished ok"}));
}

TEST_F(event_loop_test, a_step_budget_leaves_the_rest_of_the_batch_for_the_next_turn_in_order) {
  event_loop loop(host_, {.step_budget = 2});
  trace log;
  auto child = [&](std::string name) -> task<void> {
    log.push_back(name);
    co_return;
  };
  auto a = spawn(child("a"));
  auto b = spawn(child("b"));
  auto c = spawn(child("c"));
  EXPECT_TRUE(loop.run_turn().has_ready);
  EXPECT_EQ(log, (trace{"a", "b"}));
  EXPECT_FALSE(loop.run_turn().has_ready);
  EXPECT_EQ(log, (trace{"a", "b", "c"}));
}

TEST_F(event_loop_test, waiting_on_an_fd_where_the_host_has_none_is_not_supported) {
  auto body = []() -> task<errc> {
    auto r = co_await as_result(readable(0));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::not_supported);
}

TEST_F(event_loop_test, a_turn_past_its_yield_time_leaves_the_rest_of_the_batch_in_order) {
  event_loop loop(host_);
  trace log;
  auto slow = [&](std::string name) -> task<void> {
    log.push_back(name);
    host_.advance(1ms);  // each step "takes" 1 ms on the manual clock
    co_return;
  };
  std::vector<task_handle<void>> hs;
  for (int i = 0; i < 12; ++i) hs.push_back(spawn(slow(std::to_string(i))));
  EXPECT_TRUE(loop.run_turn(host_.now() + 5ms).has_ready);
  EXPECT_EQ(log.size(), 8u) << "the clock is read every 4 steps";
  EXPECT_FALSE(loop.run_turn().has_ready);
  ASSERT_EQ(log.size(), 12u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(log[i], std::to_string(i));
}

TEST_F(event_loop_test, run_reports_a_deadlock_instead_of_hanging) {
  event never;
  auto body = [&]() -> task<void> { co_await never.wait(); };
  auto r = run(body());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), errc::deadlock);
}

TEST_F(event_loop_test, run_cancels_tasks_left_running_when_main_returns) {
  counted* leftover_guard = nullptr;
  bool finished = false;
  auto leftover = [&]() -> task<void> {
    counted guard;
    leftover_guard = &guard;
    co_await sleep(1h);
    finished = true;
  };
  auto body = [&]() -> task<int> {
    spawn(leftover());
    co_await yield_now();
    co_return 5;
  };
  EXPECT_EQ(run(body()).value(), 5);
  EXPECT_NE(leftover_guard, nullptr);
  EXPECT_FALSE(finished);
  EXPECT_EQ(counted::alive, 0);
  EXPECT_LT(ms(), 1000);
}

}  // namespace
}  // namespace wasync::testing
