// fd_stream: non-blocking reads and writes over a host's fds, on the host's
// fd primitives (fd_stat, fd_read_now, fd_write_now, flags).
#include "wasync/detail/fd_stream.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "wasync/sleep.hpp"

namespace wasync::detail {
namespace {

// POSIX guarantees a pipe that polls writable takes this much without blocking.
constexpr std::size_t pipe_buf = 4096;

error unpollable(int fd) {
  return error(errc::not_supported, "the host cannot wait for fd " + std::to_string(fd));
}

}  // namespace

fd_stream::fd_stream(fd_stream&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      mode_(o.mode_),
      restore_flags_(std::exchange(o.restore_flags_, false)),
      saved_flags_(o.saved_flags_) {}

fd_stream& fd_stream::operator=(fd_stream&& o) noexcept {
  if (this != &o) {
    restore();
    fd_ = std::exchange(o.fd_, -1);
    mode_ = o.mode_;
    restore_flags_ = std::exchange(o.restore_flags_, false);
    saved_flags_ = o.saved_flags_;
  }
  return *this;
}

fd_stream::~fd_stream() { restore(); }

int fd_stream::release() noexcept {
  restore();
  mode_ = mode::unknown;
  return std::exchange(fd_, -1);
}

void fd_stream::restore() noexcept {
  // The flags live on the open file description, which the host process may
  // share (a terminal, the parent's pipe): leave it as we found it.
  if (std::exchange(restore_flags_, false)) fd_restore_flags(fd_, saved_flags_);
}

void fd_stream::prepare() noexcept {
  if (mode_ != mode::unknown) return;
  auto st = fd_stat(fd_);
  if (!st) {
    mode_ = mode::blocking;  // the first read or write reports the real error
    return;
  }
  if (st->kind == fd_kind::file) {
    mode_ = mode::file;
  } else if (st->nonblocking) {
    mode_ = mode::nonblocking;
  } else if (st->kind == fd_kind::terminal) {
    // A terminal stays blocking: if the program is killed before it can restore
    // the flag, the shell sharing the terminal would be left non-blocking.
    mode_ = mode::blocking;
  } else if (fd_set_nonblocking(fd_, *st)) {
    mode_ = mode::nonblocking;
    restore_flags_ = true;
    saved_flags_ = st->flags;
  } else {
    mode_ = mode::blocking;  // wasmtime refuses (EBADF) for stdio
  }
}

task<std::size_t> fd_stream::read_some(std::span<std::byte> into) {
  prepare();
  into = into.first(std::min(into.size(), max_chunk));
  if (into.empty()) co_return 0;
  unsigned seen = 0;
  if (mode_ == mode::file) co_await yield_now();
  else if (mode_ == mode::blocking) seen = co_await fd_ready(fd_, false);
  for (;;) {
    const fd_io r = fd_read_now(fd_, into);
    if (!r.err.ok()) co_return r.err;
    if (!r.would_block) co_return r.n;
    if (seen & io_error) co_return unpollable(fd_);
    seen = co_await fd_ready(fd_, false);
  }
}

task<void> fd_stream::write_all(std::span<const std::byte> data) {
  prepare();
  bool first = true;
  while (!data.empty()) {
    unsigned seen = 0;
    const std::size_t limit = mode_ == mode::blocking ? pipe_buf : max_chunk;
    const std::span<const std::byte> chunk = data.first(std::min(data.size(), limit));
    if (mode_ == mode::blocking) seen = co_await fd_ready(fd_, true);
    else if (mode_ == mode::file || !first) co_await yield_now();  // a fast reader must not starve the loop
    first = false;
    for (;;) {
      const fd_io r = fd_write_now(fd_, chunk);
      if (!r.err.ok()) co_await fail(r.err);
      if (!r.would_block) {
        data = data.subspan(r.n);
        break;
      }
      if (seen & io_error) co_await fail(unpollable(fd_));
      seen = co_await fd_ready(fd_, true);
    }
  }
}

}  // namespace wasync::detail
