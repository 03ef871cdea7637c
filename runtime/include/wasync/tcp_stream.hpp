// tcp_stream: a connected TCP socket (asyncio's StreamReader and StreamWriter
// in one object), the same on every host that has TCP.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "wasync/address.hpp"
#include "wasync/detail/net_host.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// A connected TCP socket. Move-only; destroying it closes it.
///
/// - At most one read (read_some, read_exactly, read_until) and one write
///   (write, write_all) at a time; a second concurrent one fails with
///   errc::invalid_state. Reading and writing from two tasks at once is fine.
/// - The stream must stay in place (not moved, not destroyed) while an
///   operation on it is in flight; close() is fine: the operation then fails
///   with errc::closed.
/// - Every operation can be cancelled (or run inside wait_for); cancelling
///   releases its host wait. A cancelled read loses nothing: bytes the stream
///   already received stay buffered for the next read. A cancelled write may
///   have sent part of its data.
/// - Errors: errc::connection_refused, connection_reset (the peer reset or
///   aborted the connection; writing after the peer closed),
///   timeout (the OS gave up), closed (this side closed it), not_supported
///   (the host has no TCP, e.g. the web), not_permitted (host policy, e.g. a
///   wasmtime run without -S inherit-network), with the host's message.
class tcp_stream {
 public:
  /// Default longest read_until() result.
  static constexpr std::size_t default_max_length = 64 * 1024;

  /// A closed stream: every operation fails with errc::closed.
  tcp_stream() noexcept = default;
  /// Wraps a host socket (used by the hosts and tcp_listener).
  explicit tcp_stream(detail::tcp_socket_ptr s) noexcept : socket_(std::move(s)) {}
  tcp_stream(tcp_stream&&) noexcept = default;
  tcp_stream& operator=(tcp_stream&&) noexcept = default;
  ~tcp_stream() = default;

  /// Connects to `peer` (no name lookup; see open_connection for that).
  [[nodiscard]] static task<tcp_stream> connect(socket_address peer);

  bool is_open() const noexcept { return socket_ != nullptr; }

  /// Reads what is available (buffered bytes first), at most `into.size()`
  /// bytes and at least 1, waiting if nothing is; 0 when the peer closed its
  /// side (or `into` is empty).
  [[nodiscard]] task<std::size_t> read_some(std::span<std::byte> into);
  /// Exactly `n` bytes. If the peer closes first: errc::closed, and the bytes
  /// received stay buffered (read_some returns them).
  [[nodiscard]] task<std::string> read_exactly(std::size_t n);
  /// Bytes up to and including the first `delimiter` (not empty:
  /// errc::invalid_argument). No delimiter within `max_length` bytes:
  /// errc::invalid_argument; the peer closing first: errc::closed. In both
  /// cases the data stays buffered.
  [[nodiscard]] task<std::string> read_until(std::string delimiter, std::size_t max_length = default_max_length);

  /// One host write: sends what the host takes now (at least 1 byte), waiting
  /// only while it can take nothing; returns the bytes taken. `data` must stay
  /// alive until the task ends.
  [[nodiscard]] task<std::size_t> write(std::span<const std::byte> data);
  /// Writes all of `data` (which must stay alive until the task ends), waiting
  /// for the host when it cannot take more: backpressure, no unbounded buffer.
  [[nodiscard]] task<void> write_all(std::span<const std::byte> data);
  [[nodiscard]] task<void> write_all(std::string_view text) {
    // Spelled out: Emscripten 3.1.6's libc++ has no span constructor from a string_view.
    return write_all(std::as_bytes(std::span<const char>(text.data(), text.size())));
  }

  /// Ends the write side (the peer reads 0); reading still works.
  [[nodiscard]] task<void> shutdown_write();
  /// Closes both directions at once and releases the socket. Idempotent.
  void close() noexcept;

  result<socket_address> local_address() const;
  result<socket_address> peer_address() const;

 private:
  std::size_t buffered() const noexcept { return buffer_.size() - start_; }
  std::string take(std::size_t n);
  /// Appends one host read to the buffer: the bytes read, 0 when the peer closed.
  [[nodiscard]] task<std::size_t> fill();

  detail::tcp_socket_ptr socket_;
  std::string buffer_;  ///< received, not yet returned: buffer_[start_...]
  std::size_t start_ = 0;
  bool reading_ = false;
  bool writing_ = false;
};

}  // namespace wasync
