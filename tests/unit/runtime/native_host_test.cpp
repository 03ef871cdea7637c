// native_host: real clock, one timerfd for all sleepers, fd readiness.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "test_support.hpp"
#include "wasync/native_host.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;

class native_host_test : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(detail::live_frames, 0u);
    EXPECT_EQ(detail::live_contexts, 0u);
  }
  template <class T>
  result<T> run(task<T> t) {
    return wasync::run(std::move(t), host_);
  }
  native_host host_;
};

struct pipe_fds {
  int fds[2];
  pipe_fds() {
    EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  }
  ~pipe_fds() {
    close(fds[0]);
    close(fds[1]);
  }
};

TEST_F(native_host_test, sleep_waits_real_time_and_wakes_close_to_the_deadline) {
  auto body = [&]() -> task<long long> {
    const auto t0 = host_.now();
    co_await sleep(20ms);
    co_return std::chrono::duration_cast<std::chrono::microseconds>(host_.now() - t0).count();
  };
  const long long us = run(body()).value();
  EXPECT_GE(us, 20'000);
  EXPECT_LT(us, 60'000) << "woke far too late";
}

TEST_F(native_host_test, many_sleepers_complete_in_deadline_order_in_real_time) {
  std::vector<int> order;
  auto sleeper = [&](int i, duration d) -> task<void> {
    co_await sleep(d);
    order.push_back(i);
  };
  auto body = [&]() -> task<void> {
    co_await gather(sleeper(0, 15ms), sleeper(1, 5ms), sleeper(2, 10ms));
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 0}));
}

TEST_F(native_host_test, readable_resumes_when_data_arrives_on_a_pipe) {
  pipe_fds p;
  auto writer = [&]() -> task<void> {
    co_await sleep(5ms);
    EXPECT_EQ(::write(p.fds[1], "x", 1), 1);
  };
  auto body = [&]() -> task<char> {
    auto w = spawn(writer());
    co_await readable(p.fds[0]);
    char c = 0;
    EXPECT_EQ(::read(p.fds[0], &c, 1), 1);
    co_await w;
    co_return c;
  };
  EXPECT_EQ(run(body()).value(), 'x');
  EXPECT_EQ(host_.watched(), 0u);
}

