// The key-value cache on wasync (kv_api.hpp).
#include <chrono>
#include <map>
#include <string_view>
#include <vector>

#include "kv_api.hpp"
#include "wasync/fetch.hpp"
#include "wasync/wasync.hpp"

namespace kv {
namespace {

std::string origin;
std::map<std::string, std::string, std::less<>> entries;

// The origin's body for `key`, cached; "" when the request fails.
wasync::task<std::string> load(std::string key) {
  auto response = co_await wasync::as_result(wasync::fetch(origin + key));
  if (!response || !response->ok()) co_return std::string();
  auto text = co_await wasync::as_result(response->text());
  if (!text) co_return std::string();
  entries[key] = *text;
  co_return std::move(*text);
}

}  // namespace

wasync::task<std::int32_t> set_origin(std::string url) {
  origin = std::move(url);
  entries.clear();
  co_return 1;
}

wasync::task<std::string> get(std::string key) {
  if (auto it = entries.find(key); it != entries.end()) co_return it->second;
  co_return co_await load(std::move(key));
}

wasync::task<std::string> get_within(std::string key, std::int32_t ms) {
  auto value = co_await wasync::as_result(wasync::wait_for(get(std::move(key)), std::chrono::milliseconds(ms)));
  co_return value ? std::move(*value) : std::string();
}

wasync::task<std::int32_t> put(std::string key, std::string value) {
  const bool added = entries.insert_or_assign(std::move(key), std::move(value)).second;
  co_return added ? 1 : 0;
}

wasync::task<std::int32_t> remove(std::string key) { co_return static_cast<std::int32_t>(entries.erase(key)); }

wasync::task<std::int32_t> prefetch(std::string keys) {
  wasync::task_group group;
  std::int32_t started = 0;
  for (std::size_t at = 0; at <= keys.size();) {
    std::size_t comma = keys.find(',', at);
    if (comma == std::string::npos) comma = keys.size();
    std::string key = keys.substr(at, comma - at);
    at = comma + 1;
    if (key.empty() || entries.contains(key)) continue;
    group.spawn(load(std::move(key)));
    ++started;
  }
  co_await group.join();
  co_return started;
}

wasync::task<std::int32_t> expire_after(std::int32_t ms) {
  co_await wasync::sleep(std::chrono::milliseconds(ms));
  const auto dropped = static_cast<std::int32_t>(entries.size());
  entries.clear();
  co_return dropped;
}

wasync::task<std::int32_t> count() { co_return static_cast<std::int32_t>(entries.size()); }

wasync::task<std::int32_t> total_bytes() {
  std::size_t bytes = 0;
  for (const auto& [key, value] : entries) bytes += key.size() + value.size();
  co_return static_cast<std::int32_t>(bytes);
}

}  // namespace kv
