// A stream<u8> end with one operation in flight, through its own buffer.
#include "byte_stream.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "wasip3.h"

namespace wasync::detail {

const byte_stream_ops cli_bytes{
    wasi_cli_stdin_stream_u8_read,         wasi_cli_stdin_stream_u8_write,
    wasi_cli_stdin_stream_u8_cancel_read,  wasi_cli_stdin_stream_u8_cancel_write,
    wasi_cli_stdin_stream_u8_drop_readable, wasi_cli_stdin_stream_u8_drop_writable,
};
const byte_stream_ops socket_bytes{
    wasi_sockets_types_stream_u8_read,          wasi_sockets_types_stream_u8_write,
    wasi_sockets_types_stream_u8_cancel_read,   wasi_sockets_types_stream_u8_cancel_write,
    wasi_sockets_types_stream_u8_drop_readable, wasi_sockets_types_stream_u8_drop_writable,
};
const byte_stream_ops http_bytes{
    wasi_http_types_stream_u8_read,          wasi_http_types_stream_u8_write,
    wasi_http_types_stream_u8_cancel_read,   wasi_http_types_stream_u8_cancel_write,
    wasi_http_types_stream_u8_drop_readable, wasi_http_types_stream_u8_drop_writable,
};

void byte_stream::start() noexcept {
  for (;;) {
    const std::uint32_t status =
        end_ == end::readable
            ? ops_.read(handle_, reinterpret_cast<std::uint8_t*>(buffer_.data()), buffer_.size())
            : ops_.write(handle_, reinterpret_cast<const std::uint8_t*>(buffer_.data()) + end_at_, buffer_.size() - end_at_);
    if (status == WASIP3_WAITABLE_STATUS_BLOCKED) {
      went_pending(handle_);
      return;
    }
    if (!apply(status)) return;
  }
}

bool byte_stream::apply(std::uint32_t status) noexcept {
  const std::uint32_t count = WASIP3_WAITABLE_COUNT(status);
  if (WASIP3_WAITABLE_STATE(status) == WASIP3_WAITABLE_DROPPED) dropped_ = true;
  if (end_ == end::readable) {
    begin_ = 0;
    end_at_ = count;
    return count == 0 && !dropped_;  // nothing came: read again (the host blocks the read when nothing is there)
  }
  end_at_ += count;
  return !dropped_ && end_at_ < buffer_.size();
}

void byte_stream::on_event(waitable_event, std::uint32_t code) noexcept {
  in_flight_ = false;
  if (apply(code)) start();
  if (in_flight_) return;
  op_done();
  if (on_idle) on_idle(idle_context);
}

fd_io byte_stream::read_now(std::span<std::byte> into) noexcept {
  fd_io r;
  if (begin_ < end_at_) {
    r.n = std::min(into.size(), end_at_ - begin_);
    std::memcpy(into.data(), buffer_.data() + begin_, r.n);
    begin_ += r.n;
    return r;
  }
  if (dropped_) return r;  // the end of the stream
  if (!in_flight_) {
    buffer_.resize(fd_stream::max_chunk);
    start();
    if (begin_ < end_at_ || dropped_) return read_now(into);
  }
  r.would_block = true;
  return r;
}

fd_io byte_stream::write_now(std::span<const std::byte> data) noexcept {
  fd_io r;
  if (dropped_) {
    r.err = error(errc::closed, std::string(what_) + ": the reader is gone");
    return r;
  }
  if (in_flight_) {
    r.would_block = true;
    return r;
  }
  r.n = std::min(data.size(), fd_stream::max_chunk);
  buffer_.assign(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(r.n));
  end_at_ = 0;
  start();
  if (dropped_ && end_at_ == 0) return write_now(data);  // took nothing: say why
  return r;
}

void byte_stream::close() noexcept {
  if (handle_ == 0) return;
  if (in_flight_) {
    stop_pending(handle_);
    if (end_ == end::readable) (void)ops_.cancel_read(handle_);
    else (void)ops_.cancel_write(handle_);
  }
  reactor().forget(handle_);
  if (end_ == end::readable) ops_.drop_readable(handle_);
  else ops_.drop_writable(handle_);
  handle_ = 0;
  dropped_ = true;  // what comes after sees the end, never the dropped handle
  op_done();
}

}  // namespace wasync::detail
