// WASI 0.3 host: the loop inside the run export's callbacks, one host wait
// for the earliest timer, and the program's end.
#include "wasync/wasip3_host.hpp"

#include <algorithm>
#include <cstdio>

#include "stdio_streams.hpp"
#include "task_waits.hpp"
#include "wasip3.h"
#include "wasync/detail/main_task.hpp"
#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/run.hpp"
#include "wasync/spawn.hpp"

extern "C" {
// The run export (run_export.c).
int wasync_wasip3_can_hand_off(void);
[[noreturn]] void wasync_wasip3_hand_off(void);
}

namespace wasync {
namespace {

// Blocking hosts poll for I/O between turns this often while work is ready
// (event_loop.cpp). Here the callback returns YIELD instead: wasmtime moves
// the host's side of pending operations (a stream's bytes) only while the
// guest is out, and the next callback takes the events that came.
constexpr unsigned poll_interval = 61;

detail::task_context* running_main = nullptr;  // main, while it runs
bool program_over = false;
bool deadlock_told = false;  // main was cancelled because nothing could wake it
int exit_status = 0;

task<void> run_program(task<int> main) {
  const int status = co_await detail::main_task(std::move(main), running_main);
  co_await detail::drain_standard_streams();
  exit_status = status;
  program_over = true;
}

}  // namespace

wasip3_host& the_wasip3_host() {
  static wasip3_host h;
  return h;
}

event_loop& the_wasip3_loop() {
  static event_loop l(the_wasip3_host());
  return l;
}

// The loop exists from start-up, so spawn() works anywhere, main() included.
[[maybe_unused]] static event_loop& wasip3_loop_at_startup = the_wasip3_loop();

wasip3_host::wasip3_host() { detail::install_stderr_writer(&detail::stderr_write_now); }

wasip3_host::~wasip3_host() { detail::install_stderr_writer(nullptr); }

time_point wasip3_host::now() noexcept {
  return time_point(duration(static_cast<std::int64_t>(wasi_clocks_monotonic_clock_now())));
}

void wasip3_host::run_main(task<int>& main) {
  if (!wasync_wasip3_can_hand_off())
    detail::fatal("run(main) on the WASI 0.3 host: call it from main(), which the component's wasi:cli/run export runs");
  spawn(run_program(std::move(main)), {.name = "program"});
  wasync_wasip3_hand_off();
}

std::uint32_t wasip3_host::resume_after_handoff() noexcept { return drive(); }

std::uint32_t wasip3_host::on_callback(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) noexcept {
  take_event(event, waitable, code);
  return drive();
}

void wasip3_host::take_event(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) noexcept {
  ++callbacks_;
  if (event != static_cast<std::uint32_t>(waitable_event::none)) {
    waitables_.dispatch(static_cast<waitable_event>(event), waitable, code);
    return;
  }
  // After a YIELD: the events that came meanwhile, without waiting.
  for (;;) {
    wasip3_event_t ev;
    wasip3_waitable_set_poll(waitables_.set(), &ev);
    if (ev.event == WASIP3_EVENT_NONE) break;
    waitables_.dispatch(static_cast<waitable_event>(ev.event), ev.waitable, ev.code);
  }
}

bool wasip3_host::run_turns() noexcept {
  event_loop& l = the_wasip3_loop();
  unsigned turns = 0;
  for (;;) {
    const turn_result r = l.run_turn();
    if (r.has_ready) {
      if (++turns % poll_interval == 0 && waitables_.watched() != 0) return true;
      continue;
    }
    if (r.next_deadline && !arm_timer(*r.next_deadline)) continue;  // due already
    return false;
  }
}

std::size_t wasip3_host::watched() const noexcept { return detail::task_waits; }

void wasip3_host::settle_after_main() noexcept {
  while (detail::standard_streams_busy()) {
    wasip3_event_t ev;
    wasip3_waitable_set_wait(waitables_.set(), &ev);
    waitables_.dispatch(static_cast<waitable_event>(ev.event), ev.waitable, ev.code);
  }
  finish();
}

std::uint32_t wasip3_host::drive() noexcept {
  event_loop& l = the_wasip3_loop();
  unsigned turns = 0;
  for (;;) {
    const turn_result r = l.run_turn();
    if (r.has_ready) {
      // Busy tasks must not starve I/O.
      if (++turns % poll_interval == 0 && waitables_.watched() != 0) return WASIP3_CALLBACK_CODE_YIELD;
      continue;
    }
    if (program_over) return finish();
    if (r.next_deadline && !arm_timer(*r.next_deadline)) continue;  // due already
    if (watched() == 0 && !r.next_deadline) {
      // Nothing can ever wake the loop (a WAIT now would hang the component forever).
      if (running_main && !deadlock_told) {
        deadlock_told = true;
        running_main->cancel(error(errc::deadlock, "the main task waits on nothing that can wake it"));
        continue;
      }
      std::fprintf(stderr, "wasync: %s\n",
                   running_main ? "the main task waits on nothing that can wake it, even once cancelled"
                                : "tasks left by main wait on nothing that can wake them");
      exit_status = 1;
      return finish();
    }
    return WASIP3_CALLBACK_CODE_WAIT(waitables_.set());
  }
}

bool wasip3_host::arm_timer(time_point deadline) noexcept {
  // A wait as early is running: it wakes the loop, whose next turn re-arms
  // for what is then the earliest deadline.
  if (timer_subtask_ != 0 && armed_ <= deadline) return true;
  disarm_timer();
  const auto mark = static_cast<std::uint64_t>(std::max<std::int64_t>(deadline.time_since_epoch().count(), 0));
  const wasip3_subtask_status_t st = wasi_clocks_monotonic_clock_wait_until(mark);
  ++timer_waits_;
  if (WASIP3_SUBTASK_STATE(st) == WASIP3_SUBTASK_RETURNED) return false;
  timer_subtask_ = WASIP3_SUBTASK_HANDLE(st);
  armed_ = deadline;
  (void)waitables_.watch(timer_subtask_, *this);  // a fresh subtask: nobody else watches it
  return true;
}

void wasip3_host::disarm_timer() noexcept {
  if (timer_subtask_ == 0) return;
  waitables_.leave(timer_subtask_);  // a subtask in a set cannot be cancelled
  // RETURNED_CANCELLED, or RETURNED when it ended before its event came.
  (void)wasip3_subtask_cancel(timer_subtask_);
  wasip3_subtask_drop(timer_subtask_);
  waitables_.forget(timer_subtask_);
  ++timer_cancels_;
  timer_subtask_ = 0;
  armed_ = time_point::max();
}

void wasip3_host::on_event(waitable_event, std::uint32_t code) noexcept {
  if (WASIP3_SUBTASK_STATE(code) < WASIP3_SUBTASK_RETURNED) {  // only started: wait on
    (void)waitables_.watch(timer_subtask_, *this);
    return;
  }
  wasip3_subtask_drop(timer_subtask_);
  waitables_.forget(timer_subtask_);
  timer_subtask_ = 0;
  armed_ = time_point::max();
}

std::uint32_t wasip3_host::finish() noexcept {
  disarm_timer();
  detail::close_standard_streams();
  waitables_.close();
  return WASIP3_CALLBACK_CODE_EXIT;
}

driver& default_host() { return the_wasip3_host(); }

}  // namespace wasync

extern "C" {
std::uint32_t wasync_wasip3_resume(void) { return wasync::the_wasip3_host().resume_after_handoff(); }
std::uint32_t wasync_wasip3_event(std::uint32_t event, std::uint32_t waitable, std::uint32_t code) {
  return wasync::the_wasip3_host().on_callback(event, waitable, code);
}
int wasync_wasip3_exit_status(void) { return wasync::exit_status; }
void wasync_wasip3_main_returned(void) { wasync::the_wasip3_host().settle_after_main(); }
}