TEST_F(native_host_test, a_watched_fd_keeps_the_loop_waiting_without_timers) {
  pipe_fds p;
  auto body = [&]() -> task<void> {
    auto r = co_await as_result(wait_for(readable(p.fds[0]), 10ms));
    EXPECT_TRUE(r.error().is(errc::timeout));
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(native_host_test, cancelling_an_fd_wait_unwatches_the_fd) {
  pipe_fds p;
  auto waiter = [&]() -> task<void> { co_await readable(p.fds[0]); };
  auto body = [&]() -> task<void> {
    auto h = spawn(waiter());
    co_await sleep(1ms);
    EXPECT_EQ(host_.watched(), 1u);
    h.cancel();
    auto r = co_await as_result(h);
    EXPECT_TRUE(r.error().is(errc::cancelled));
    EXPECT_EQ(host_.watched(), 0u);
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(native_host_test, an_fd_number_reused_after_a_cancelled_wait_is_watched_afresh) {
  auto waiter = [](int fd) -> task<void> { co_await readable(fd); };
  auto body = [&]() -> task<void> {
    int first_fd;
    {
      pipe_fds old;
      first_fd = old.fds[0];
      auto h = spawn(waiter(old.fds[0]));
      co_await sleep(1ms);
      h.cancel();
      co_await as_result(h);
    }  // closed while the kernel may still hold its (disarmed) registration
    pipe_fds fresh;
    EXPECT_EQ(fresh.fds[0], first_fd) << "the test needs the number reused";
    EXPECT_EQ(::write(fresh.fds[1], "z", 1), 1);
    auto r = co_await as_result(wait_for(readable(fresh.fds[0]), 1s));
    EXPECT_TRUE(r) << r.error().describe();
  };
  ASSERT_TRUE(run(body()));
}

/// What native_net awaits: epoll_reactor::watch_edge, for owners that retry after EAGAIN.
detail::basic_fd_awaiter<edge_watch> readable_edge(int fd) noexcept { return {fd, false}; }

TEST_F(native_host_test, an_edge_seen_while_nobody_waited_wakes_the_next_edge_watcher) {
  pipe_fds p;
  auto body = [&]() -> task<void> {
    EXPECT_EQ(::write(p.fds[1], "x", 1), 1);
    co_await readable_edge(p.fds[0]);  // registers; the kernel reports the byte
    char c;
    EXPECT_EQ(::read(p.fds[0], &c, 1), 1);
    EXPECT_EQ(::write(p.fds[1], "y", 1), 1);
    co_await sleep(1ms);  // the edge arrives in this wait, with no reader
    auto r = co_await as_result(wait_for(readable_edge(p.fds[0]), 1s));
    EXPECT_TRUE(r) << r.error().describe();
  };
  ASSERT_TRUE(run(body()));
  EXPECT_EQ(host_.watched(), 0u);
}

TEST_F(native_host_test, an_fd_number_reused_after_an_edge_watch_is_registered_again_once_fresh) {
  auto body = [&]() -> task<void> {
    int first_fd;
    {
      pipe_fds old;
      first_fd = old.fds[0];
      EXPECT_EQ(::write(old.fds[1], "x", 1), 1);
      co_await readable_edge(old.fds[0]);
    }  // closed: the kernel dropped the registration the host still counts on
    pipe_fds fresh;
    EXPECT_EQ(fresh.fds[0], first_fd) << "the test needs the number reused";
    host_.epoll().fresh_fd(fresh.fds[0]);
    EXPECT_EQ(::write(fresh.fds[1], "z", 1), 1);
    auto r = co_await as_result(wait_for(readable_edge(fresh.fds[0]), 1s));
    EXPECT_TRUE(r) << r.error().describe();
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(native_host_test, rewatching_after_an_event_sees_the_next_event) {
  pipe_fds p;
  auto body = [&]() -> task<void> {
    char c;
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(::write(p.fds[1], "x", 1), 1);
      co_await readable(p.fds[0]);
      EXPECT_EQ(::read(p.fds[0], &c, 1), 1);
    }
    auto r = co_await as_result(wait_for(readable(p.fds[0]), 5ms));
    EXPECT_TRUE(r.error().is(errc::timeout)) << "nothing left to read";
  };
  ASSERT_TRUE(run(body()));
}

TEST_F(native_host_test, a_reader_and_a_writer_can_wait_on_the_same_fd) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
  auto body = [&]() -> task<void> {
    auto wait_readable = [&]() -> task<void> { co_await readable(sv[0]); };
    auto reader = spawn(wait_readable());
    co_await yield_now();
    EXPECT_EQ(host_.watched(), 1u);
    co_await writable(sv[0]);  // the same fd, the other direction
    EXPECT_EQ(::write(sv[1], "y", 1), 1);
    co_await reader;
  };
  ASSERT_TRUE(run(body()));
  close(sv[0]);
  close(sv[1]);
}

TEST_F(native_host_test, waiting_on_a_closed_fd_is_an_error_not_an_abort) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  close(fds[0]);
  close(fds[1]);
  auto body = [&]() -> task<errc> {
    auto r = co_await as_result(readable(fds[0]));
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_argument);
  EXPECT_EQ(host_.watched(), 0u);
}

TEST_F(native_host_test, a_second_waiter_on_the_same_fd_and_direction_gets_invalid_state) {
  pipe_fds p;
  auto wait_readable = [&]() -> task<void> { co_await readable(p.fds[0]); };
  auto body = [&]() -> task<errc> {
    auto first = spawn(wait_readable());
    co_await yield_now();
    auto r = co_await as_result(readable(p.fds[0]));
    first.cancel();
    co_await as_result(first);
    co_return r.error().code();
  };
  EXPECT_EQ(run(body()).value(), errc::invalid_state);
}

TEST_F(native_host_test, unpark_from_another_thread_wakes_a_blocked_park) {
  std::thread t([&] {
    std::this_thread::sleep_for(10ms);
    host_.unpark();
  });
  const auto t0 = host_.now();
  EXPECT_TRUE(host_.park(t0 + 5s));
  EXPECT_LT(host_.now() - t0, 1s);
  t.join();
}

}  // namespace
}  // namespace wasync::testing
