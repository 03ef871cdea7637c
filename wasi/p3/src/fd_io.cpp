// The fd primitives under fd_stream (runtime/src/fd_stream.cpp) on WASI 0.3:
// fds 0, 1 and 2 are wasi:cli's stream<u8>s (stdin read-via-stream, stdout
// and stderr write-via-stream), other fds (files from file::open) go through
// the preview1 calls the adapter serves. A stream operation completes later,
// into a buffer that must live until then: each standard stream owns one
// buffer and runs one operation at a time, which fd_stream sees as readiness
// (fd_ready waits for the operation in flight).
//
// wasmtime completes a stdout or stderr write only after writing and flushing
// it, so what printf sends through the adapter afterwards comes after it.
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "preview1_fd.hpp"
#include "stdio_streams.hpp"
#include "wasip3.h"
#include "wasync/detail/awaiting.hpp"
#include "wasync/detail/core.hpp"
#include "wasync/detail/fd_stream.hpp"
#include "wasync/detail/report_sink.hpp"
#include "wasync/wasip3_host.hpp"

namespace wasync::detail {
namespace {

struct channel_wait;

/// One standard stream: its stream handle, its buffer and the operation in
/// flight. The host handle 0 is never a valid handle: 0 means "not open".
class channel : public waitable_watcher {
 public:
  explicit channel(int fd) noexcept : fd_(fd) {}
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;
  ~channel() { close(); }

  bool busy() const noexcept { return in_flight_; }
  /// The task waiting for the operation in flight (one at most: fd_stream's
  /// callers hold the stream's lock).
  channel_wait* waiter = nullptr;

  /// Standard input: what a completed read left, else starts a read.
  fd_io read_now(std::span<std::byte> into) noexcept;
  /// Standard output or error: copies what fits and starts writing it.
  fd_io write_now(std::span<const std::byte> data) noexcept;
  /// Cancels the operation in flight and drops the stream and its future.
  void close() noexcept;

 private:
  void open() noexcept;
  void start() noexcept;
  /// Applies an operation's result; true when the operation goes on.
  bool apply(std::uint32_t status) noexcept;
  void on_event(waitable_event event, std::uint32_t code) noexcept override;
  const char* name() const noexcept {
    return fd_ == 0 ? "standard input" : fd_ == 1 ? "standard output" : "standard error";
  }

