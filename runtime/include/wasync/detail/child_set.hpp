// Children of a combinator (gather, when_any, task_group), spawned by it or
// handed to it as running tasks, and the one task that joins them. A
// combinator never returns while a child still runs. The set hears of each
// child's end through a node in its waiter list, so a task can be the child
// of several sets (and still be awaited) at once.
#pragma once

#include <cstddef>
#include <list>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/spawn.hpp"

namespace wasync::detail {

template <class T>
using non_void_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

class child_set {
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
  void set_body(task_context& c) noexcept {
    body_ = &c;
    set_owner(nullptr);
  }
  /// A task_group's owner (the task that made it): a failing child cancels it
  /// too, after the children, unless it is already in join() (asyncio cancels
  /// the task that entered the TaskGroup). Its join() takes that back.
  void set_owner(task_context* t) noexcept;
  task_context* owner() const noexcept { return owner_; }
  /// The cancellation the group gave its owner (ok() if none; join() takes it back).
  const error& owner_cancel() const noexcept { return owner_cancel_; }
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
  /// One child: a reference to it and the node in its waiter list.
  struct child : wait_node {
    child_set* set = nullptr;
    task_context* ctx = nullptr;
    bool watching = false;
  };
  void prepare(join_awaiter& a, task_context& joiner) noexcept;
  void task_done(task_context& c) noexcept;
  static void child_finished(wait_node& n) noexcept;
  void compact() noexcept;
  void abort_next_pass() noexcept;
  static task<void> abort_group(child_set* s);

  std::list<child> children_;  // stable: their nodes sit in the children's waiter lists
  std::size_t pending_ = 0;
  std::size_t finished_kept_ = 0;
  wait_node* waiter_ = nullptr;
  task_context* winner_ = nullptr;
  task_context* body_ = nullptr;
  task_context* owner_ = nullptr;
  task_handle<void> abort_task_;  // task_group: reacts to a failure a pass later, as asyncio
  std::vector<error> errors_;
  std::vector<const char*> names_;  // of the children behind errors_
  error joiner_cancelled_;
  error abort_reason_;
  error owner_cancel_;
  bool aborting_ = false;
  policy policy_;
};

/// One argument of a combinator: a lazy task it spawns, or a task already
/// running (a task_handle, moved in or referred to) that it adopts as a child.
template <class T>
struct child_arg {
  task<T> lazy;
  task_handle<T> running;
  bool adopted = false;  ///< the caller may still read the task: values are copied where they can be

  /// Starts (or adopts) the child in `set`.
  void start(child_set& set, const char* name) {
    if (lazy.valid()) running = spawn(std::move(lazy), {.name = name});
    set.add(*running.context());
  }
  task_context* context() const noexcept { return running.context(); }
  /// The value of the finished child; marks it retrieved.
  non_void_t<T> take_value() {
    auto& s = *running.context();
    s.mark_retrieved();
    if constexpr (std::is_void_v<T>) {
      return {};
    } else if constexpr (std::is_copy_constructible_v<T>) {
      if (adopted) return *s.slot.value;
      return std::move(*s.slot.value);
    } else {
      return std::move(*s.slot.value);
    }
  }
  result<T> outcome() { return running.result(); }
};

template <class T>
child_arg<T> to_child(task<T> t) {
  return {std::move(t), {}, false};
}
template <class T>
child_arg<T> to_child(task_handle<T>&& h) {
  return {{}, std::move(h), true};
}
template <class T>
child_arg<T> to_child(task_handle<T>& h) {
  h.context()->add_ref();
  return {{}, task_handle<T>(h.context()), true};
}

template <class A>
struct child_value;
template <class T>
struct child_value<task<T>> {
  using type = T;
};
template <class T>
struct child_value<task_handle<T>> {
  using type = T;
};
/// The value type of a combinator argument (task<T> or task_handle<T>).
template <class A>
using child_value_t = typename child_value<std::remove_cvref_t<A>>::type;

/// Combinator arguments from a range of tasks or task handles, in order.
template <class A>
std::vector<child_arg<child_value_t<A>>> to_children(std::vector<A>&& items) {
  std::vector<child_arg<child_value_t<A>>> out;
  out.reserve(items.size());
  for (auto& a : items) out.push_back(to_child(std::move(a)));
  return out;
}

/// Starts every argument as a child of `set`, in order.
template <class T>
void start_children(child_set& set, std::vector<child_arg<T>>& children, const char* name) {
  for (auto& c : children) c.start(set, name);
}

}  // namespace wasync::detail
