// gather: run tasks concurrently and collect their values in argument order.
// Unlike asyncio, a failure cancels the siblings and waits for them before the
// first error is reported, so no child outlives the call. gather_settled never
// fails on a child's error: it returns every outcome. Arguments are lazy
// task<T>s (spawned as children) or running task_handle<T>s (adopted: a
// cancelled gather cancels them too, as asyncio's does; their values are
// copied when they can be, since the caller may still read them).
#pragma once

#include <tuple>
#include <utility>
#include <vector>

#include "wasync/detail/child_set.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {
namespace detail {

template <class... T>
task<std::tuple<non_void_t<T>...>> gather_of(child_arg<T>... children) {
  child_set set(child_set::policy::first_error);
  (children.start(set, "gather child"), ...);
  co_await set.join();
  if (set.winner()) co_return set.winner()->result_slot().err;
  co_return std::tuple<non_void_t<T>...>(children.take_value()...);
}

template <class T>
task<std::conditional_t<std::is_void_v<T>, void, std::vector<non_void_t<T>>>> gather_range(
    std::vector<child_arg<T>> children) {
  child_set set(child_set::policy::first_error);
  start_children(set, children, "gather child");
  co_await set.join();
  if constexpr (std::is_void_v<T>) {
    if (set.winner()) co_await fail(set.winner()->result_slot().err);
  } else {
    if (set.winner()) co_return set.winner()->result_slot().err;
    std::vector<T> values;
    values.reserve(children.size());
    for (auto& c : children) values.push_back(c.take_value());
    co_return values;
  }
}

template <class... T>
task<std::tuple<result<T>...>> gather_settled_of(child_arg<T>... children) {
  child_set set(child_set::policy::settled);
  (children.start(set, "gather child"), ...);
  co_await set.join();
  co_return std::tuple<result<T>...>(children.outcome()...);
}

template <class T>
task<std::vector<result<T>>> gather_settled_range(std::vector<child_arg<T>> children) {
  child_set set(child_set::policy::settled);
  start_children(set, children, "gather child");
  co_await set.join();
  std::vector<result<T>> out;
  out.reserve(children.size());
  for (auto& c : children) out.push_back(c.outcome());
  co_return out;
}

}  // namespace detail

/// Values of all tasks as a tuple (void becomes std::monostate), or the first error.
template <class... A>
[[nodiscard]] auto gather(A&&... tasks) {
  return detail::gather_of(detail::to_child(std::forward<A>(tasks))...);
}

/// Values of all tasks (or task handles) in order, or the first error.
template <class A>
[[nodiscard]] auto gather(std::vector<A> tasks) {
  return detail::gather_range(detail::to_children(std::move(tasks)));
}

/// Every task's outcome, in argument order; fails only if the caller is cancelled.
template <class... A>
[[nodiscard]] auto gather_settled(A&&... tasks) {
  return detail::gather_settled_of(detail::to_child(std::forward<A>(tasks))...);
}

template <class A>
[[nodiscard]] auto gather_settled(std::vector<A> tasks) {
  return detail::gather_settled_range(detail::to_children(std::move(tasks)));
}

}  // namespace wasync
