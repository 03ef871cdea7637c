// fetch on the web: JS fetch() through wasync_web.js, an AbortController per
// request, the body read from its ReadableStream one chunk per op.
#include "wasync/fetch.hpp"

#include <optional>

#include "js_imports.hpp"
#include "wasync/detail/js_op.hpp"
#include "wasync/timeout.hpp"

namespace wasync {
namespace detail {

struct fetch_access {
  static fetch_response make(js_value record, int status) {
    fetch_response r;
    r.status_ = status;
    const std::string head = js_value::adopt(wasync_fetch_head(record.id())).as_string().value_or("");
    // The status text, then name/value pairs, NUL-separated.
    std::size_t at = head.find('\0');
    r.status_text_ = head.substr(0, at);
    while (at != std::string::npos) {
      const std::size_t name_end = head.find('\0', at + 1);
      if (name_end == std::string::npos) break;
      const std::size_t value_end = head.find('\0', name_end + 1);
      r.headers_.emplace_back(head.substr(at + 1, name_end - at - 1),
                              head.substr(name_end + 1, value_end == std::string::npos ? std::string::npos
                                                                                       : value_end - name_end - 1));
      at = value_end;
    }
    r.body_ = record.release();
    return r;
  }
};

namespace {

struct fetch_start_op final : js_op {
  const fetch_request& request;
  std::string header_block;

  explicit fetch_start_op(const fetch_request& r) : request(r) {
    what = "fetch";
    for (const auto& [name, value] : r.headers) {
      if (!header_block.empty()) header_block += '\0';
      header_block += name;
      header_block += '\0';
      header_block += value;
    }
  }
  void start(std::int32_t id) noexcept override {
    int kind = 0;
    const void* data = nullptr;
    std::size_t size = 0;
    if (auto* text = std::get_if<std::string>(&request.body)) {
      kind = 1, data = text->data(), size = text->size();
    } else if (auto* bytes = std::get_if<std::vector<std::byte>>(&request.body)) {
      kind = 2, data = bytes->data(), size = bytes->size();
    }
    wasync_fetch_start(id, request.method.data(), request.method.size(), request.url.data(), request.url.size(),
                       header_block.data(), header_block.size(), kind, data, size);
  }
  result<fetch_response> resume_result() {
    if (!err.ok()) return err;
    return fetch_access::make(std::move(value), aux);
  }
  fetch_response await_resume() { return unwrap(resume_result()); }
};

struct fetch_read_op final : js_op {
  std::int32_t record;
  bool whole;
  fetch_read_op(std::int32_t r, bool w) noexcept : record(r), whole(w) { what = "fetch body"; }
  void start(std::int32_t id) noexcept override { wasync_fetch_read(record, id, whole ? 1 : 0); }
  result<std::optional<std::vector<std::byte>>> resume_result() {
    if (!err.ok()) return err;
    if (status == js_status::end) return std::optional<std::vector<std::byte>>();
    std::vector<std::byte> chunk(static_cast<std::size_t>(aux));
    wasync_js_copy(value.id(), chunk.data(), chunk.size());
    return std::optional(std::move(chunk));
  }
  std::optional<std::vector<std::byte>> await_resume() { return unwrap(resume_result()); }
};

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace
}  // namespace detail

std::optional<std::string_view> find_header(const http_headers& headers, std::string_view name) noexcept {
  for (const auto& [n, v] : headers)
    if (detail::equal_ignoring_case(n, name)) return std::string_view(v);
  return std::nullopt;
}

fetch_response::fetch_response(fetch_response&& o) noexcept
    : status_(o.status_),
      status_text_(std::move(o.status_text_)),
      headers_(std::move(o.headers_)),
      body_(std::exchange(o.body_, 0)),
      touched_(o.touched_) {}

fetch_response& fetch_response::operator=(fetch_response&& o) noexcept {
  if (this != &o) {
    if (body_) wasync_js_release(body_);
    status_ = o.status_;
    status_text_ = std::move(o.status_text_);
    headers_ = std::move(o.headers_);
    body_ = std::exchange(o.body_, 0);
    touched_ = o.touched_;
  }
  return *this;
}

fetch_response::~fetch_response() {
  if (body_) wasync_js_release(body_);  // aborts a transfer still running
}

task<std::optional<std::vector<std::byte>>> fetch_response::read_chunk() {
  if (!body_) co_return std::nullopt;
  touched_ = true;
  co_return co_await detail::fetch_read_op(body_, false);
}

async_generator<std::vector<std::byte>> fetch_response::body() {
  while (auto chunk = co_await read_chunk()) co_yield std::move(*chunk);
}

task<std::vector<std::byte>> fetch_response::bytes() {
  std::vector<std::byte> all;
  if (body_ && !touched_) {
    // Nothing read yet: the host reads the body whole, one settlement (and
    // one drain) per response instead of one per chunk plus one for the end.
    touched_ = true;
    if (auto whole = co_await detail::fetch_read_op(body_, true)) all = std::move(*whole);
    co_return all;
  }
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
  co_return co_await detail::fetch_start_op(request);
}

task<fetch_response> fetch(std::string url) { return fetch(fetch_request{.url = std::move(url)}); }

}  // namespace wasync
