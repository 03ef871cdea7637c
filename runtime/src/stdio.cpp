// The standard streams over fd_stream: line buffering for input, a lock per stream.
#include "wasync/stdio.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "wasync/as_result.hpp"
#include "wasync/sleep.hpp"

namespace wasync {
namespace {
// Read size when looking for the end of a line; read_to_end reads bigger chunks.
constexpr std::size_t line_fill_size = 16 * 1024;
}  // namespace

std::string input_stream::take(std::size_t n) {
  if (start_ == 0 && n == buffer_.size()) {
    std::string out = std::move(buffer_);
    buffer_.clear();
    scanned_ = 0;
    return out;
  }
  std::string out = buffer_.substr(start_, n);
  start_ += n;
  scanned_ = 0;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return out;
}

task<std::size_t> input_stream::fill(std::size_t size) {
  if (start_ > 0) {  // keep the buffer from growing with what was taken
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const std::size_t old = buffer_.size();
  buffer_.resize(old + size);
  auto r = co_await as_result(stream_.read_some(std::as_writable_bytes(std::span<char>(buffer_.data() + old, buffer_.size() - old))));
  // Cancelled or failed too: the buffer must hold exactly what was read.
  buffer_.resize(old + (r ? *r : 0));
  co_return r;
}

task<std::size_t> input_stream::read_some(std::span<std::byte> into) {
  auto guard = co_await lock_.scoped();
  if (buffered() == 0) co_return co_await stream_.read_some(into);
  const std::size_t n = std::min(into.size(), buffered());
  std::memcpy(into.data(), buffer_.data() + start_, n);
  take(n);
  co_return n;
}

task<std::optional<std::string>> input_stream::read_line(std::size_t max_length) {
  auto guard = co_await lock_.scoped();
  for (;;) {
    const std::size_t nl = buffer_.find('\n', start_ + scanned_);
    if (nl != std::string::npos && nl - start_ <= max_length) {
      std::string line = take(nl - start_ + 1);
      line.pop_back();
      co_return line;
    }
    scanned_ = buffered();
    if (nl != std::string::npos || scanned_ > max_length)
      co_return error(errc::invalid_argument, "input line longer than " + std::to_string(max_length) + " bytes");
    if (co_await fill(line_fill_size) == 0) {
      if (buffered() == 0) co_return std::nullopt;
      co_return take(buffered());  // the last line had no '\n'
    }
  }
}

task<std::string> input_stream::read_to_end() {
  auto guard = co_await lock_.scoped();
  bool first = true;
  for (;;) {
    // A producer faster than us would otherwise keep this task running forever.
    if (!first) co_await yield_now();
    first = false;
    if (co_await fill(detail::fd_stream::max_chunk) == 0) co_return take(buffered());
  }
}

task<void> output_stream::write_all(std::span<const std::byte> data) {
  auto guard = co_await lock_.scoped();
  co_await stream_.write_all(data);
}

input_stream& standard_input() {
  static input_stream s(0);
  return s;
}

output_stream& standard_output() {
  static output_stream s(1);
  return s;
}

output_stream& standard_error() {
  static output_stream s(2);
  return s;
}

}  // namespace wasync
