// when_any: the first task to finish wins; the others are cancelled and awaited
// before the winner's value (or error) is returned. Arguments are lazy
// task<T>s or running task_handle<T>s, as for gather.
#pragma once

#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "wasync/detail/child_set.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// The first finisher among a range: its position and its value.
template <class T>
struct any_result {
  std::size_t index;
  detail::non_void_t<T> value;
};

namespace detail {
template <std::size_t I, class V, class... C>
V winner_value(std::tuple<C&...> cs, task_context* w) {
  if constexpr (I == sizeof...(C)) {
    fatal("when_any: winner not among its children");
  } else {
    auto& c = std::get<I>(cs);
    if (c.context() == w) return V(std::in_place_index<I>, c.take_value());
    return winner_value<I + 1, V>(cs, w);
  }
}

template <class... T>
task<std::variant<non_void_t<T>...>> when_any_of(child_arg<T>... children) {
  static_assert(sizeof...(T) > 0, "when_any needs at least one task");
  child_set set(child_set::policy::first_done);
  (children.start(set, "when_any child"), ...);
  co_await set.join();
  task_context* w = set.winner();
  if (w->result_slot().failed()) co_return w->result_slot().err;
  co_return winner_value<0, std::variant<non_void_t<T>...>>(std::tie(children...), w);
}

template <class T>
task<any_result<T>> when_any_range(std::vector<child_arg<T>> children) {
  if (children.empty()) co_return error(errc::invalid_argument, "when_any of no tasks");
  child_set set(child_set::policy::first_done);
  start_children(set, children, "when_any child");
  co_await set.join();
  task_context* w = set.winner();
  if (w->result_slot().failed()) co_return w->result_slot().err;
  for (std::size_t i = 0; i < children.size(); ++i)
    if (children[i].context() == w) co_return any_result<T>{i, children[i].take_value()};
  co_return error(errc::invalid_state, "when_any: winner not among its children");
}
}  // namespace detail

/// The first of the tasks to finish, as a variant whose index says which one.
template <class... A>
[[nodiscard]] auto when_any(A&&... tasks) {
  return detail::when_any_of(detail::to_child(std::forward<A>(tasks))...);
}

/// The first of a non-empty range of tasks (or task handles) to finish.
template <class A>
[[nodiscard]] auto when_any(std::vector<A> tasks) {
  return detail::when_any_range(detail::to_children(std::move(tasks)));
}

}  // namespace wasync
