// One end of a WASI 0.3 stream<u8>, driven one operation at a time through a
// buffer of its own (single_op.hpp): the readable end of standard input or of
// a socket's receive stream, the writable end of standard output or error or
// of a socket's send stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "single_op.hpp"
#include "wasync/detail/fd_stream.hpp"

namespace wasync::detail {

/// The canonical built-ins of one stream<u8> type: wit-bindgen emits a set
/// per WIT package that uses the type.
struct byte_stream_ops {
  std::uint32_t (*read)(std::uint32_t reader, std::uint8_t* buf, std::size_t n);
  std::uint32_t (*write)(std::uint32_t writer, const std::uint8_t* buf, std::size_t n);
  std::uint32_t (*cancel_read)(std::uint32_t reader);
  std::uint32_t (*cancel_write)(std::uint32_t writer);
  void (*drop_readable)(std::uint32_t reader);
  void (*drop_writable)(std::uint32_t writer);
};
extern const byte_stream_ops cli_bytes;     ///< wasi:cli's stream<u8> (stdin, stdout, stderr)
extern const byte_stream_ops socket_bytes;  ///< wasi:sockets' stream<u8> (TCP)
extern const byte_stream_ops http_bytes;    ///< wasi:http's stream<u8> (bodies)

class byte_stream final : public single_op {
 public:
  enum class end : std::uint8_t { readable, writable };
  /// `what` starts the message of a failure ("write standard output").
  byte_stream(const byte_stream_ops& ops, end e, const char* what) noexcept : ops_(ops), end_(e), what_(what) {}
  ~byte_stream() { close(); }

  /// Drives `handle`, an end of the kind given at construction.
  void attach(std::uint32_t handle) noexcept { handle_ = handle; }
  std::uint32_t handle() const noexcept { return handle_; }
  /// Readable: the writer dropped its end, and every byte was taken (the end
  /// of the stream). Writable: the reader dropped its end.
  bool ended() const noexcept { return dropped_ && (end_ == end::writable || begin_ == end_at_); }

  /// Readable: what a completed read left, else starts a read; would_block
  /// while it runs; n = 0 at the end of the stream.
  fd_io read_now(std::span<std::byte> into) noexcept;
  /// Writable: copies up to fd_stream::max_chunk bytes and starts writing
  /// them (n: the bytes taken); would_block while a write runs;
  /// errc::closed once the reader is gone.
  fd_io write_now(std::span<const std::byte> data) noexcept;
  /// Cancels the operation in flight (leaving the set first) and drops the end.
  void close() noexcept;

  /// Told after each operation ends, with idle_context (standard error pumps
  /// the runtime's queued reports with it, a request body writes its next chunk).
  void (*on_idle)(void* context) = nullptr;
  void* idle_context = nullptr;

 private:
  void start() noexcept;
  /// Applies an operation's result; true when the operation goes on.
  bool apply(std::uint32_t status) noexcept;
  void on_event(waitable_event event, std::uint32_t code) noexcept override;

  const byte_stream_ops& ops_;
  end end_;
  const char* what_;
  std::uint32_t handle_ = 0;  ///< 0: none (never a valid handle)
  std::vector<std::byte> buffer_;
  std::size_t begin_ = 0;   ///< readable: bytes read, not yet taken, are [begin_, end_at_)
  std::size_t end_at_ = 0;  ///< writable: bytes of buffer_ written so far
  bool dropped_ = false;
};

}  // namespace wasync::detail
