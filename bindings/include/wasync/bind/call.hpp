// What generated glue calls: start an async call (a task whose outcome
// settles the JS Promise) or answer a sync one. JS knows a call by the id its
// wrapper chose; C++ settles it through the import wasync_bind_settle.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <type_traits>
#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/bind/codec.hpp"
#include "wasync/config.hpp"
#include "wasync/detail/outcome.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

/// Declares a function JS calls (exported from the wasm module).
#define WASYNC_BIND_ABI extern "C" __attribute__((used))

namespace wasync::bind {

/// Flags a JS wrapper passes with an async call.
enum call_flags : std::int32_t {
  cancellable = 1,  ///< JS passed an AbortSignal: the call can be cancelled by id
  owned_args = 2,   ///< the argument buffer was allocated for this call; free it when the task ends
};

/// How a call ended, as JS reads it.
enum class reply_status : std::uint32_t { ok = 0, failed = 1 };

/// A sync call's answer, read by JS at the returned address.
struct reply {
  reply_status status;
  std::uint32_t data;  ///< address of the encoded value (ok) or of code + message (failed)
  std::uint32_t size;
};

namespace detail {

/// Keeps a sync result alive until JS has read it (released by JS right after).
struct kept {
  virtual ~kept() = default;
};
template <class T>
struct kept_value final : kept {
  T value;
  explicit kept_value(T v) : value(std::move(v)) {}
};

writer& result_writer() noexcept;
/// The answer to a sync call; `held` stays alive until JS releases it.
const reply* answer(reply_status status, std::unique_ptr<kept> held);
const reply* answer_error(const error& e);
void settle(std::int32_t call, reply_status status);
void settle_error(std::int32_t call, const error& e);
void track(std::int32_t call, task_handle<void> handle);
void untrack(std::int32_t call) noexcept;

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<result<T>> : std::true_type {};

template <class T>
const reply* answer_value(T value) {
  auto held = std::make_unique<kept_value<T>>(std::move(value));
  writer& w = result_writer();
  w.clear();
  w.add(held->value);
  return answer(reply_status::ok, std::move(held));
}

template <class R>
const reply* answer_with(R&& r) {
  using T = std::remove_cvref_t<R>;
  if constexpr (is_result<T>::value) {
    if (!r) return answer_error(r.error());
    if constexpr (std::is_void_v<typename T::value_type>) {
      result_writer().clear();
      return answer(reply_status::ok, nullptr);
    } else {
      return answer_value(std::move(*r));
    }
  } else {
    return answer_value(std::forward<R>(r));
  }
}

template <class T>
task<void> run_call(std::int32_t call, std::int32_t flags, void* args, task<T> work) {
  auto r = co_await as_result(std::move(work));
  if (flags & cancellable) untrack(call);
  if (!r) {
    settle_error(call, r.error());
  } else {
    writer& w = result_writer();
    w.clear();
    if constexpr (!std::is_void_v<T>) w.add(*r);
    settle(call, reply_status::ok);
  }
  if (flags & owned_args) std::free(args);
}

}  // namespace detail

/// Answers a sync call: runs `f` (which calls the user's function) and encodes
/// its value, its result<T>'s error, or (with exceptions) what it threw.
template <class F>
const reply* call_sync(F&& f) {
  using R = std::invoke_result_t<F>;
#if WASYNC_EXCEPTIONS
  try {
#endif
    if constexpr (std::is_void_v<R>) {
      std::forward<F>(f)();
      detail::result_writer().clear();
      return detail::answer(reply_status::ok, nullptr);
    } else {
      return detail::answer_with(std::forward<F>(f)());
    }
#if WASYNC_EXCEPTIONS
  } catch (...) {
    wasync::detail::outcome_base caught;
    caught.set_current_exception();
    return detail::answer_error(caught.err);
  }
#endif
}

/// Answers a sync call whose arguments did not decode.
inline const reply* reject_sync(const error& e) { return detail::answer_error(e); }

/// Starts an async call: `work` runs as a task; its outcome settles JS's call
/// `call`. With `cancellable`, JS may cancel it by id; with `owned_args`, the
/// argument buffer (which views in the arguments point into) is freed at the end.
template <class T>
void start_call(std::int32_t call, std::int32_t flags, void* args, task<T> work) {
  auto handle = spawn(detail::run_call(call, flags, args, std::move(work)), {.name = "JS call"});
  if (flags & cancellable) detail::track(call, std::move(handle));
}

/// Settles an async call whose arguments did not decode.
inline void reject_call(std::int32_t call, std::int32_t flags, void* args, const error& e) {
  detail::settle_error(call, e);
  if (flags & owned_args) std::free(args);
}

}  // namespace wasync::bind
