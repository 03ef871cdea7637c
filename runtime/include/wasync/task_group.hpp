// task_group: structured concurrency (Python 3.13's TaskGroup). The first
// failing child cancels its siblings; join() waits for every child and reports
// the failures: the error itself when one child failed, errc::multiple with
// all of them nested when several did.
#pragma once

#include <string>

#include "wasync/detail/child_set.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

class task_group {
 public:
  task_group() noexcept : set_(detail::child_set::policy::group) {}
  /// Children still running are cancelled and left to finish on their own;
  /// their errors then go to the loop's error handler. Prefer join().
  ~task_group() = default;
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;

  /// Starts `t` in the group. Once the group is aborting, the task is cancelled
  /// before its first step.
  template <class T>
  task_handle<T> spawn(task<T> t, spawn_options options = {.name = "group child"}) {
    auto h = wasync::spawn(std::move(t), options);
    set_.add(*h.context());
    return h;
  }

  /// Waits for every child; the group's errors, or errc::cancelled after cancel().
  [[nodiscard]] task<void> join() {
    co_await set_.join();
    const auto& errors = set_.errors();
    if (errors.size() == 1) co_await fail(errors.front());
    if (errors.size() > 1)
      co_await fail(error(errc::multiple, std::to_string(errors.size()) + " tasks failed", errors));
    if (set_.aborting()) co_await fail(set_.abort_reason());
  }

  /// Cancels every child; join() then reports errc::cancelled.
  void cancel(std::string message = "task group cancelled") {
    set_.set_aborting(error(errc::cancelled, std::move(message)));
  }

  std::size_t running() const noexcept { return set_.pending(); }

 private:
  detail::child_set set_;
};

/// Runs `body(group)` as a member of a new group and joins it: a failing child
/// cancels the body too, and the body's failure cancels the children.
template <class F>
[[nodiscard]] task<void> with_task_group(F body) {
  task_group g;
  g.spawn(body(g), {.name = "group body"});
  co_await g.join();
}

}  // namespace wasync
