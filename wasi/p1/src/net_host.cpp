// The networking primitives on WASI preview1: TCP over the listeners the host
// preopens (wasmtime 36 `-S preview2=n -S tcplisten=ADDR`), driven non-blocking
// with sock_accept/sock_recv/sock_send and awaited through poll_oneoff. Preview1
// has no connect, bind, UDP, name lookup or socket addresses: those fail with
// errc::not_supported.
#include "wasync/detail/net_host.hpp"

#include <wasi/api.h>

#include <string>
#include <utility>

#include "wasi_errors.hpp"
#include "wasync/fd_wait.hpp"

namespace wasync::detail {
namespace {

error unsupported(const char* what, const char* instead = "use the preview2 build") {
  return not_supported_error(what, "WASI preview1, wasmtime 36 -S preview2=n", instead);
}

__wasi_errno_t set_nonblocking(int fd) noexcept {
  __wasi_fdstat_t st;
  if (const __wasi_errno_t rc = __wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st); rc != 0) return rc;
  if (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) return 0;
  return __wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd), st.fs_flags | __WASI_FDFLAGS_NONBLOCK);
}

}  // namespace

using op_scope = socket_lifetime::op_scope;
using waits = parked_waits<fd_awaiter>;

/// A socket fd (socket_lifetime: closed when the last operation has left, so
/// never reused by a new accept while one still holds the number). Closing an
/// fd wakes no poll_oneoff: wake() ends the parked waits.
struct p1_socket : socket_lifetime {
  int fd;
  waits parked;

  explicit p1_socket(int f) noexcept : fd(f) {}
  ~p1_socket() override { (void)__wasi_fd_close(static_cast<__wasi_fd_t>(fd)); }
  void wake() noexcept override { parked.end_all(closed_error()); }
  /// Waits for readiness on `side`.
  [[nodiscard]] waits::wait ready(waits::side side) noexcept { return {parked, side, fd, side == waits::write_side}; }
};

struct tcp_socket : p1_socket {
  using p1_socket::p1_socket;
};
struct tcp_acceptor : p1_socket {
  using p1_socket::p1_socket;
};
struct udp_endpoint {};  // never made: preview1 has no UDP

void destroy_socket(tcp_socket* s) noexcept { s->destroy(); }
void destroy_socket(tcp_acceptor* s) noexcept { s->destroy(); }
void destroy_socket(udp_endpoint* s) noexcept { delete s; }

task<std::vector<ip_address>> host_resolve(std::string) { co_return unsupported("name lookup"); }

task<tcp_socket_ptr> tcp_connect(socket_address) { co_return unsupported("tcp connect"); }

task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_return closed_error();
    const __wasi_iovec_t iov{reinterpret_cast<std::uint8_t*>(into.data()), into.size()};
    __wasi_size_t n = 0;
    __wasi_roflags_t flags = 0;
    const __wasi_errno_t rc = __wasi_sock_recv(static_cast<__wasi_fd_t>(s.fd), &iov, 1, 0, &n, &flags);
    if (rc == 0) co_return std::size_t{n};
    if (rc != __WASI_ERRNO_AGAIN) co_return socket_errno_error(rc, "sock_recv");
    co_await s.ready(waits::read_side);
  }
}

task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_return closed_error();
    const __wasi_ciovec_t iov{reinterpret_cast<const std::uint8_t*>(data.data()), data.size()};
    __wasi_size_t n = 0;
    const __wasi_errno_t rc = __wasi_sock_send(static_cast<__wasi_fd_t>(s.fd), &iov, 1, 0, &n);
    if (rc == 0 && n > 0) co_return std::size_t{n};
    if (rc != 0 && rc != __WASI_ERRNO_AGAIN) co_return socket_errno_error(rc, "sock_send");
    co_await s.ready(waits::write_side);
  }
}

task<void> tcp_shutdown_write(tcp_socket& s) {
  if (s.closed()) co_await fail(closed_error());
  if (const __wasi_errno_t rc = __wasi_sock_shutdown(static_cast<__wasi_fd_t>(s.fd), __WASI_SDFLAGS_WR))
    co_await fail(socket_errno_error(rc, "sock_shutdown"));
}

result<socket_address> local_address(const tcp_socket&) { return unsupported("a socket's local address"); }
result<socket_address> peer_address(const tcp_socket&) { return unsupported("a socket's peer address"); }

task<tcp_acceptor_ptr> tcp_listen(socket_address, int) {
  co_return unsupported("binding a listener",
                        "adopt the one wasmtime preopens (-S tcplisten=ADDR) or use the preview2 build");
}

result<tcp_acceptor_ptr> tcp_adopt(int fd) {
  const std::string name = "fd " + std::to_string(fd);
  __wasi_fdstat_t st;
  if (fd < 0 || __wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st) != 0)
    return error(errc::invalid_argument, name + " is not open (run with wasmtime run -S preview2=n -S "
                                                "tcplisten=127.0.0.1:PORT)");
  if (st.fs_filetype != __WASI_FILETYPE_SOCKET_STREAM)
    return error(errc::invalid_argument, name + " is not a stream socket");
  if (const __wasi_errno_t rc = set_nonblocking(fd)) return socket_errno_error(rc, "make " + name + " non-blocking");
  return tcp_acceptor_ptr(new tcp_acceptor(fd));
}

task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l) {
  op_scope op(l);
  for (;;) {
    if (l.closed()) co_return closed_error();
    __wasi_fd_t conn = 0;
    const __wasi_errno_t rc = __wasi_sock_accept(static_cast<__wasi_fd_t>(l.fd), __WASI_FDFLAGS_NONBLOCK, &conn);
    if (rc == 0) {
      // The flag asks for a non-blocking socket; make sure, since a blocking
      // one would stall the whole instance in sock_recv.
      if (const __wasi_errno_t nb = set_nonblocking(static_cast<int>(conn))) {
        (void)__wasi_fd_close(conn);
        co_return socket_errno_error(nb, "make an accepted socket non-blocking");
      }
      co_return tcp_socket_ptr(new tcp_socket(static_cast<int>(conn)));
    }
    // A client that gave up before its connection was taken is not the listener's failure.
    if (rc != __WASI_ERRNO_AGAIN && rc != __WASI_ERRNO_CONNABORTED && rc != __WASI_ERRNO_CONNRESET)
      co_return socket_errno_error(rc, "sock_accept");
    if (rc == __WASI_ERRNO_AGAIN) co_await l.ready(waits::read_side);
  }
}

result<socket_address> local_address(const tcp_acceptor&) { return unsupported("a listener's local address"); }

task<udp_endpoint_ptr> udp_bind(socket_address) { co_return unsupported("UDP"); }
task<void> udp_connect(udp_endpoint&, socket_address) { co_await fail(unsupported("UDP")); }
task<void> udp_send(udp_endpoint&, std::span<const std::byte>, std::optional<socket_address>) {
  co_await fail(unsupported("UDP"));
}
task<datagram_info> udp_receive(udp_endpoint&, std::span<std::byte>) { co_return unsupported("UDP"); }
result<socket_address> local_address(const udp_endpoint&) { return unsupported("UDP"); }

}  // namespace wasync::detail
