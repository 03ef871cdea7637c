// js_value: an owning handle to a JavaScript value. JS keeps the value in a
// table and C++ holds its id, so C++ never sees JS objects and JS never sees
// C++ pointers. Conversions for strings, numbers, booleans and bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasync/js_constants.hpp"  // js_type (generated from web/bridge/constants.json)
#include "wasync/result.hpp"

namespace wasync {

/// An owning handle to a JavaScript value (an id into the JS library's value
/// table, web/js/values.js), released when destroyed. Copying makes a second
/// table entry for the same value. The default handle is `undefined` and owns
/// nothing; so do null, true and false, which have fixed ids (detail::js_slot):
/// making, copying and releasing them never calls JS.
class js_value {
 public:
  js_value() noexcept = default;
  js_value(const js_value& o) : id_(o.fixed() ? o.id_ : o.copy_id()) {}
  js_value(js_value&& o) noexcept : id_(o.id_) { o.id_ = 0; }
  js_value& operator=(const js_value& o);
  js_value& operator=(js_value&& o) noexcept;
  ~js_value() {
    if (!fixed()) release_id();
  }

  /// Takes ownership of a table id, e.g. one JS made with `Module.wasyncJsPut(v)`.
  static js_value adopt(std::int32_t id) noexcept {
    js_value v;
    v.id_ = id;
    return v;
  }
  static js_value null() noexcept { return adopt(detail::js_slot::null_id); }
  static js_value boolean(bool b) noexcept { return adopt(b ? detail::js_slot::true_id : detail::js_slot::false_id); }
  static js_value number(double d);
  /// A JS string decoded from UTF-8.
  static js_value string(std::string_view utf8);
  /// A new Uint8Array holding a copy of `data`.
  static js_value bytes(std::span<const std::byte> data);
  /// A new empty object (`{}`).
  static js_value object();
  /// `globalThis[name]`.
  static js_value global(std::string_view name);

  /// The table id (0 for undefined); the handle keeps ownership.
  std::int32_t id() const noexcept { return id_; }
  /// Gives the table id and its ownership to the caller (e.g. to return it to JS).
  [[nodiscard]] std::int32_t release() noexcept {
    const std::int32_t id = id_;
    id_ = 0;
    return id;
  }

  js_type type() const noexcept;
  bool is_undefined() const noexcept { return type() == js_type::undefined; }

  /// The value if it is a number / boolean; nullopt otherwise.
  std::optional<double> as_number() const noexcept;
  std::optional<bool> as_boolean() const noexcept;
  /// The string encoded as UTF-8, if it is a string.
  std::optional<std::string> as_string() const;
  /// A copy of the bytes, if it is an ArrayBuffer, a typed array or a DataView.
  std::optional<std::vector<std::byte>> as_bytes() const;

  /// `this[key]` (undefined when absent or when this is not an object).
  js_value get(std::string_view key) const;
  /// `this[key] = v`; errc::js_error when JS refuses (e.g. this is not an object).
  result<void> set(std::string_view key, const js_value& v) const;
  /// `this[method](...args)`; a JS exception becomes errc::js_error with its message.
  result<js_value> call(std::string_view method, std::span<const js_value> args = {}) const;

 private:
  /// undefined, null, true or false: nothing to copy or release.
  bool fixed() const noexcept { return id_ < detail::js_slot::first_free; }
  std::int32_t copy_id() const;
  void release_id() noexcept;

  std::int32_t id_ = 0;
};

/// Conversions to JS used when a C++ result travels to JavaScript.
inline js_value to_js(js_value v) noexcept { return v; }
inline js_value to_js(std::string_view s) { return js_value::string(s); }
inline js_value to_js(const std::string& s) { return js_value::string(s); }
inline js_value to_js(double d) { return js_value::number(d); }
inline js_value to_js(int i) { return js_value::number(i); }
inline js_value to_js(bool b) { return js_value::boolean(b); }
inline js_value to_js(std::span<const std::byte> b) { return js_value::bytes(b); }
inline js_value to_js(const std::vector<std::byte>& b) { return js_value::bytes(b); }

}  // namespace wasync
