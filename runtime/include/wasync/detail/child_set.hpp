// Children spawned by a combinator (gather, when_any, task_group) and the one
// task that joins them. A combinator never returns while a child still runs.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>
#include <type_traits>
#include <variant>
#include <vector>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/spawn.hpp"

namespace wasync::detail {

template <class T>
using non_void_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

class child_set final : completion_hook {
 public:
  enum class policy : std::uint8_t {
    first_error,  ///< gather: the first failure cancels the others
    first_done,   ///< when_any: the first to finish cancels the others
    settled,      ///< gather_settled: nobody is cancelled
    group,        ///< task_group: failures are collected and cancel the others
  };

  explicit child_set(policy p) noexcept : policy_(p) {}
  ~child_set();
  child_set(const child_set&) = delete;
  child_set& operator=(const child_set&) = delete;

  void add(task_context& c);
  /// with_task_group's body: cancelled after the other children, as asyncio
  /// cancels a TaskGroup's children before its parent task.
  void set_body(task_context& c) noexcept { body_ = &c; }
  /// Cancels every child still running (the set keeps waiting for them).
  void cancel_all(const error& why) noexcept;
  /// Stops watching the children: they keep running, cancelled, on their own.
  void abandon() noexcept;

  std::size_t pending() const noexcept { return pending_; }
  /// gather: the first child that failed; when_any: the first that finished.
  task_context* winner() const noexcept { return winner_; }
  /// task_group: the errors, in the order they happened. Taking them makes
  /// the caller responsible for reporting; otherwise the set reports them
  /// when it goes away.
  std::vector<error> take_errors() noexcept {
    names_.clear();
    return std::exchange(errors_, {});
  }
  bool aborting() const noexcept { return aborting_; }
  void set_aborting(error why) noexcept;
  const error& abort_reason() const noexcept { return abort_reason_; }

  struct join_awaiter : leaf_awaiter {
    child_set* set;
    explicit join_awaiter(child_set& s) noexcept : set(&s) {}
    bool await_ready() const noexcept { return set->pending_ == 0; }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
      set->prepare(*this, *h.promise().ctx);
      if (auto next = suspend(h)) return next;
      set->waiter_ = this;
      return coro::noop_coroutine();
    }
    result<void> resume_result() { return err; }
    void await_resume() { unwrap(resume_result()); }
  };
  /// Waits until every child finished. If the joining task is cancelled meanwhile,
  /// the children are cancelled, awaited, and then the cancellation is reported.
  join_awaiter join() noexcept { return join_awaiter(*this); }

 private:
  void prepare(join_awaiter& a, task_context& joiner) noexcept;
  void task_done(task_context& c) noexcept override;
  void compact() noexcept;
  void abort_next_pass() noexcept;

  std::vector<task_context*> children_;  // one reference each
  std::size_t pending_ = 0;
  std::size_t finished_in_vector_ = 0;
  wait_node* waiter_ = nullptr;
  task_context* winner_ = nullptr;
  task_context* body_ = nullptr;
  task_handle<void> abort_task_;  // task_group: reacts to a failure a pass later, as asyncio
  std::vector<error> errors_;
  std::vector<const char*> names_;  // of the children behind errors_
  error joiner_cancelled_;
  error abort_reason_;
  bool aborting_ = false;
  policy policy_;
};

/// Spawns every task of a range as a child of `set`, in order.
template <class T>
std::vector<task_handle<T>> spawn_children(child_set& set, std::vector<task<T>>& tasks, const char* name) {
  std::vector<task_handle<T>> hs;
  hs.reserve(tasks.size());
  for (auto& t : tasks) {
    hs.push_back(spawn(std::move(t), {.name = name}));
    set.add(*hs.back().context());
  }
  tasks.clear();
  return hs;
}

/// Spawns each task as a child of `set`, in argument order.
template <class... T>
std::tuple<task_handle<T>...> spawn_children(child_set& set, const char* name, task<T>... tasks) {
  std::tuple<task_handle<T>...> hs{spawn(std::move(tasks), {.name = name})...};
  std::apply([&](auto&... h) { (set.add(*h.context()), ...); }, hs);
  return hs;
}

/// The value of a finished child, moved out; marks it retrieved.
template <class T>
non_void_t<T> take_value(task_handle<T>& h) {
  h.context()->retrieved = true;
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*h.context()->slot.value);
  }
}

}  // namespace wasync::detail
