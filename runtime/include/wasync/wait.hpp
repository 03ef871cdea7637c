// wait(tasks, return_when) and as_completed(tasks): watch spawned tasks
// without cancelling them (asyncio.wait and asyncio.as_completed). gather and
// when_any keep their cancelling semantics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "wasync/async_generator.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/detail/timer_heap.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// When wait() returns (asyncio.FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
enum class return_when : std::uint8_t {
  first_completed,  ///< as soon as any task finished
  first_exception,  ///< as soon as any task failed (a cancellation is not a failure), or all finished
  all_completed,    ///< when every task finished
};

/// What wait() saw: the tasks that finished, in the order they finished (those
/// finished already first, in the order given), and the others, in the order given.
template <class T>
struct wait_outcome {
  std::vector<task_handle<T>> done;
  std::vector<task_handle<T>> pending;
};

namespace detail {

/// Watches several tasks from one awaiting task: a node in each task's waiter
/// list reports its finish here; the awaiter wakes once the condition holds,
/// the deadline passes, or it is cancelled. Nothing is retrieved or cancelled.
class task_watch : timer_node {
 public:
  task_watch(const std::vector<task_context*>& targets, return_when when, std::optional<time_point> deadline);
  ~task_watch();
  task_watch(const task_watch&) = delete;
  task_watch& operator=(const task_watch&) = delete;

  struct awaiter : leaf_awaiter {
    task_watch* w;
    explicit awaiter(task_watch& t) noexcept : w(&t) {}
    bool await_ready() const noexcept { return w->satisfied() || w->timed_out_; }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
      what = "wait";
      on_cancel = &task_watch::cancelled;
      if (auto next = suspend(h)) return next;
      w->parked_ = this;
      return coro::noop_coroutine();
    }
    result<void> resume_result() { return err; }
    void await_resume() { unwrap(resume_result()); }
  };
  [[nodiscard]] awaiter until_done() noexcept { return awaiter(*this); }
  /// Indices of the finished targets, in the order they finished.
  const std::vector<std::size_t>& finished() const noexcept { return finished_; }

 private:
  struct watch_node : wait_node {
    task_watch* owner = nullptr;
    std::size_t index = 0;
    task_context* target = nullptr;
    bool attached = false;
  };
  bool satisfied() const noexcept;
  void wake() noexcept;
  void detach_all() noexcept;
  static void finished_one(wait_node& n) noexcept;
  static void cancelled(wait_node& n, error why) noexcept;

  std::vector<watch_node> nodes_;
  std::vector<std::size_t> finished_;
  return_when when_;
  bool failed_ = false;  ///< a finished target failed (first_exception)
  bool timed_out_ = false;
  awaiter* parked_ = nullptr;
};

}  // namespace detail

/// Waits for `tasks` (non-empty) until `when` holds or `timeout` passes, and
/// splits them into done and pending. Nothing is cancelled, nothing retrieved:
/// await the done ones (or call result()) for their outcomes. Fails only with
/// the caller's own cancellation, or errc::invalid_argument for no tasks.
template <class T>
[[nodiscard]] task<wait_outcome<T>> wait(std::vector<task_handle<T>> tasks, return_when when = return_when::all_completed,
                                         std::optional<duration> timeout = std::nullopt) {
  if (tasks.empty()) co_await fail(errc::invalid_argument, "wait() of no tasks");
  std::vector<detail::task_context*> targets;
  targets.reserve(tasks.size());
  for (auto& h : tasks) targets.push_back(h.context());
  std::optional<time_point> deadline;
  if (timeout) deadline = detail::deadline_after(detail::loop().now(), *timeout);
  detail::task_watch watch(targets, when, deadline);
  co_await watch.until_done();
  wait_outcome<T> out;
  std::vector<bool> done(tasks.size());
  for (std::size_t i : watch.finished()) {
    done[i] = true;
    out.done.push_back(std::move(tasks[i]));
  }
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (!done[i]) out.pending.push_back(std::move(tasks[i]));
  co_return out;
}

/// Yields the tasks in the order they finish (asyncio.as_completed); await each
/// for its outcome. When `timeout` passes first, the generator fails with
/// errc::timeout; the tasks still running are left running.
template <class T>
[[nodiscard]] async_generator<task_handle<T>> as_completed(std::vector<task_handle<T>> tasks,
                                                           std::optional<duration> timeout = std::nullopt) {
  std::optional<time_point> deadline;
  if (timeout) deadline = detail::deadline_after(detail::loop().now(), *timeout);
  while (!tasks.empty()) {
    std::optional<duration> left;
    if (deadline) left = *deadline - detail::loop().now();
    auto step = co_await wait(std::move(tasks), return_when::first_completed, left);
    if (step.done.empty()) co_await fail(errc::timeout, "as_completed: deadline exceeded");
    tasks = std::move(step.pending);
    for (auto& h : step.done) co_yield std::move(h);
  }
}

}  // namespace wasync
