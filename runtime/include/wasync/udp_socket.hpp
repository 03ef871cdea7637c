// udp_socket: a UDP endpoint (asyncio's datagram endpoint): datagrams to and
// from any peer, or a default peer after connect().
#pragma once

#include <cstddef>
#include <span>

#include "wasync/address.hpp"
#include "wasync/detail/net_host.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// A UDP socket. Move-only; destroying it closes it. Same in-flight rules as
/// tcp_stream: one receive and one send at a time (errc::invalid_state), kept
/// in place while an operation runs, close() fails it with errc::closed,
/// everything cancellable.
class udp_socket {
 public:
  /// Largest payload of one datagram (IPv4: 65,535 - 20 - 8; IPv6 allows 65,527).
  static constexpr std::size_t max_datagram_v4 = 65507;

  udp_socket() noexcept = default;
  explicit udp_socket(detail::udp_endpoint_ptr u) noexcept : endpoint_(std::move(u)) {}
  udp_socket(udp_socket&&) noexcept = default;
  udp_socket& operator=(udp_socket&&) noexcept = default;

  /// Binds `local` (port 0: the host picks; local_address() tells which).
  /// Errors: errc::address_in_use, not_permitted, not_supported.
  [[nodiscard]] static task<udp_socket> bind(socket_address local);

  bool is_open() const noexcept { return endpoint_ != nullptr; }
  /// Sets the default peer for send()/receive(); receive then takes only its datagrams.
  [[nodiscard]] task<void> connect(socket_address peer);
  /// Sends `data` as one datagram to `to` (too large: errc::invalid_argument).
  [[nodiscard]] task<void> send_to(std::span<const std::byte> data, socket_address to);
  /// Sends one datagram to the connected peer (none: errc::invalid_state).
  [[nodiscard]] task<void> send(std::span<const std::byte> data);
  /// The next datagram into `into` (a longer one is truncated: see
  /// datagram_info::truncated); `into` must stay alive until the task ends.
  [[nodiscard]] task<datagram_info> receive_from(std::span<std::byte> into);
  /// receive_from() without the sender: the size stored.
  [[nodiscard]] task<std::size_t> receive(std::span<std::byte> into);
  result<socket_address> local_address() const;
  /// Closes the socket. Idempotent.
  void close() noexcept;

 private:
  detail::udp_endpoint_ptr endpoint_;
  bool receiving_ = false;
  bool sending_ = false;
};

}  // namespace wasync
