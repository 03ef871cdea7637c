// gather: run tasks concurrently and collect their values in argument order.
// Unlike asyncio, a failure cancels the siblings and waits for them before the
// first error is reported, so no child outlives the call. gather_settled never
// fails on a child's error: it returns every outcome.
#pragma once

#include <tuple>
#include <vector>

#include "wasync/detail/child_set.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// Values of all tasks as a tuple (void becomes std::monostate), or the first error.
template <class... T>
[[nodiscard]] task<std::tuple<detail::non_void_t<T>...>> gather(task<T>... tasks) {
  detail::child_set set(detail::child_set::policy::first_error);
  auto hs = detail::spawn_children(set, "gather child", std::move(tasks)...);
  co_await set.join();
  if (set.winner()) co_return set.winner()->result_slot().err;
  co_return std::apply([](auto&... h) { return std::tuple{detail::take_value(h)...}; }, hs);
}

/// Values of all tasks in order, or the first error.
template <class T>
[[nodiscard]] task<std::conditional_t<std::is_void_v<T>, void, std::vector<detail::non_void_t<T>>>>
gather(std::vector<task<T>> tasks) {
  detail::child_set set(detail::child_set::policy::first_error);
  auto hs = detail::spawn_children(set, tasks, "gather child");
  co_await set.join();
  if constexpr (std::is_void_v<T>) {
    if (set.winner()) co_await fail(set.winner()->result_slot().err);
  } else {
    if (set.winner()) co_return set.winner()->result_slot().err;
    std::vector<T> values;
    values.reserve(hs.size());
    for (auto& h : hs) values.push_back(detail::take_value(h));
    co_return values;
  }
}

/// Every task's outcome, in argument order; fails only if the caller is cancelled.
template <class... T>
[[nodiscard]] task<std::tuple<result<T>...>> gather_settled(task<T>... tasks) {
  detail::child_set set(detail::child_set::policy::settled);
  auto hs = detail::spawn_children(set, "gather child", std::move(tasks)...);
  co_await set.join();
  co_return std::apply([](auto&... h) { return std::tuple{h.result()...}; }, hs);
}

template <class T>
[[nodiscard]] task<std::vector<result<T>>> gather_settled(std::vector<task<T>> tasks) {
  detail::child_set set(detail::child_set::policy::settled);
  auto hs = detail::spawn_children(set, tasks, "gather child");
  co_await set.join();
  std::vector<result<T>> out;
  out.reserve(hs.size());
  for (auto& h : hs) out.push_back(h.result());
  co_return out;
}

}  // namespace wasync
