// The host-neutral half of fetch: header lookup, the request timeout and the
// body readers built on read_chunk(). Each host defines detail::fetch_body (and
// its deleter), detail::fetch_start, detail::fetch_read_whole, read_chunk() and
// load_head().
#include "wasync/fetch.hpp"

#include "wasync/timeout.hpp"

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
  if (body_ && !touched_) {
    // Nothing read yet: where the host can, it reads the body whole, one
    // settlement (and one drain) per response instead of one per chunk.
    touched_ = true;
    if (auto whole = co_await detail::fetch_read_whole(*body_)) co_return std::move(*whole);
  }
  std::vector<std::byte> all;
  while (auto chunk = co_await read_chunk()) all.insert(all.end(), chunk->begin(), chunk->end());
  co_return all;
}

task<std::string> fetch_response::text() {
  const std::vector<std::byte> all = co_await bytes();
  co_return std::string(reinterpret_cast<const char*>(all.data()), all.size());
}

task<fetch_response> fetch(fetch_request request) {
  std::optional<timeout_scope> limit;
  if (request.timeout) limit.emplace(*request.timeout);
  co_return co_await detail::fetch_start(request);
}

task<fetch_response> fetch(std::string url) { return fetch(fetch_request{.url = std::move(url)}); }

}  // namespace wasync
