// task_group: structured concurrency (Python 3.13's TaskGroup). The first
// failing child cancels its siblings, then the task that made the group unless
// it already waits in join(); join() waits for every child and reports the
// failures: the error itself when one child failed, errc::multiple with all of
// them nested when several did. C++ has no async `finally`: a task that leaves
// the group's scope without join() ends with the cancellation, and the group
// reports its children's failures to the loop's error handler instead
// (with_task_group joins on every path).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "wasync/as_result.hpp"
#include "wasync/detail/child_set.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

class task_group {
 public:
  task_group() noexcept : set_(detail::child_set::policy::group) {
    if (event_loop* l = event_loop::current()) set_.set_owner(l->running());
  }
  /// Children still running are cancelled and left to finish on their own;
  /// their errors then go to the loop's error handler. Prefer join().
  ~task_group() = default;
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;

  /// Starts `t` in the group. After join() returned, or while the group shuts
  /// down (a child failed, or cancel()), the task never runs: it ends at once
  /// with errc::invalid_state saying why, outside the group (asyncio raises).
  template <class T>
  task_handle<T> spawn(task<T> t, spawn_options options = {.name = "group child"}) {
    auto h = wasync::spawn(std::move(t), options);
    if (finished_ || set_.aborting()) {
      h.context()->cancel(error(errc::invalid_state, finished_ ? "task_group is finished: spawn() after join()"
                                                              : "task_group is shutting down: spawn() refused"));
      return h;
    }
    set_.add(*h.context());
    return h;
  }

  /// Waits for every child; the group's errors, or errc::cancelled after cancel().
  /// Cancelling the joining task cancels the children and still waits for them;
  /// a child's failure then wins over the cancellation, which stays pending for
  /// the joiner's next await (Python 3.13).
  [[nodiscard]] task<void> join() {
    auto joined = co_await as_result(set_.join());
    finished_ = true;
    std::vector<error> errors = set_.take_errors();
    detail::task_context& self = *detail::loop().running();
    if (!set_.owner_cancel().ok() && &self == set_.owner()) {
      // The group's own cancellation of its owner is taken back: its errors say why.
      self.uncancel();
      if (!joined && joined.error().identical(set_.owner_cancel())) joined = result<void>();
    }
    if (!joined && !errors.empty() && joined.error().identical(self.cancel_reason())) self.cancel(joined.error());
    if (errors.size() == 1) co_await fail(std::move(errors.front()));
    if (errors.size() > 1) {
      const std::size_t n = errors.size();
      co_await fail(error(errc::multiple, std::to_string(n) + " tasks failed", std::move(errors)));
    }
    if (!joined) co_await fail(joined.error());
    if (set_.aborting()) co_await fail(set_.abort_reason());
  }

  /// Cancels every child; join() then reports errc::cancelled.
  void cancel(std::string message = "task group cancelled") {
    set_.set_aborting(error(errc::cancelled, std::move(message)));
  }

  std::size_t running() const noexcept { return set_.pending(); }

 private:
  template <class F>
  friend task<void> with_task_group(F body);
  detail::child_set set_;
  bool finished_ = false;
};

/// Runs `body(group)` as a member of a new group and joins it: a failing child
/// cancels the other children, then the body; the body's failure cancels the children.
template <class F>
[[nodiscard]] task<void> with_task_group(F body) {
  task_group g;
  auto h = g.spawn(body(g), {.name = "group body"});
  g.set_.set_body(*h.context());
  co_await g.join();
}

}  // namespace wasync
