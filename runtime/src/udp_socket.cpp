// udp_socket on top of the host's datagram primitives.
#include "wasync/udp_socket.hpp"

#include "net_guard.hpp"

namespace wasync {
namespace {
using detail::busy_guard;
error busy(const char* what) { return detail::busy("udp_socket", what); }
error closed() { return detail::closed_error("udp_socket"); }
}  // namespace

task<udp_socket> udp_socket::bind(socket_address local) {
  co_return udp_socket(co_await detail::udp_bind(local));
}

task<void> udp_socket::connect(socket_address peer) {
  if (!is_open()) co_await fail(closed());
  co_await detail::udp_connect(*endpoint_, peer);
}

task<void> udp_socket::send_to(std::span<const std::byte> data, socket_address to) {
  if (sending_) co_await fail(busy("send"));
  if (!is_open()) co_await fail(closed());
  busy_guard guard(sending_);
  co_await detail::udp_send(*endpoint_, data, to);
}

task<void> udp_socket::send(std::span<const std::byte> data) {
  if (sending_) co_await fail(busy("send"));
  if (!is_open()) co_await fail(closed());
  busy_guard guard(sending_);
  co_await detail::udp_send(*endpoint_, data, std::nullopt);
}

task<datagram_info> udp_socket::receive_from(std::span<std::byte> into) {
  if (receiving_) co_await fail(busy("receive"));
  if (!is_open()) co_await fail(closed());
  busy_guard guard(receiving_);
  co_return co_await detail::udp_receive(*endpoint_, into);
}

task<std::size_t> udp_socket::receive(std::span<std::byte> into) {
  co_return (co_await receive_from(into)).size;
}

result<socket_address> udp_socket::local_address() const {
  if (!is_open()) return closed();
  return detail::local_address(*endpoint_);
}

void udp_socket::close() noexcept { endpoint_.reset(); }

}  // namespace wasync
