// fetch on the web: JS fetch() through web/js/fetch.js, an AbortController per
// request, the body read from its ReadableStream one chunk per op.
#include "wasync/fetch.hpp"

#include <optional>

#include "js_imports.hpp"
#include "wasync/detail/js_op.hpp"

namespace wasync {
namespace detail {

/// The JS record of a response (its Response and body reader). The status text
/// and headers are fetched from it on first use (load_head): most responses are
/// read without them, and listing a JS Response's headers costs a sort and a
/// string per response.
struct fetch_body {
  js_value record;  ///< released last: that aborts a transfer still running
  bool head_loaded = false;
};

void fetch_body_deleter::operator()(fetch_body* body) const noexcept { delete body; }

struct fetch_access {
  static fetch_response make(js_value record, int status) {
    fetch_response r;
    r.status_ = status;
    r.body_.reset(new fetch_body{std::move(record)});
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

}  // namespace
}  // namespace detail

namespace detail {
task<fetch_response> fetch_start(const fetch_request& request) { co_return co_await fetch_start_op(request); }

task<std::optional<std::vector<std::byte>>> fetch_read_whole(fetch_body& body) {
  // An empty body ends here too: no second read for its end.
  auto whole = co_await fetch_read_op(body.record.id(), true);
  if (!whole) whole.emplace();
  co_return whole;
}
}  // namespace detail

void fetch_response::load_head() const {
  if (!body_ || body_->head_loaded) return;
  body_->head_loaded = true;
  const std::string head = js_value::adopt(wasync_fetch_head(body_->record.id())).as_string().value_or("");
  // The status text, then name/value pairs, NUL-separated.
  std::size_t at = head.find('\0');
  status_text_ = head.substr(0, at);
  while (at != std::string::npos) {
    const std::size_t name_end = head.find('\0', at + 1);
    if (name_end == std::string::npos) break;
    const std::size_t value_end = head.find('\0', name_end + 1);
    headers_.emplace_back(head.substr(at + 1, name_end - at - 1),
                          head.substr(name_end + 1, value_end == std::string::npos ? std::string::npos
                                                                                   : value_end - name_end - 1));
    at = value_end;
  }
}

task<std::optional<std::vector<std::byte>>> fetch_response::read_chunk() {
  if (!body_) co_return std::nullopt;
  touched_ = true;
  co_return co_await detail::fetch_read_op(body_->record.id(), false);
}

}  // namespace wasync
