// The wire format between generated JS wrappers and C++ glue (wasm32 only).
// Arguments travel JS -> C++ in one buffer JS writes into wasm memory; results
// travel C++ -> JS in a buffer JS reads while the C++ values are still alive,
// so strings and bytes in results are (address, length) pairs into them and
// JS copies each out once.
//
//   int32/uint32: 4 bytes   int64/uint64/double: 8 bytes   bool: 1 byte (0 or 1)
//   string, bytes: argument u32 length + the bytes; result u32 address + u32 length
//   optional<T>: u8 0 (absent) or 1 + T     vector<T>: u32 count + the elements
//   js_value: i32 table id (ownership moves with it)    record: its fields in order
// All little-endian and unaligned.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "wasync/bind/export.hpp"
#include "wasync/error.hpp"
#include "wasync/js_value.hpp"
#include "wasync/result.hpp"

namespace wasync::bind {

/// Encodes and decodes one type; generated code specializes it for records.
template <class T>
struct codec;

/// Reads arguments from the buffer JS wrote. A malformed buffer (which the
/// generated wrappers never write) fails the reader instead of reading past it.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) noexcept : at_(data), end_(data + size) {}

  template <class T>
  void get(T& v) {
    codec<T>::read(*this, v);
  }
  /// The next `n` bytes (null, and the reader failed, when fewer are left).
  const std::uint8_t* take(std::size_t n) noexcept {
    if (failed_ || static_cast<std::size_t>(end_ - at_) < n) {
      failed_ = true;
      return nullptr;
    }
    const std::uint8_t* p = at_;
    at_ += n;
    return p;
  }
  template <class T>
  T scalar() noexcept {
    T v{};
    if (const std::uint8_t* p = take(sizeof(T))) std::memcpy(&v, p, sizeof(T));
    return v;
  }
  /// A count that cannot exceed the bytes left (each element takes at least one).
  std::uint32_t count() noexcept {
    const auto n = scalar<std::uint32_t>();
    if (n > static_cast<std::size_t>(end_ - at_)) failed_ = true;
    return failed_ ? 0 : n;
  }
  void fail() noexcept { failed_ = true; }
  /// After the last argument: every byte was read, and no more.
  bool ok() const noexcept { return !failed_ && at_ == end_; }
  /// What was wrong when !ok(): errc::invalid_argument naming `function`.
  error failure(std::string_view function) const {
    return error(errc::invalid_argument,
                 "malformed arguments for " + std::string(function) + (failed_ ? " (truncated)" : " (trailing bytes)"));
  }

 private:
  const std::uint8_t* at_;
  const std::uint8_t* end_;
  bool failed_ = false;
};

/// Writes a result for JS. Strings and bytes are referenced, not copied: the
/// values must stay alive until JS has read the buffer. It never throws nor
/// aborts: a buffer that cannot grow marks the writer failed (whoever hands
/// the buffer to JS checks), and an error answer fits in its inline bytes.
class writer {
 public:
  writer() noexcept = default;
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer() {
    if (data_ != inline_) std::free(data_);
  }

  template <class T>
  void add(const T& v) {
    codec<T>::write(*this, v);
  }
  void put(const void* p, std::size_t n) noexcept {
    if (n > capacity_ - size_ && !grow(n)) return;
    if (n > 0) std::memcpy(data_ + size_, p, n);
    size_ += n;
  }
  template <class T>
  void scalar(T v) noexcept {
    put(&v, sizeof(T));
  }
  void ref(const void* p, std::size_t n) noexcept {
    scalar(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(p)));
    scalar(static_cast<std::uint32_t>(n));
  }
  void clear() noexcept {
    size_ = 0;
    failed_ = false;
  }
  /// Memory ran out while writing: the buffer holds part of the value.
  bool failed() const noexcept { return failed_; }
  const std::uint8_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  bool grow(std::size_t n) noexcept {
    if (failed_ || n > SIZE_MAX / 2 - size_) {
      failed_ = true;
      return false;
    }
    const std::size_t capacity = std::max(size_ + n, 2 * capacity_);
    void* p = data_ == inline_ ? std::malloc(capacity) : std::realloc(data_, capacity);
    if (!p) {
      failed_ = true;
      return false;
    }
    if (data_ == inline_) std::memcpy(p, inline_, size_);
    data_ = static_cast<std::uint8_t*>(p);
    capacity_ = capacity;
    return true;
  }

  std::uint8_t inline_[64];
  std::uint8_t* data_ = inline_;
  std::size_t size_ = 0;
  std::size_t capacity_ = sizeof(inline_);
  bool failed_ = false;
};

template <class T>
  requires(std::is_arithmetic_v<T> && !std::is_same_v<T, bool> && sizeof(T) >= 4)
struct codec<T> {
  static void read(reader& r, T& v) noexcept { v = r.scalar<T>(); }
  static void write(writer& w, T v) { w.scalar(v); }
};

template <>
struct codec<bool> {
  static void read(reader& r, bool& v) noexcept {
    const auto b = r.scalar<std::uint8_t>();
    if (b > 1) r.fail();
    v = b == 1;
  }
  static void write(writer& w, bool v) { w.scalar<std::uint8_t>(v ? 1 : 0); }
};

/// Strings and bytes: owned (copied out of the argument buffer) or views into it.
template <class T>
  requires(std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> || std::is_same_v<T, bytes> ||
           std::is_same_v<T, bytes_view>)
struct codec<T> {
  static constexpr bool text = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>;
  using unit = std::conditional_t<text, char, std::byte>;
  static void read(reader& r, T& v) {
    const std::uint32_t n = r.scalar<std::uint32_t>();
    const auto* p = reinterpret_cast<const unit*>(r.take(n));
    if (!p) return;
    if constexpr (std::is_same_v<T, bytes>) v.assign(p, p + n);
    else v = T(p, n);
  }
  static void write(writer& w, const T& v) { w.ref(v.data(), v.size()); }
};

template <class T>
struct codec<std::optional<T>> {
  static void read(reader& r, std::optional<T>& v) {
    const auto tag = r.scalar<std::uint8_t>();
    if (tag > 1) r.fail();
    if (tag != 1) return;
    v.emplace();
    codec<T>::read(r, *v);
  }
  static void write(writer& w, const std::optional<T>& v) {
    w.scalar<std::uint8_t>(v ? 1 : 0);
    if (v) codec<T>::write(w, *v);
  }
};

template <class T>
  requires(!std::is_same_v<T, std::byte>)
struct codec<std::vector<T>> {
  static void read(reader& r, std::vector<T>& v) {
    const std::uint32_t n = r.count();
    v.resize(n);
    for (auto& x : v) codec<T>::read(r, x);
  }
  static void write(writer& w, const std::vector<T>& v) {
    w.scalar(static_cast<std::uint32_t>(v.size()));
    for (const auto& x : v) codec<T>::write(w, x);
  }
};

/// Any JS value, passed by table id (TypeScript `unknown`).
template <>
struct codec<js_value> {
  static void read(reader& r, js_value& v) noexcept { v = js_value::adopt(r.scalar<std::int32_t>()); }
  static void write(writer& w, const js_value& v) { w.scalar(js_value(v).release()); }
};

}  // namespace wasync::bind