  int fd_;
  std::uint32_t stream_ = 0;  ///< stdin: the readable end; stdout/stderr: the writable end
  std::uint32_t done_ = 0;    ///< the future the host resolves when it is done with the stream
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0;  ///< stdin: bytes read and not yet taken are buffer_[begin_, end_)
  std::size_t end_ = 0;    ///< stdout/stderr: bytes written so far, of buffer_'s
  bool in_flight_ = false;
  bool ended_ = false;  ///< stdin: the host closed it (end of input)
  error failed_;
};

channel* channel_for(int fd) noexcept {
  static channel in(0), out(1), err(2);
  return fd == 0 ? &in : fd == 1 ? &out : fd == 2 ? &err : nullptr;
}

waitable_reactor& reactor() noexcept { return the_wasip3_host().waitables(); }

/// Awaits the end of a channel's operation in flight. Cancelling it leaves
/// the operation running: a read's bytes stay for the next read.
struct channel_wait : leaf_awaiter {
  channel& ch;
  explicit channel_wait(channel& c) noexcept : ch(c) {}
  bool await_ready() const noexcept { return !ch.busy(); }
  template <class P>
  coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
    what = "wasi:cli stream";
    on_cancel = [](wait_node& n, error why) {
      auto& w = static_cast<channel_wait&>(n);
      w.ch.waiter = nullptr;
      w.err = std::move(why);
      complete(w);
    };
    if (ch.waiter) err = error(errc::invalid_state, "another task already waits on this standard stream");
    else ch.waiter = this;
    if (auto next = suspend(h)) {
      if (ch.waiter == this) ch.waiter = nullptr;
      return next;
    }
    return coro::noop_coroutine();
  }
  void woken() noexcept {
    ch.waiter = nullptr;
    complete(*this);
  }
  result<void> resume_result() {
    if (!err.ok()) return err;
    return {};
  }
  void await_resume() { unwrap(resume_result()); }
};

void channel::open() noexcept {
  if (stream_ != 0) return;
  if (fd_ == 0) {
    wasi_cli_stdin_tuple2_stream_u8_future_result_void_error_code_t r;
    wasi_cli_stdin_read_via_stream(&r);
    stream_ = r.f0;
    done_ = r.f1;
    return;
  }
  wasi_cli_stdin_stream_u8_writer_t writer;
  const wasi_cli_stdin_stream_u8_t reader = wasi_cli_stdin_stream_u8_new(&writer);
  stream_ = writer;
  done_ = fd_ == 1 ? wasi_cli_stdout_write_via_stream(reader) : wasi_cli_stderr_write_via_stream(reader);
}

void channel::start() noexcept {
  for (;;) {
    const std::uint32_t status =
        fd_ == 0 ? wasi_cli_stdin_stream_u8_read(stream_, reinterpret_cast<std::uint8_t*>(buffer_.data()), buffer_.size())
                 : wasi_cli_stdin_stream_u8_write(stream_, reinterpret_cast<const std::uint8_t*>(buffer_.data()) + end_,
                                                  buffer_.size() - end_);
    if (status == WASIP3_WAITABLE_STATUS_BLOCKED) {
      in_flight_ = true;
      if (error e = reactor().watch(stream_, *this); !e.ok()) {
        in_flight_ = false;
        failed_ = std::move(e);
      }
      return;
    }
    if (!apply(status)) return;
  }
}

bool channel::apply(std::uint32_t status) noexcept {
  in_flight_ = false;
  const std::uint32_t count = WASIP3_WAITABLE_COUNT(status);
  const bool dropped = WASIP3_WAITABLE_STATE(status) == WASIP3_WAITABLE_DROPPED;
  if (fd_ == 0) {
    begin_ = 0;
    end_ = count;
    if (dropped) ended_ = true;
    return count == 0 && !dropped;  // nothing came: read again (the host blocks it when there is nothing)
  }
  end_ += count;
  if (dropped) {
    failed_ = error(errc::closed, std::string("write ") + name() + ": the reader is gone");
    return false;
  }
  return end_ < buffer_.size();
}

void channel::on_event(waitable_event, std::uint32_t code) noexcept {
  if (apply(code)) start();
  if (in_flight_) return;
  if (waiter) waiter->woken();
  if (fd_ == 2) flush_reports(duration::zero());  // the runtime's reports queued while a write was in flight
}

fd_io channel::read_now(std::span<std::byte> into) noexcept {
  fd_io r;
  if (begin_ < end_) {
    r.n = std::min(into.size(), end_ - begin_);
    std::memcpy(into.data(), buffer_.data() + begin_, r.n);
    begin_ += r.n;
    return r;
  }
  if (ended_) return r;  // end of input
  if (!failed_.ok()) {
    r.err = failed_;
    return r;
  }
  if (!in_flight_) {
    open();
    buffer_.resize(fd_stream::max_chunk);
    start();
    if (begin_ < end_ || ended_) return read_now(into);
  }
  r.would_block = true;
  return r;
}

fd_io channel::write_now(std::span<const std::byte> data) noexcept {
  fd_io r;
  if (!failed_.ok()) {
    r.err = failed_;
    return r;
  }
  if (in_flight_) {
    r.would_block = true;
    return r;
  }
  open();
  r.n = std::min(data.size(), fd_stream::max_chunk);
  buffer_.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(r.n));
  end_ = 0;
  start();
  if (end_ == 0 && !failed_.ok()) {
    r.n = 0;
    r.err = failed_;
  }
  return r;
}

