// The WASI 0.3 host's own behaviour, run by host.test.mjs under wasmtime 49 -S p3.
//   p3_probe idle MS       sleeps MS ms; prints the host's counters as JSON
//   p3_probe rearm         a sleeper per line of stdin (answered "ok"), each due
//                          before the one before it, which it cancels: when the
//                          loop waits for the next line, the new earliest
//                          deadline cancels the host wait armed for the last; at
//                          the end of input, the counters
//   p3_probe stdin_cancel N  N stdin reads cut short by a 1 ms timeout while
//                          nothing comes, then reads every line that does
//   p3_probe busy N        a task yields in a row (N times at most) while another
//                          reads a line of stdin, until the line came
#include <cstdio>
#include <string>

#include "wasync/stdio.hpp"
#include "wasync/wasip3_host.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

std::string counters() {
  wasip3_host& h = the_wasip3_host();
  return "{\"callbacks\":" + std::to_string(h.callbacks()) + ",\"timer_waits\":" + std::to_string(h.timer_waits()) +
         ",\"timer_cancels\":" + std::to_string(h.timer_cancels()) +
         ",\"events\":" + std::to_string(h.waitables().events()) + ",\"watched\":" + std::to_string(h.watched()) +
         ",\"live_frames\":" + std::to_string(detail::live_frames) + "}";
}

task<int> idle(int ms) {
  co_await sleep(std::chrono::milliseconds(ms));
  say(counters());
  co_return 0;
}

task<int> rearm() {
  auto sleeper = [](time_point when) -> task<void> { co_await sleep_until(when); };
  task_handle<void> last;
  const time_point start = the_wasip3_host().now();
  for (int i = 0; co_await standard_input().read_line(); ++i) {
    auto next = spawn(sleeper(start + 1h - std::chrono::microseconds(i)));
    if (last.valid()) last.cancel();
    last = std::move(next);
    say("ok");
  }
  say(counters());
  last.cancel();
  co_return 0;
}

task<int> stdin_cancel(int n) {
  int timeouts = 0;
  for (int i = 0; i < n; ++i) {
    auto r = co_await as_result(wait_for(standard_input().read_line(), 1ms));
    if (!r && r.error().code() == errc::timeout) ++timeouts;
  }
  say("timeouts " + std::to_string(timeouts) + ", watched " + std::to_string(the_wasip3_host().watched()));
  while (auto line = co_await standard_input().read_line()) say("line " + *line);
  co_return 0;
}

task<int> busy(int n) {
  int yields = 0;
  int got_at = -1;
  auto reader = [&]() -> task<void> {
    co_await standard_input().read_line();
    got_at = yields;
  };
  auto r = spawn(reader());
  for (; got_at < 0 && yields < n; ++yields) co_await yield_now();
  co_await r;
  say(got_at < n ? "line while busy" : "line after " + std::to_string(n) + " yields");
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const int n = argc > 2 ? std::stoi(argv[2]) : 0;
  if (mode == "idle") return run(idle(n)).value_or(1);
  if (mode == "rearm") return run(rearm()).value_or(1);
  if (mode == "stdin_cancel") return run(stdin_cancel(n)).value_or(1);
  if (mode == "busy") return run(busy(n)).value_or(1);
  std::fprintf(stderr, "usage: p3_probe idle MS | rearm | stdin_cancel N | busy N\n");
  return 2;
}
