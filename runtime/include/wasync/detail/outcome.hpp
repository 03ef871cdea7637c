// Where a finished coroutine leaves its value or error.
#pragma once

#include <optional>
#include <utility>

#include "wasync/error.hpp"
#include "wasync/result.hpp"

namespace wasync::detail {

struct outcome_base {
  error err;
#if WASYNC_EXCEPTIONS
  std::exception_ptr thrown;  // the original exception, rethrown to awaiters
#endif
  bool failed() const noexcept { return !err.ok(); }

  void set_error(error e) noexcept { err = std::move(e); }
#if WASYNC_EXCEPTIONS
  /// Records the exception in flight (called from unhandled_exception).
  void set_current_exception() noexcept;
  /// Propagate mode: throw the original exception, or the error as wasync::exception.
  [[noreturn]] void rethrow() const;
#endif
};

template <class T>
struct outcome : outcome_base {
  std::optional<T> value;

  template <class U>
  void set_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  result<T> take() {
    if (failed()) return err;
    return std::move(*value);
  }
  /// The outcome, leaving it in place (several awaiters of one task).
  result<T> copy() const {
    if (failed()) return err;
    return *value;
  }
  T unwrap() {
#if WASYNC_EXCEPTIONS
    if (failed()) rethrow();
#else
    if (failed()) raise(err);
#endif
    return std::move(*value);
  }
};

template <>
struct outcome<void> : outcome_base {
  result<void> take() const {
    if (failed()) return err;
    return {};
  }
  result<void> copy() const { return take(); }
  void unwrap() {
#if WASYNC_EXCEPTIONS
    if (failed()) rethrow();
#else
    if (failed()) raise(err);
#endif
  }
};

}  // namespace wasync::detail
