// header_list lookups, all case-insensitive.
#include "wasync/http/header_list.hpp"

#include "wasync/http/detail/chars.hpp"

namespace wasync::http {

namespace {
char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> header_list::get(std::string_view name) const noexcept {
  for (const auto& f : fields_)
    if (iequals(f.name, name)) return std::string_view(f.value);
  return std::nullopt;
}

std::vector<std::string_view> header_list::get_all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& f : fields_)
    if (iequals(f.name, name)) values.emplace_back(f.value);
  return values;
}

std::size_t header_list::count(std::string_view name) const noexcept {
  std::size_t n = 0;
  for (const auto& f : fields_) n += iequals(f.name, name);
  return n;
}

bool header_list::has_token(std::string_view name, std::string_view token) const noexcept {
  for (const auto& f : fields_) {
    if (!iequals(f.name, name)) continue;
    bool found = false;
    detail::for_each_element(f.value, [&](std::string_view element) {
      found = iequals(element, token);
      return !found;
    });
    if (found) return true;
  }
  return false;
}

}  // namespace wasync::http
