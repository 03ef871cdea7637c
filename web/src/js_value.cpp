// js_value: table handles and conversions, each a call into web/js/values.js
// (but for the fixed ids of undefined, null, true and false).
#include "wasync/js_value.hpp"

#include "js_imports.hpp"

namespace wasync {

std::int32_t js_value::copy_id() const { return wasync_js_dup(id_); }

void js_value::release_id() noexcept { wasync_js_release(id_); }

js_value& js_value::operator=(const js_value& o) {
  if (this != &o) *this = js_value(o);
  return *this;
}

js_value& js_value::operator=(js_value&& o) noexcept {
  if (this != &o) {
    if (!fixed()) release_id();
    id_ = o.id_;
    o.id_ = 0;
  }
  return *this;
}

js_value js_value::number(double d) { return adopt(wasync_js_number(d)); }
js_value js_value::string(std::string_view utf8) { return adopt(wasync_js_string(utf8.data(), utf8.size())); }
js_value js_value::bytes(std::span<const std::byte> data) {
  return adopt(wasync_js_bytes(data.data(), data.size()));
}
js_value js_value::object() { return adopt(wasync_js_object()); }
js_value js_value::global(std::string_view name) { return adopt(wasync_js_global(name.data(), name.size())); }

js_type js_value::type() const noexcept {
  switch (id_) {
    case detail::js_slot::undefined_id: return js_type::undefined;
    case detail::js_slot::null_id: return js_type::null;
    case detail::js_slot::true_id:
    case detail::js_slot::false_id: return js_type::boolean;
  }
  return static_cast<js_type>(wasync_js_type(id_));
}

std::optional<double> js_value::as_number() const noexcept {
  if (type() != js_type::number) return std::nullopt;
  return wasync_js_number_of(id_);
}

std::optional<bool> js_value::as_boolean() const noexcept {
  // The table keeps booleans only in their fixed slots.
  if (id_ == detail::js_slot::true_id) return true;
  if (id_ == detail::js_slot::false_id) return false;
  return std::nullopt;
}

std::optional<std::string> js_value::as_string() const {
  if (type() != js_type::string) return std::nullopt;
  std::string s(static_cast<std::size_t>(wasync_js_size(id_)), '\0');
  wasync_js_copy(id_, s.data(), s.size());
  return s;
}

std::optional<std::vector<std::byte>> js_value::as_bytes() const {
  if (type() != js_type::bytes) return std::nullopt;
  std::vector<std::byte> b(static_cast<std::size_t>(wasync_js_size(id_)));
  wasync_js_copy(id_, b.data(), b.size());
  return b;
}

js_value js_value::get(std::string_view key) const { return adopt(wasync_js_get(id_, key.data(), key.size())); }

result<void> js_value::set(std::string_view key, const js_value& v) const {
  if (std::int32_t message = wasync_js_set(id_, key.data(), key.size(), v.id_))
    return error(errc::js_error, *adopt(message).as_string());
  return {};
}

result<js_value> js_value::call(std::string_view method, std::span<const js_value> args) const {
  std::vector<std::int32_t> ids;
  ids.reserve(args.size());
  for (const js_value& a : args) ids.push_back(a.id_);
  std::int32_t out = 0;
  if (wasync_js_call(id_, method.data(), method.size(), ids.data(), ids.size(), &out) != 0)
    return error(errc::js_error, adopt(out).as_string().value_or("exception"));
  return adopt(out);
}

}  // namespace wasync
