// call_soon / call_later / call_at (asyncio's Handle and TimerHandle) and the
// kinds of error reports.
#include "test_support.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
class callbacks_test : public runtime_test {};

TEST_F(callbacks_test, call_soon_runs_after_the_work_ready_now_in_fifo_order_with_tasks) {
  trace log;
  auto body = [&]() -> task<void> {
    call_soon([&] { log.push_back("callback 1"); });
    auto t = spawn([](trace& log) -> task<void> {
      log.push_back("task");
      co_return;
    }(log));
    call_soon([&] { log.push_back("callback 2"); });
    log.push_back("caller");
    co_await yield_now();
    co_await t;
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"caller", "callback 1", "task", "callback 2"}));
}

TEST_F(callbacks_test, call_later_and_call_at_run_in_deadline_order) {
  trace log;
  auto body = [&]() -> task<void> {
    call_later(20ms, [&] { log.push_back("20 at " + std::to_string(ms())); });
    auto h = call_at(now() + 10ms, [&] { log.push_back("10 at " + std::to_string(ms())); });
    EXPECT_EQ(h.when(), now() + duration(10ms));
    call_later(15ms, [&] { log.push_back("15 at " + std::to_string(ms())); });
    co_await sleep(30ms);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(log, (trace{"10 at 10", "15 at 15", "20 at 20"}));
}

TEST_F(callbacks_test, a_cancelled_callback_never_runs) {
  int ran = 0;
  auto body = [&]() -> task<void> {
    auto soon = call_soon([&] { ++ran; });
    auto later = call_later(5ms, [&] { ++ran; });
    co_await yield_now();  // `later` waits for its deadline now
    EXPECT_FALSE(soon.cancel()) << "it ran already";
    EXPECT_FALSE(soon.cancelled());
    EXPECT_TRUE(later.cancel());
    EXPECT_TRUE(later.cancelled());
    co_await sleep(10ms);
    EXPECT_FALSE(later.cancel()) << "cancel() after the fact";
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(ran, 1) << "the soon callback had run before its cancel";
}

TEST_F(callbacks_test, cancelling_call_soon_before_its_turn_keeps_it_from_running) {
  int ran = 0;
  auto body = [&]() -> task<void> {
    auto soon = call_soon([&] { ++ran; });
    EXPECT_TRUE(soon.cancel());
    co_await yield_now();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(ran, 0);
}

TEST_F(callbacks_test, error_reports_say_their_kind) {
  std::vector<std::string> reports;
  auto failing = []() -> task<void> {
    (void)co_await as_result(sleep(1h));
    co_await fail(errc::user, "failed while cancelled");
  };
  auto body = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info& info) {
      const char* kind = info.kind == report_kind::shutdown ? "shutdown" : "never retrieved";
      reports.push_back(std::string(kind) + " " + info.name + ": " + e.message());
    });
    spawn([]() -> task<void> { co_await fail(errc::user, "lost"); }(), {.name = "orphan"});
    spawn(failing(), {.name = "leftover"});
    co_await sleep(1ms);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(reports, (std::vector<std::string>{"never retrieved orphan: lost", "shutdown leftover: failed while cancelled"}));
}

#if WASYNC_EXCEPTIONS
TEST_F(callbacks_test, a_callback_that_throws_is_reported_as_a_callback_error) {
  std::vector<std::string> reports;
  auto body = [&]() -> task<void> {
    detail::loop().set_error_handler([&](const error& e, const task_info& info) {
      reports.push_back(std::string(info.kind == report_kind::callback ? "callback " : "other ") + info.name + ": " +
                        e.message());
    });
    call_soon([] { throw std::runtime_error("bad callback"); }, "thrower");
    co_await sleep(1ms);
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(reports, (std::vector<std::string>{"callback thrower: bad callback"}));
}
#endif

}  // namespace
}  // namespace wasync::testing
