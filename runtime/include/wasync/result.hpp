// result<T>: a value or a wasync::error, like std::expected; result<void> too.
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "wasync/error.hpp"

namespace wasync {

template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
  static_assert(!std::is_same_v<std::decay_t<T>, wasync::error>, "result<error> is ambiguous");

 public:
  using value_type = T;

  result(wasync::error e) : v_(std::in_place_index<1>, std::move(e)) {}
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::decay_t<U>, wasync::error> &&
             !std::is_same_v<std::decay_t<U>, result>)
  result(U&& v) : v_(std::in_place_index<0>, std::forward<U>(v)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  /// The error; errc::ok when this holds a value.
  const wasync::error& error() const noexcept {
    static const wasync::error none;
    return has_value() ? none : *std::get_if<1>(&v_);
  }

 private:
  void check() const {
    if (!has_value()) detail::raise(*std::get_if<1>(&v_));
  }
  std::variant<T, wasync::error> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;

  result() noexcept = default;
  result(wasync::error e) : e_(std::move(e)) {}

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
