// when_any: the first task to finish wins; the others are cancelled and awaited
// before the winner's value (or error) is returned.
#pragma once

#include <tuple>
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
template <std::size_t I, class V, class... H>
V winner_value(std::tuple<H...>& hs, task_context* w) {
  if constexpr (I == sizeof...(H)) {
    fatal("when_any: winner not among its children");
  } else {
    auto& h = std::get<I>(hs);
    if (h.context() == w) return V(std::in_place_index<I>, take_value(h));
    return winner_value<I + 1, V>(hs, w);
  }
}
}  // namespace detail

/// The first of the tasks to finish, as a variant whose index says which one.
template <class... T>
[[nodiscard]] task<std::variant<detail::non_void_t<T>...>> when_any(task<T>... tasks) {
  static_assert(sizeof...(T) > 0, "when_any needs at least one task");
  using V = std::variant<detail::non_void_t<T>...>;
  detail::child_set set(detail::child_set::policy::first_done);
  auto hs = detail::spawn_children(set, "when_any child", std::move(tasks)...);
  co_await set.join();
  detail::task_context* w = set.winner();
  if (w->result_slot().failed()) co_return w->result_slot().err;
  co_return detail::winner_value<0, V>(hs, w);
}

/// The first of a non-empty range of tasks to finish.
template <class T>
[[nodiscard]] task<any_result<T>> when_any(std::vector<task<T>> tasks) {
  if (tasks.empty()) co_return error(errc::invalid_argument, "when_any of no tasks");
  detail::child_set set(detail::child_set::policy::first_done);
  auto hs = detail::spawn_children(set, tasks, "when_any child");
  co_await set.join();
  detail::task_context* w = set.winner();
  if (w->result_slot().failed()) co_return w->result_slot().err;
  for (std::size_t i = 0; i < hs.size(); ++i)
    if (hs[i].context() == w) co_return any_result<T>{i, detail::take_value(hs[i])};
  co_return error(errc::invalid_state, "when_any: winner not among its children");
}

}  // namespace wasync
