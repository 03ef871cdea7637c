// Networking on the web host: a browser (and Emscripten's Node build) has no
// raw sockets, so every primitive fails with errc::not_supported. fetch and
// websocket are the web's network API.
#include "wasync/detail/net_host.hpp"

namespace wasync::detail {
namespace {
error unsupported(const char* what) { return not_supported_error(what, "web", "use fetch or websocket"); }
}  // namespace

// No value of these types is ever made on the web; the definitions complete them.
struct tcp_socket {};
struct tcp_acceptor {};
struct udp_endpoint {};

void destroy_socket(tcp_socket* s) noexcept { delete s; }
void destroy_socket(tcp_acceptor* s) noexcept { delete s; }
void destroy_socket(udp_endpoint* s) noexcept { delete s; }

task<std::vector<ip_address>> host_resolve(std::string) { co_await fail(unsupported("name lookup")); }
task<tcp_socket_ptr> tcp_connect(socket_address) { co_await fail(unsupported("TCP connect")); }
task<std::size_t> tcp_read_some(tcp_socket&, std::span<std::byte>) { co_await fail(unsupported("TCP")); }
task<std::size_t> tcp_write_some(tcp_socket&, std::span<const std::byte>) { co_await fail(unsupported("TCP")); }
task<void> tcp_shutdown_write(tcp_socket&) { co_await fail(unsupported("TCP")); }
result<socket_address> local_address(const tcp_socket&) { return unsupported("TCP"); }
result<socket_address> peer_address(const tcp_socket&) { return unsupported("TCP"); }
task<tcp_acceptor_ptr> tcp_listen(socket_address, int) { co_await fail(unsupported("TCP listen")); }
result<tcp_acceptor_ptr> tcp_adopt(int) { return unsupported("adopting a listener"); }
task<tcp_socket_ptr> tcp_accept(tcp_acceptor&) { co_await fail(unsupported("TCP accept")); }
result<socket_address> local_address(const tcp_acceptor&) { return unsupported("TCP listen"); }
task<udp_endpoint_ptr> udp_bind(socket_address) { co_await fail(unsupported("UDP")); }
task<void> udp_connect(udp_endpoint&, socket_address) { co_await fail(unsupported("UDP")); }
task<void> udp_send(udp_endpoint&, std::span<const std::byte>, std::optional<socket_address>) {
  co_await fail(unsupported("UDP"));
}
task<datagram_info> udp_receive(udp_endpoint&, std::span<std::byte>) { co_await fail(unsupported("UDP")); }
result<socket_address> local_address(const udp_endpoint&) { return unsupported("UDP"); }

}  // namespace wasync::detail
