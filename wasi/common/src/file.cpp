// file: wasi-libc's open() resolves paths against the preopens; I/O goes through fd_stream.
#include "wasync/file.hpp"

#include <fcntl.h>
#include <wasi/api.h>

#include <cerrno>
#include <utility>

#include "wasi_errors.hpp"
#include "wasync/as_result.hpp"

namespace wasync {

file& file::operator=(file&& o) noexcept {
  if (this != &o) {
    (void)close();
    stream_ = std::move(o.stream_);
  }
  return *this;
}

file::~file() { (void)close(); }

task<file> file::open(std::string path, open_mode mode) {
  int flags = 0;
  switch (mode) {
    case open_mode::read: flags = O_RDONLY; break;
    case open_mode::write: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    case open_mode::append: flags = O_WRONLY | O_CREAT | O_APPEND; break;
    case open_mode::read_write: flags = O_RDWR; break;
  }
  const int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) co_return detail::errno_error(errno, "open " + path);
  co_return file(fd);
}

task<std::size_t> file::read_some(std::span<std::byte> into) {
  if (!is_open()) co_return error(errc::invalid_state, "read from a closed file");
  co_return co_await stream_.read_some(into);
}

task<std::string> file::read_to_end() {
  if (!is_open()) co_return error(errc::invalid_state, "read from a closed file");
  std::string out;
  for (;;) {
    const std::size_t old = out.size();
    out.resize(old + detail::fd_stream::max_chunk);
    auto r = co_await as_result(stream_.read_some(std::as_writable_bytes(std::span(out).subspan(old))));
    if (!r) co_return r.error();
    out.resize(old + *r);
    if (*r == 0) co_return out;
  }
}

task<void> file::write_all(std::span<const std::byte> data) {
  if (!is_open()) co_await fail(errc::invalid_state, "write to a closed file");
  co_await stream_.write_all(data);
}

result<void> file::close() noexcept {
  if (!is_open()) return {};
  const int fd = stream_.release();
  if (const __wasi_errno_t rc = __wasi_fd_close(static_cast<__wasi_fd_t>(fd)); rc != 0)
    return detail::errno_error(rc, "close");
  return {};
}

}  // namespace wasync
