// What generated glue calls: answer a sync call, or start an async one. An
// async call's task runs at once, until it first suspends (as a JS async
// function runs until its first await): one that finishes then is answered
// on the spot, like a sync call; otherwise the answer is `pending` with the
// call's op id in the web host's JS operations (a js_call), by which JS
// aborts it and C++ settles its Promise.
//
// Every glue function returns a double: a result JS holds as a number (void,
// bool, int32, uint32, double) is that number itself, so the common answer
// costs JS no read of wasm memory; NaN means "read the reply" (js_reply:
// another type, an error, a pending call, or a double that is NaN).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

#include "wasync/bind/codec.hpp"
#include "wasync/config.hpp"
#include "wasync/detail/js_call.hpp"
#include "wasync/detail/outcome.hpp"
#include "wasync/spawn.hpp"
#include "wasync/task.hpp"

/// Declares a function JS calls (exported from the wasm module).
#define WASYNC_BIND_ABI extern "C" __attribute__((used))

namespace wasync::bind {

/// How a call ended, as JS reads it (layout and values: web/bridge/constants.json).
using reply_status = wasync::detail::js_reply_status;
/// A call's answer, read by JS at the returned address.
using reply = wasync::detail::js_reply;

namespace detail {

/// Keeps a call's result alive until JS has read it (released by JS right after).
struct kept {
  virtual ~kept() = default;
};
template <class T>
struct kept_value final : kept {
  T value;
  explicit kept_value(T v) : value(std::move(v)) {}
};

writer& result_writer() noexcept;
/// The answer to a call; `held` (and the finished `task` whose value the
/// answer points into) stay alive until JS releases them.
void answer(reply_status status, std::unique_ptr<kept> held, wasync::detail::task_context* task = nullptr);
void answer_error(const error& e);
/// The answer to an async call whose task suspended: JS awaits it by `op`.
void answer_pending(std::int32_t op);
/// Where every answer is (JS reads it when a glue function returns see_reply).
const reply* reply_address() noexcept;

/// What a glue function returns when JS must read the reply.
inline constexpr double see_reply = std::numeric_limits<double>::quiet_NaN();

/// A result type JS receives as the glue's return value.
template <class T>
inline constexpr bool returned_directly = std::is_void_v<T> || std::is_same_v<T, bool> ||
                                          std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> ||
                                          std::is_same_v<T, double>;

/// An async call whose task suspended: completes JS's Promise when the task ends.
struct pending_call : wasync::detail::js_call {
  bool owns_args;
  void* args;
  pending_call(bool owns, void* a, wasync::detail::task_context& t) noexcept : js_call(t), owns_args(owns), args(a) {}
  virtual ~pending_call() = default;
  void task_done(wasync::detail::task_context& t) noexcept override;
  virtual void write_value(writer& w) = 0;
};

template <class T>
struct pending_call_of final : pending_call {
  using pending_call::pending_call;
  void write_value(writer& w) override {
    if constexpr (!std::is_void_v<T>) w.add(*static_cast<wasync::detail::spawned<T>&>(task_).slot.value);
  }
};

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<result<T>> : std::true_type {};

/// Encodes by value (no address into a C++ object), so nothing need outlive the answer.
template <class T>
inline constexpr bool encodes_by_value = std::is_void_v<T> || std::is_arithmetic_v<T>;

template <class T>
double answer_value(T value) {
  if constexpr (returned_directly<T> && !std::is_void_v<T>) {
    const double d = static_cast<double>(value);
    if (d == d) return d;
  }
  if constexpr (encodes_by_value<T>) {
    writer& w = result_writer();
    w.clear();
    w.add(value);
    answer(reply_status::ok, nullptr);
  } else {
    auto held = std::make_unique<kept_value<T>>(std::move(value));
    writer& w = result_writer();
    w.clear();
    w.add(held->value);
    answer(reply_status::ok, std::move(held));
  }
  return see_reply;
}

template <class R>
double answer_with(R&& r) {
  using T = std::remove_cvref_t<R>;
  if constexpr (is_result<T>::value) {
    if (!r) {
      answer_error(r.error());
      return see_reply;
    }
    if constexpr (std::is_void_v<typename T::value_type>) {
      return 0.0;
    } else {
      return answer_value(std::move(*r));
    }
  } else {
    return answer_value(std::forward<R>(r));
  }
}

}  // namespace detail

/// Runs a call's glue (decoding, then call_sync or start_call). With
/// exceptions, what decoding throws (std::bad_alloc for arguments that fit
/// JS but not C++) answers the call as an error instead of reaching JS.
template <class F>
double guard(F&& glue) {
#if WASYNC_EXCEPTIONS
  try {
#endif
    return std::forward<F>(glue)();
#if WASYNC_EXCEPTIONS
  } catch (...) {
    wasync::detail::outcome_base caught;
    caught.set_current_exception();
    detail::answer_error(caught.err);
    return detail::see_reply;
  }
#endif
}

/// Answers a sync call: runs `f` (which calls the user's function) and encodes
/// its value, its result<T>'s error, or (with exceptions) what it threw.
template <class F>
double call_sync(F&& f) {
  return guard([&]() -> double {
    using R = std::invoke_result_t<F>;
    if constexpr (std::is_void_v<R>) {
      std::forward<F>(f)();
      return 0.0;
    } else {
      return detail::answer_with(std::forward<F>(f)());
    }
  });
}

/// Answers a call whose arguments did not decode.
inline double reject_call(const error& e) {
  detail::answer_error(e);
  return detail::see_reply;
}

/// Starts an async call: `work` runs as a task, at once until it first
/// suspends. Finished by then, the answer is its outcome (JS keeps or frees
/// `args`); else the answer is `pending` with the call's op id, and C++
/// completes the call when the task ends, then frees `args` when `OwnsArgs`
/// (its views point into them: JS gave them up when the call went pending).
template <bool OwnsArgs, class T>
double start_call(void* args, task<T> work) {
  auto* s = wasync::detail::launch_unscheduled(std::move(work), "JS call");
  wasync::detail::loop().start_now(*s);
  if (!s->done()) {
    detail::answer_pending((new detail::pending_call_of<T>(OwnsArgs, args, *s))->op_id());
    return detail::see_reply;
  }
  s->mark_retrieved();
  if (s->slot.failed()) {
    detail::answer_error(s->slot.err);
    s->release();
    return detail::see_reply;
  }
  if constexpr (std::is_void_v<T>) {
    s->release();
    return 0.0;
  } else if constexpr (detail::encodes_by_value<T>) {
    // The value is copied out: the task can go now, and JS need not call back to release it.
    const T value = *s->slot.value;
    s->release();
    return detail::answer_value(value);
  } else {
    writer& w = detail::result_writer();
    w.clear();
    w.add(*s->slot.value);
    detail::answer(reply_status::ok, nullptr, s);
    return detail::see_reply;
  }
}

}  // namespace wasync::bind
