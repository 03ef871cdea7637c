// The networking primitives each host library defines (native: epoll and BSD
// sockets; WASI preview1: preopened listeners; preview2: wasi:sockets; web:
// not supported). The public classes (tcp_stream, tcp_listener, udp_socket,
// resolve) are written once in runtime/ on top of these.
//
// Contract for every host:
// - Each awaiting primitive follows the awaiter protocol (detail/core.hpp): it
//   is cancellable, cancelling it unregisters its host wait, and errors are
//   delivered through the task (never thrown from await_ready, never an abort).
// - At most one read-side and one write-side operation per object run at a
//   time (the public classes guarantee it; a host may rely on it).
// - Each host object is a socket_lifetime (detail/socket_lifetime.hpp):
//   destroy_socket() closes it synchronously; operations in flight on it then
//   complete with errc::closed (closed_error()), and the object and its OS
//   handle are freed when the last of them has left (at once when none is).
// - OS errors map to errc (connection_refused, connection_reset,
//   address_in_use, not_permitted, timeout, invalid_argument, …) with the OS
//   message; something the host cannot do is errc::not_supported, made by
//   not_supported_error().
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasync/address.hpp"
#include "wasync/detail/socket_lifetime.hpp"
#include "wasync/result.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// What udp_socket::receive_from() got.
struct datagram_info {
  std::size_t size = 0;    ///< bytes stored into the buffer
  socket_address from;     ///< the sender
  bool truncated = false;  ///< the datagram was longer than the buffer; the rest is lost
};

namespace detail {

/// errc::not_supported for what this host cannot do: "<what> is not supported
/// on this host (<host>)", then "; <instead>" when given.
inline error not_supported_error(std::string_view what, std::string_view host, std::string_view instead = {}) {
  std::string message = std::string(what) + " is not supported on this host (" + std::string(host) + ")";
  if (!instead.empty()) message += "; " + std::string(instead);
  return error(errc::not_supported, std::move(message));
}

// Host-defined state of a connected TCP socket, a listener and a UDP socket;
// a unique_ptr owns each (the public classes), and letting go closes it.
struct tcp_socket;
struct tcp_acceptor;
struct udp_endpoint;

void destroy_socket(tcp_socket* s) noexcept;
void destroy_socket(tcp_acceptor* s) noexcept;
void destroy_socket(udp_endpoint* s) noexcept;
struct socket_deleter {
  template <class S>
  void operator()(S* s) const noexcept { destroy_socket(s); }
};
using tcp_socket_ptr = std::unique_ptr<tcp_socket, socket_deleter>;
using tcp_acceptor_ptr = std::unique_ptr<tcp_acceptor, socket_deleter>;
using udp_endpoint_ptr = std::unique_ptr<udp_endpoint, socket_deleter>;

// Name lookup: `host` is a name, never a numeric address (resolve() answers
// those itself). No address: errc::host_not_found.
[[nodiscard]] task<std::vector<ip_address>> host_resolve(std::string host);

// TCP, connected side. Natively TCP_NODELAY is on: every write leaves at once.
[[nodiscard]] task<tcp_socket_ptr> tcp_connect(socket_address peer);
/// At most into.size() bytes (into is never empty); 0: the peer closed its side.
[[nodiscard]] task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into);
/// One host write of at most data.size() bytes (never empty); waits while the
/// host can take nothing; returns the bytes taken (at least 1).
[[nodiscard]] task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data);
[[nodiscard]] task<void> tcp_shutdown_write(tcp_socket& s);
result<socket_address> local_address(const tcp_socket& s);
result<socket_address> peer_address(const tcp_socket& s);

// TCP, listening side.
[[nodiscard]] task<tcp_acceptor_ptr> tcp_listen(socket_address local, int backlog);
/// A listener the host opened for the program (WASI preview1: wasmtime's
/// -S tcplisten preopen); elsewhere errc::not_supported.
result<tcp_acceptor_ptr> tcp_adopt(int fd);
[[nodiscard]] task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l);
result<socket_address> local_address(const tcp_acceptor& l);

// UDP.
[[nodiscard]] task<udp_endpoint_ptr> udp_bind(socket_address local);
/// Sets the default peer: udp_send without `to` goes there, receive takes only its datagrams.
[[nodiscard]] task<void> udp_connect(udp_endpoint& u, socket_address peer);
/// One datagram, whole (errc::invalid_argument when too large); no `to`:
/// the connected peer (errc::invalid_state when there is none).
[[nodiscard]] task<void> udp_send(udp_endpoint& u, std::span<const std::byte> data,
                                  std::optional<socket_address> to);
[[nodiscard]] task<datagram_info> udp_receive(udp_endpoint& u, std::span<std::byte> into);
result<socket_address> local_address(const udp_endpoint& u);

}  // namespace detail
}  // namespace wasync
