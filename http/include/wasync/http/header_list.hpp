// header_list: a message's header fields in arrival order, looked up case-insensitively.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasync::http {

/// One field line: name as received (case kept), value without surrounding whitespace.
struct header {
  std::string name;
  std::string value;

  friend bool operator==(const header&, const header&) = default;
};

/// Header fields in order. Names compare case-insensitively (RFC 9110 §5.1);
/// repeated fields are kept as separate entries, in order, never merged.
class header_list {
 public:
  using const_iterator = std::vector<header>::const_iterator;

  /// Appends a field. No validation here: the parser only adds valid fields,
  /// and the response writer checks what it sends.
  void add(std::string name, std::string value) { fields_.push_back({std::move(name), std::move(value)}); }

  /// The value of the first field called `name`, if any.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;
  /// The values of every field called `name`, in order.
  [[nodiscard]] std::vector<std::string_view> get_all(std::string_view name) const;
  /// How many fields are called `name`.
  [[nodiscard]] std::size_t count(std::string_view name) const noexcept;
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return count(name) != 0; }
  /// Whether the comma-separated list in the fields called `name` (all of them
  /// together) holds `token`, case-insensitively: `has_token("Connection", "close")`.
  [[nodiscard]] bool has_token(std::string_view name, std::string_view token) const noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }
  [[nodiscard]] const_iterator begin() const noexcept { return fields_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return fields_.end(); }

  friend bool operator==(const header_list&, const header_list&) = default;

 private:
  std::vector<header> fields_;
};

/// ASCII case-insensitive equality, as field names and tokens compare.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace wasync::http
