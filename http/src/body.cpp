// body: bytes in memory come out as one chunk; a stream asks its source.
#include "wasync/http/body.hpp"

#include <utility>

namespace wasync::http {

std::optional<std::uint64_t> body::size() const noexcept {
  if (source_) return source_->size();
  return bytes_.size();
}

task<std::optional<std::string>> body::read() {
  if (source_) co_return co_await source_->read();
  if (taken_ || bytes_.empty()) co_return std::nullopt;
  taken_ = true;
  co_return std::move(bytes_);
}

task<std::string> body::read_all(std::size_t limit) {
  std::string all;
  while (auto chunk = co_await read()) {
    if (chunk->size() > limit - all.size()) co_await fail(error(errc::invalid_argument, "body larger than the limit"));
    if (all.empty()) all = std::move(*chunk);
    else all += *chunk;
  }
  co_return all;
}

}  // namespace wasync::http
