// tcp_stream's buffered, host-neutral parts (read_exactly, read_until,
// write_all) on top of the host's read and write primitives.
#include "wasync/tcp_stream.hpp"

#include <algorithm>
#include <cstring>

#include "net_guard.hpp"
#include "wasync/as_result.hpp"

namespace wasync {
namespace {

using detail::busy_guard;
error busy(const char* what) { return detail::busy("tcp_stream", what); }
error closed() { return detail::closed_error("tcp_stream"); }

// Size of one host read into the buffer.
constexpr std::size_t read_chunk = 16 * 1024;

}  // namespace

task<tcp_stream> tcp_stream::connect(socket_address peer) {
  co_return tcp_stream(co_await detail::tcp_connect(peer));
}

std::string tcp_stream::take(std::size_t n) {
  std::string out = buffer_.substr(start_, n);
  start_ += n;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return out;
}

task<std::size_t> tcp_stream::fill() {
  if (!is_open()) co_await fail(closed());
  // Drop what was consumed before growing, so the buffer stays near its content.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const std::size_t old = buffer_.size();
  buffer_.resize(old + read_chunk);
  auto n = co_await as_result(
      detail::tcp_read_some(*socket_, std::as_writable_bytes(std::span(buffer_.data() + old, read_chunk))));
  buffer_.resize(old + (n ? *n : 0));
  if (!n) co_await fail(n.error());
  co_return *n;
}

task<std::size_t> tcp_stream::read_some(std::span<std::byte> into) {
  if (reading_) co_await fail(busy("read"));
  if (into.empty()) co_return 0;
  if (buffered() > 0) {
    const std::size_t n = std::min(into.size(), buffered());
    std::memcpy(into.data(), buffer_.data() + start_, n);
    start_ += n;
    if (start_ == buffer_.size()) buffer_.clear(), start_ = 0;
    co_return n;
  }
  if (!is_open()) co_await fail(closed());
  busy_guard guard(reading_);
  co_return co_await detail::tcp_read_some(*socket_, into);
}

task<std::string> tcp_stream::read_exactly(std::size_t n) {
  if (reading_) co_await fail(busy("read"));
  busy_guard guard(reading_);
  while (buffered() < n) {
    if (co_await fill() == 0)
      co_await fail(errc::closed, "tcp_stream: the peer closed after " + std::to_string(buffered()) + " of " +
                                      std::to_string(n) + " bytes");
  }
  co_return take(n);
}

task<std::string> tcp_stream::read_until(std::string delimiter, std::size_t max_length) {
  if (delimiter.empty()) co_await fail(errc::invalid_argument, "read_until: empty delimiter");
  if (reading_) co_await fail(busy("read"));
  busy_guard guard(reading_);
  std::size_t scanned = 0;  // bytes after start_ known to hold no delimiter start
  for (;;) {
    const std::string_view view(buffer_.data() + start_, buffered());
    if (const std::size_t at = view.find(delimiter, scanned); at != std::string_view::npos) {
      const std::size_t len = at + delimiter.size();
      if (len > max_length) break;
      co_return take(len);
    }
    if (view.size() >= max_length) break;
    scanned = view.size() >= delimiter.size() ? view.size() - delimiter.size() + 1 : 0;
    if (co_await fill() == 0)
      co_await fail(errc::closed, "read_until: the peer closed before the delimiter (" + std::to_string(buffered()) +
                                      " bytes buffered)");
  }
  co_await fail(errc::invalid_argument,
                "read_until: no delimiter within " + std::to_string(max_length) + " bytes");
}

task<std::size_t> tcp_stream::write(std::span<const std::byte> data) {
  if (writing_) co_await fail(busy("write"));
  if (!is_open()) co_await fail(closed());
  if (data.empty()) co_return 0;
  busy_guard guard(writing_);
  co_return co_await detail::tcp_write_some(*socket_, data);
}

task<void> tcp_stream::write_all(std::span<const std::byte> data) {
  if (writing_) co_await fail(busy("write"));
  busy_guard guard(writing_);
  while (!data.empty()) {
    if (!is_open()) co_await fail(closed());
    data = data.subspan(co_await detail::tcp_write_some(*socket_, data));
  }
}

task<void> tcp_stream::shutdown_write() {
  if (!is_open()) co_await fail(closed());
  co_await detail::tcp_shutdown_write(*socket_);
}

// An operation in flight keeps the host socket until it has left (socket_lifetime).
void tcp_stream::close() noexcept { socket_.reset(); }

result<socket_address> tcp_stream::local_address() const {
  if (!is_open()) return closed();
  return detail::local_address(*socket_);
}

result<socket_address> tcp_stream::peer_address() const {
  if (!is_open()) return closed();
  return detail::peer_address(*socket_);
}

}  // namespace wasync
