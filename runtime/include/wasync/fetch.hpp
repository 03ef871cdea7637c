// fetch: HTTP requests from a task. The API is host-neutral: on the web it
// calls JS fetch() (browsers and Node); under WASI preview2 it runs on
// wasi:http/outgoing-handler, under WASI 0.3 on the wasi:http client. Each
// host library defines it.
//
// A response with any HTTP status is a successful fetch (check status()); a
// transport failure (refused, reset, unreachable) is errc::network_error.
// Cancelling the awaiting task aborts the request, also mid-body.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "wasync/async_generator.hpp"
#include "wasync/driver.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// Header fields in the order given; names compare case-insensitively.
using http_headers = std::vector<std::pair<std::string, std::string>>;

/// The first value of header `name` (case-insensitive), if present.
std::optional<std::string_view> find_header(const http_headers& headers, std::string_view name) noexcept;

struct fetch_request {
  std::string url;
  std::string method = "GET";
  http_headers headers;
  /// No body, text (sent as UTF-8) or bytes.
  std::variant<std::monostate, std::string, std::vector<std::byte>> body;
  /// Limit on the wait for the response headers (errc::timeout). Reading the
  /// body is not covered: bound it with wait_for or a timeout scope.
  std::optional<duration> timeout;
};

class fetch_response;
namespace detail {
struct fetch_access;
/// A response body still to read, as the host holds it (a connection, wasi:http
/// resources, a JS Response). Destroying it aborts a transfer still running.
struct fetch_body;
struct fetch_body_deleter {
  void operator()(fetch_body* body) const noexcept;
};
using fetch_body_ptr = std::unique_ptr<fetch_body, fetch_body_deleter>;
/// Each host defines these (with fetch_body, its deleter, and fetch_response's
/// read_chunk() and load_head()): sending a request (the response headers), and
/// reading a body whole in one step where the host can (nullopt where it
/// cannot, or at the end: the caller then reads chunk by chunk).
[[nodiscard]] task<fetch_response> fetch_start(const fetch_request& request);
[[nodiscard]] task<std::optional<std::vector<std::byte>>> fetch_read_whole(fetch_body& body);
}  // namespace detail

/// A response: status and headers, then the body read once, either whole
/// (text(), bytes()) or chunk by chunk (read_chunk(), body()). Destroying a
/// response whose body was not read to the end aborts the transfer.
class fetch_response {
 public:
  fetch_response(fetch_response&&) noexcept = default;
  fetch_response& operator=(fetch_response&&) noexcept = default;
  ~fetch_response() = default;

  int status() const noexcept { return status_; }
  /// A 2xx status.
  bool ok() const noexcept { return status_ >= 200 && status_ < 300; }
  const std::string& status_text() const {
    load_head();
    return status_text_;
  }
  /// Names lower-case, as the host reports them.
  const http_headers& headers() const {
    load_head();
    return headers_;
  }
  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers(), name); }

  /// The next chunk of the body as it arrives; nullopt at its end. A read
  /// cancelled (or timed out) loses nothing: its chunk goes to the next read.
  [[nodiscard]] task<std::optional<std::vector<std::byte>>> read_chunk();
  /// The body chunk by chunk. The response must outlive the generator.
  [[nodiscard]] async_generator<std::vector<std::byte>> body();
  /// The rest of the body.
  [[nodiscard]] task<std::vector<std::byte>> bytes();
  /// The rest of the body as text (the bytes as they are; UTF-8 in practice).
  [[nodiscard]] task<std::string> text();

 private:
  friend struct detail::fetch_access;
  fetch_response() noexcept = default;

  /// Fills in the status text and headers on first use where the host reports
  /// them on demand (see the host); elsewhere they arrive with the response.
  void load_head() const;

  int status_ = 0;
  mutable std::string status_text_;
  mutable http_headers headers_;
  detail::fetch_body_ptr body_;  ///< null: no body (or a host let go of it at its end)
  bool touched_ = false;         ///< a read began: the body can no longer be read whole
};

/// Sends `request`; completes when the response headers arrive.
[[nodiscard]] task<fetch_response> fetch(fetch_request request);
/// A GET of `url`.
[[nodiscard]] task<fetch_response> fetch(std::string url);

}  // namespace wasync