void channel::close() noexcept {
  if (stream_ == 0) return;
  if (in_flight_) {
    reactor().leave(stream_);  // a stream in a set cannot be cancelled
    if (fd_ == 0) (void)wasi_cli_stdin_stream_u8_cancel_read(stream_);
    else (void)wasi_cli_stdin_stream_u8_cancel_write(stream_);
    in_flight_ = false;
  }
  reactor().forget(stream_);
  if (fd_ == 0) {
    wasi_cli_stdin_stream_u8_drop_readable(stream_);
    wasi_cli_stdin_future_result_void_error_code_drop_readable(done_);
  } else {
    wasi_cli_stdin_stream_u8_drop_writable(stream_);
    if (fd_ == 1) wasi_cli_stdout_future_result_void_error_code_drop_readable(done_);
    else wasi_cli_stderr_future_result_void_error_code_drop_readable(done_);
  }
  stream_ = done_ = 0;
  if (waiter) waiter->woken();
}

error not_for(int fd, const char* what) { return error(errc::invalid_argument, "fd " + std::to_string(fd) + what); }

}  // namespace

result<fd_status> fd_stat(int fd) {
  if (fd > 2) return preview1::fd_stat(fd);
  if (fd < 0) return not_for(fd, " is not open");
  return fd_status{.kind = fd_kind::other, .nonblocking = true};  // stream operations never block
}

bool fd_set_nonblocking(int fd, const fd_status& st) noexcept {
  return fd > 2 ? preview1::fd_set_nonblocking(fd, st) : true;
}
void fd_restore_flags(int fd, std::uint32_t flags) noexcept {
  if (fd > 2) preview1::fd_restore_flags(fd, flags);
}

fd_io fd_read_now(int fd, std::span<std::byte> into) noexcept {
  if (fd > 2) return preview1::fd_read_now(fd, into);
  if (fd != 0) return fd_io{.err = not_for(fd, " cannot be read")};
  return channel_for(0)->read_now(into);
}

fd_io fd_write_now(int fd, std::span<const std::byte> data) noexcept {
  if (fd > 2) return preview1::fd_write_now(fd, data);
  if (fd != 1 && fd != 2) return fd_io{.err = not_for(fd, " cannot be written")};
  return channel_for(fd)->write_now(data);
}

// Files (fd > 2, through the adapter) never block; a standard stream waits
// for its operation in flight.
task<unsigned> fd_ready(int fd, bool for_write) {
  const unsigned told = for_write ? io_writable : io_readable;
  if (fd > 2) co_return told;
  channel* c = channel_for(fd);
  if (!c || (fd == 0) == for_write) co_return told | io_error;  // fd_read_now/fd_write_now say why
  co_await channel_wait(*c);
  co_return told;
}

// What stderr's stream takes now: a write in flight takes nothing more (no
// waiting for room here, which would block the instance); its completion
// writes what the report sink queued meanwhile.
std::ptrdiff_t stderr_write_now(std::span<const char> bytes, duration) noexcept {
  const fd_io r = fd_write_now(2, std::as_bytes(bytes));
  if (!r.err.ok()) return -1;
  return static_cast<std::ptrdiff_t>(r.n);
}

task<void> drain_standard_streams() {
  for (;;) {
    flush_reports(duration::zero());
    for (int fd = 1; fd <= 2; ++fd) co_await channel_wait(*channel_for(fd));
    if (report_stats().queued == 0) co_return;
  }
}

bool standard_streams_busy() noexcept { return channel_for(1)->busy() || channel_for(2)->busy(); }

std::size_t standard_streams_unawaited() noexcept {
  std::size_t n = 0;
  for (int fd = 0; fd <= 2; ++fd) n += channel_for(fd)->busy() && !channel_for(fd)->waiter ? 1 : 0;
  return n;
}

void close_standard_streams() noexcept {
  for (int fd = 0; fd <= 2; ++fd) channel_for(fd)->close();
}

}  // namespace wasync::detail
