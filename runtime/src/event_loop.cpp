// The loop: turns of ready tasks and due timers; parking is the host's job.
#include "wasync/event_loop.hpp"

#include <charconv>
#include <chrono>
#include <ostream>
#include <string>

#include "wasync/detail/report_sink.hpp"

namespace wasync {
namespace {
thread_local event_loop* current_loop = nullptr;

const char* state_name(detail::task_context::state s) {
  switch (s) {
    case detail::task_context::state::ready: return "ready";
    case detail::task_context::state::running: return "running";
    case detail::task_context::state::waiting: return "waiting";
    case detail::task_context::state::done: return "done";
  }
  return "?";
}

// Blocking hosts are polled for I/O between turns at least this often while
// work is ready, so a busy loop cannot starve sockets (tokio's event_interval).
constexpr unsigned poll_interval = 61;
}  // namespace

event_loop::event_loop(wasync::driver& d, loop_options options)
    : driver_(d), options_(options), previous_(current_loop) {
  current_loop = this;
}

event_loop::~event_loop() { current_loop = previous_; }

event_loop* event_loop::current() noexcept { return current_loop; }

void event_loop::schedule(detail::task_context& t) noexcept {
  t.next_ready_ = nullptr;
  *ready_tail_ = &t;
  ready_tail_ = &t.next_ready_;
  if (!in_turn_ && !notified_) {
    notified_ = true;
    driver_.unpark();
  }
}

void event_loop::add_timer(detail::timer_node& t, time_point deadline) {
  t.deadline = deadline;
  t.seq = timer_seq_++;
  timers_.push(t);
  if (!in_turn_ && !notified_) {
    notified_ = true;
    driver_.unpark();
  }
}

void event_loop::remove_timer(detail::timer_node& t) noexcept {
  if (t.armed()) timers_.remove(t);
}

void event_loop::adopt(detail::task_context& t) noexcept {
  link_live(t);
  schedule(t);
}

void event_loop::link_live(detail::task_context& t) noexcept {
  t.loop_ = this;
  t.next_live_ = live_head_;
  if (live_head_) live_head_->prev_live_ = &t;
  live_head_ = &t;
  ++live_count_;
  observe(task_event_kind::spawned, t);
}

void event_loop::start_now(detail::task_context& t) {
  if (in_turn_ || running_) {
    adopt(t);
    return;
  }
  link_live(t);
  const std::uint64_t timers_before = timer_seq_;
  // As in a turn: what the step readies waits for the host's next drain.
  in_turn_ = true;
  run_step(t);
  in_turn_ = false;
  // A timer set may be due before the host wakes (one removed only makes the
  // host wake for nothing, and look again).
  if (!notified_ && (ready_head_ != nullptr || timer_seq_ != timers_before)) {
    notified_ = true;
    driver_.unpark();
  }
}

void detail::adopt(detail::task_context& t) noexcept { detail::loop().adopt(t); }

void event_loop::forget(detail::task_context& t) noexcept {
  if (t.prev_live_) t.prev_live_->next_live_ = t.next_live_;
  else live_head_ = t.next_live_;
  if (t.next_live_) t.next_live_->prev_live_ = t.prev_live_;
  t.prev_live_ = t.next_live_ = nullptr;
  --live_count_;
}

turn_result event_loop::run_turn(time_point yield_at) {
  in_turn_ = true;
  notified_ = false;
  if (!timers_.empty()) {
    const time_point now = driver_.now();
    while (!timers_.empty() && timers_.top().deadline <= now) {
      detail::timer_node& t = timers_.pop();
      t.fire(t);
    }
  }
  // Only what is ready now runs in this turn; what it readies waits for the next.
  detail::task_context* batch = ready_head_;
  ready_head_ = nullptr;
  ready_tail_ = &ready_head_;
  std::size_t steps = 0;
  const bool timed = yield_at != time_point::max();
  while (batch) {
    // The clock is read every few steps: on the web it is a call out to JS.
    const bool out_of_time = timed && steps % 4 == 0 && steps > 0 && driver_.now() >= yield_at;
    if ((options_.step_budget && steps == options_.step_budget) || out_of_time) {
      detail::task_context** tail = &batch;
      while (*tail) tail = &(*tail)->next_ready_;
      *tail = ready_head_;
      if (!ready_head_) ready_tail_ = tail;
      ready_head_ = batch;
      break;
    }
    detail::task_context* t = batch;
    batch = t->next_ready_;
    run_step(*t);
    ++steps;
  }
  in_turn_ = false;
  turn_result r;
  r.has_ready = ready_head_ != nullptr;
  if (!timers_.empty()) r.next_deadline = timers_.top().deadline;
  return r;
}

void event_loop::run_step(detail::task_context& t) {
  using detail::task_context;
  running_ = &t;
  t.st_ = task_context::state::running;
  // Told before unwinding below: without exceptions, that may finish the task at once.
  observe(task_event_kind::resumed, t);
  detail::coro::coroutine_handle<> next;
  if (!t.started_) {
    t.started_ = true;
    next = t.must_deliver_ ? step_with_error(t, nullptr) : t.first_;
  } else {
    detail::wait_node* n = t.node_;
    next = t.must_deliver_ || !n->err.ok() ? step_with_error(t, n) : n->frame;
  }
  if (options_.slow_step_threshold.count() > 0) resume_timed(t.name_, next);
  else detail::resume_flat(next);
  running_ = nullptr;
}

detail::coro::coroutine_handle<> event_loop::step_with_error(detail::task_context& t, detail::wait_node* n) noexcept {
  // Cancelled before its first step: the body never runs. The root frame is
  // destroyed as unwind() would (no awaiter above it, no timeout scope yet).
  if (!n) {
    error e = t.take_cancel();
    detail::coro::coroutine_handle<> first = t.first_;
    t.unwinding_ = true;
    first.destroy();
    t.unwinding_ = false;
    t.out_->set_error(std::move(e));
    return t.finish();
  }
  if (t.must_deliver_ && n->cancel_after_completion) n->err = t.take_cancel();
  if (!n->err.ok() && !n->capture && !exceptions_enabled) {
    error e = std::move(n->err);
    return detail::unwind(n->promise, n->frame, std::move(e));
  }
  return n->frame;
}

void event_loop::resume_timed(const char* name, detail::coro::coroutine_handle<> next) {
  const time_point begin = driver_.now();
  detail::resume_flat(next);
  const duration took = driver_.now() - begin;
  if (took > options_.slow_step_threshold) {
    // Milliseconds with three decimals, formatted without printf (a program
    // that formats nothing links none: several KB of wasm).
    const auto us = static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
    char ms[24];
    char* end = std::to_chars(ms, ms + sizeof ms, us / 1000).ptr;
    const unsigned frac = static_cast<unsigned>(us % 1000);
    *end++ = '.';
    *end++ = static_cast<char>('0' + frac / 100);
    *end++ = static_cast<char>('0' + frac / 10 % 10);
    *end++ = static_cast<char>('0' + frac % 10);
    report_debug(std::string("slow step: task '").append(name).append("' ran ").append(ms, end).append(" ms without yielding"));
  }
}

void event_loop::tell_observer(task_event_kind kind, const detail::task_context& t, const char* waiting_on,
                               const error* outcome) const {
  observer_({.kind = kind, .task = &t, .name = t.name_, .waiting_on = waiting_on, .outcome = outcome});
}

bool event_loop::run_until_done(detail::task_context& t) {
  unsigned until_poll = poll_interval;  // a countdown: no division per turn
  while (!t.done()) {
    const turn_result r = run_turn();
    if (t.done()) break;
    if (r.has_ready) {
      if (--until_poll == 0) {
        until_poll = poll_interval;
        driver_.park(time_point::min());
      }
      continue;
    }
    if (!driver_.park(r.next_deadline)) return false;
  }
  return true;
}

void event_loop::shutdown() {
  begin_shutdown();
  // Tasks that swallow cancellation get asked again, a bounded number of times.
  for (int round = 0; live_count_ > 0 && round < 100; ++round) {
    for (detail::task_context* t = live_head_; t; t = t->next_live_)
      t->cancel(error(errc::cancelled, "event loop shutting down"));
    while (live_count_ > 0) {
      const turn_result r = run_turn();
      if (r.has_ready) continue;
      if (live_count_ == 0 || !driver_.park(r.next_deadline)) break;
    }
  }
  // What is left waits on tasks that wait on it, or swallows every cancellation.
  for (detail::task_context* t = live_head_; t; t = t->next_live_)
    report_unretrieved(error(errc::deadlock, "the task never finished: cancelled 100 times at shutdown"),
                       task_info{t->name_, t->st_ == detail::task_context::state::waiting && t->node_ ? t->node_->what : nullptr,
                                 report_kind::shutdown});
}

std::vector<detail::task_context*> event_loop::other_live_tasks(const detail::task_context* except) {
  std::vector<detail::task_context*> out;
  out.reserve(live_count_);
  for (detail::task_context* t = live_head_; t; t = t->next_live_) {
    if (t == except) continue;
    t->add_ref();
    out.push_back(t);
  }
  return out;
}

void event_loop::dump_tasks(std::ostream& out) const {
  for (detail::task_context* t = live_head_; t; t = t->next_live_) {
    out << t->name_ << ": " << (t->started_ ? state_name(t->st_) : "not started");
    if (t->st_ == detail::task_context::state::waiting && t->node_) out << " on " << t->node_->what;
    out << '\n';
  }
}

namespace {
std::string report_text(const error& e, const task_info& info) {
  switch (info.kind) {
    case report_kind::callback: return std::string("wasync: error in callback '") + info.name + "': " + e.describe();
    case report_kind::shutdown:
      return std::string("wasync: error in task '") + info.name + "' while shutting down: " + e.describe();
    case report_kind::never_retrieved: break;
  }
  return std::string("wasync: error in task '") + info.name + "' was never retrieved: " + e.describe();
}
}  // namespace

void event_loop::report_unretrieved(const error& e, const task_info& info) {
  task_info told = info;
  if (shutting_down_ && told.kind == report_kind::never_retrieved) told.kind = report_kind::shutdown;
  if (on_error_) {
    on_error_(e, told);
    return;
  }
  detail::report_line(report_text(e, told));
}

void event_loop::report_debug(std::string_view line) {
  if (on_debug_) on_debug_(std::string(line));
  else detail::report_line(std::string("wasync: ").append(line));
}

namespace detail {
event_loop& loop() noexcept {
  if (!current_loop) fatal("no wasync event loop is running on this thread");
  return *current_loop;
}

void report_unretrieved(const error& e, const task_info& info) {
  if (current_loop) {
    current_loop->report_unretrieved(e, info);
    return;
  }
  report_line(report_text(e, info));
}
}  // namespace detail

}  // namespace wasync
