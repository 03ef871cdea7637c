// result<T>: a value or a wasync::error, like std::expected; result<void> too.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "wasync/error.hpp"

namespace wasync {

template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
  static_assert(!std::is_same_v<std::decay_t<T>, wasync::error>, "result<error> is ambiguous");

 public:
  using value_type = T;

  result(wasync::error e) noexcept : has_(false) { new (&e_) wasync::error(std::move(e)); }
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::decay_t<U>, wasync::error> &&
             !std::is_same_v<std::decay_t<U>, result>)
  result(U&& v) : has_(true) {
    new (&v_) T(std::forward<U>(v));
  }
  result(const result& o) : has_(o.has_) {
    if (has_) new (&v_) T(o.v_);
    else new (&e_) wasync::error(o.e_);
  }
  result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : has_(o.has_) {
    if (has_) new (&v_) T(std::move(o.v_));
    else new (&e_) wasync::error(std::move(o.e_));
  }
  result& operator=(result o) noexcept(std::is_nothrow_move_constructible_v<T>) {
    destroy();
    has_ = o.has_;
    if (has_) new (&v_) T(std::move(o.v_));
    else new (&e_) wasync::error(std::move(o.e_));
    return *this;
  }
  ~result() { destroy(); }

  bool has_value() const noexcept { return has_; }
  explicit operator bool() const noexcept { return has_; }

  T& value() & { check(); return v_; }
  const T& value() const& { check(); return v_; }
  T&& value() && { check(); return std::move(v_); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_ ? v_ : static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & noexcept { return v_; }
  const T& operator*() const& noexcept { return v_; }
  T&& operator*() && noexcept { return std::move(v_); }
  T* operator->() noexcept { return &v_; }
  const T* operator->() const noexcept { return &v_; }

  /// The error; errc::ok when this holds a value.
  const wasync::error& error() const noexcept {
    static const wasync::error none;
    return has_ ? none : e_;
  }

 private:
  void check() const {
    if (!has_) detail::raise(e_);
  }
  void destroy() noexcept {
    if (has_) v_.~T();
    else e_.~error();
  }
  union {
    T v_;
    wasync::error e_;
  };
  bool has_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;

  result() noexcept = default;
  result(wasync::error e) noexcept : e_(std::move(e)) {}

  bool has_value() const noexcept { return e_.ok(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (!has_value()) detail::raise(e_);
  }
  const wasync::error& error() const noexcept { return e_; }

 private:
  wasync::error e_;
};

}  // namespace wasync
