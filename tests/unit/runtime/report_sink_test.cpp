// The report sink on the native host: with standard error a pipe nobody
// reads, reports return at once and are dropped and counted; once the pipe
// has room, what was queued goes out, then the count of what was dropped.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "test_support.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/native_host.hpp"

namespace wasync::testing {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// Makes fd 2 the write end of a fresh pipe for the test's life; nobody reads
/// it unless the test does. At the end the queue is drained into it and fd 2
/// is put back.
struct stderr_pipe {
  int saved = ::dup(STDERR_FILENO);
  int read_end = -1;
  stderr_pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    read_end = fds[0];
    ::fcntl(fds[1], F_SETFL, 0);  // the write end as a parent usually leaves it: blocking
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[1]);
  }
  ~stderr_pipe() {
    for (int i = 0; i < 100 && detail::report_stats().queued > 0; ++i) {
      read_all();
      detail::flush_reports(duration::zero());
    }
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    ::close(read_end);
  }
  std::string read_all() const {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(read_end, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
};

const std::string report(150, 'r');

TEST(report_sink, reports_to_a_full_stderr_pipe_return_at_once_and_are_counted_as_dropped) {
  native_host host;  // installs its stderr writer
  stderr_pipe pipe;
  const detail::report_counts before = detail::report_stats();
  const steady::time_point start = steady::now();
  for (int i = 0; i < 20'000; ++i) detail::report_line(report);
  EXPECT_LT(steady::now() - start, 2s);
  const detail::report_counts after = detail::report_stats();
  EXPECT_EQ(after.reported - before.reported, 20'000u);
  // A 64 KiB pipe and a 16 KiB queue hold about 530 such lines.
  EXPECT_GT(after.dropped - before.dropped, 19'000u);
  EXPECT_LE(after.queued, detail::report_buffer_size);
}

TEST(report_sink, once_stderr_has_room_the_queue_goes_out_then_the_number_dropped) {
  native_host host;
  stderr_pipe pipe;
  const detail::report_counts before = detail::report_stats();
  for (int i = 0; i < 2'000; ++i) detail::report_line(report);
  const std::uint64_t dropped = detail::report_stats().dropped - before.dropped;
  ASSERT_GT(dropped, 0u);
  std::string got = pipe.read_all();
  detail::report_line("after the drain");
  got += pipe.read_all();
  const std::string notice = "wasync: " + std::to_string(dropped) + " reports dropped: standard error was full\n";
  const std::size_t at = got.find(notice);
  ASSERT_NE(at, std::string::npos) << got.substr(got.size() > 300 ? got.size() - 300 : 0);
  EXPECT_EQ(got.substr(at + notice.size()), "after the drain\n");
  // Whole lines, none cut (an earlier test's drop notice may come first).
  std::size_t whole = 0;
  for (std::size_t i = got.find(report + "\n"); i < at; i = got.find(report + "\n", i + report.size() + 1)) ++whole;
  EXPECT_EQ(whole, 2'000 - dropped);
  EXPECT_LE(got.substr(0, at).size() - whole * (report.size() + 1), 64u);
}

TEST(report_sink, a_line_longer_than_the_limit_is_cut_and_marked) {
  native_host host;
  stderr_pipe pipe;
  detail::report_line(std::string(10'000, 'x'));
  const std::string got = pipe.read_all();
  EXPECT_EQ(got.size(), detail::max_report_line + 1);
  EXPECT_TRUE(got.ends_with(" [...]\n")) << got.substr(got.size() - 20);
}

TEST(report_sink, the_loops_default_error_handler_keeps_the_loop_running_on_a_full_stderr) {
  native_host host;
  stderr_pipe pipe;
  const detail::report_counts before = detail::report_stats();
  auto body = []() -> task<int> {
    for (int i = 0; i < 5'000; ++i) {
      spawn([]() -> task<void> { co_await fail(errc::user, "nobody awaits this"); }());
      if (i % 100 == 0) co_await yield_now();
    }
    co_await sleep(1ms);
    co_return 1;
  };
  const steady::time_point start = steady::now();
  EXPECT_EQ(run(body(), host).value(), 1);
  EXPECT_LT(steady::now() - start, 5s);
  const detail::report_counts after = detail::report_stats();
  EXPECT_EQ(after.reported - before.reported, 5'000u);
  EXPECT_GT(after.dropped - before.dropped, 0u);
}

}  // namespace
}  // namespace wasync::testing
