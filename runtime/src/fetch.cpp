// The host-neutral half of fetch: header lookup and the body readers built on
// read_chunk(). Each host defines the request, read_chunk() and the body's release.
#include "wasync/fetch.hpp"

namespace wasync {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> find_header(const http_headers& headers, std::string_view name) noexcept {
  for (const auto& [n, v] : headers)
    if (equal_ignoring_case(n, name)) return std::string_view(v);
  return std::nullopt;
}

async_generator<std::vector<std::byte>> fetch_response::body() {
  while (auto chunk = co_await read_chunk()) co_yield std::move(*chunk);
}

task<std::vector<std::byte>> fetch_response::bytes() {
  std::vector<std::byte> all;
  while (auto chunk = co_await read_chunk()) all.insert(all.end(), chunk->begin(), chunk->end());
  co_return all;
}

task<std::string> fetch_response::text() {
  std::string all;
  while (auto chunk = co_await read_chunk()) all.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
  co_return all;
}

task<fetch_response> fetch(std::string url) { return fetch(fetch_request{.url = std::move(url)}); }

}  // namespace wasync
