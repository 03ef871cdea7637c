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
  return error(errc::not_supported, std::string(what) +
                                        " is not supported on this host (WASI preview1, wasmtime 36 -S "
                                        "preview2=n); " + instead);
}

error closed_error() { return error(errc::closed, "the socket was closed"); }

/// An fd with operations in flight: close() wakes them with errc::closed and
/// the fd is released when the last one has left (never under their feet, and
/// never reused by a new accept while one still holds the number).
class socket_fd {
 public:
  explicit socket_fd(int fd) noexcept : fd_(fd) {}
  socket_fd(const socket_fd&) = delete;
  socket_fd& operator=(const socket_fd&) = delete;
  ~socket_fd() { close(); }

  int fd() const noexcept { return fd_; }
  bool closed() const noexcept { return closed_; }

  void close() noexcept {
    if (std::exchange(closed_, true)) return;
    for (fd_awaiter* w : waiting_)
      if (w && w->watching) w->on_cancel(*w, closed_error());
    if (users_ == 0) release();
  }

  /// Held by each operation while it runs.
  class use {
   public:
    explicit use(socket_fd& s) noexcept : s_(s) { ++s_.users_; }
    use(const use&) = delete;
    use& operator=(const use&) = delete;
    ~use() {
      if (--s_.users_ == 0 && s_.closed_) s_.release();
    }

   private:
    socket_fd& s_;
  };

  /// Waits for readiness in one direction; close() ends the wait with errc::closed.
  struct wait : fd_awaiter {
    fd_awaiter** slot;
    wait(socket_fd& s, bool for_write) noexcept : fd_awaiter(s.fd_, for_write), slot(&s.waiting_[for_write]) {}
    wait(const wait&) = delete;
    ~wait() {
      if (*slot == this) *slot = nullptr;
    }
    template <class P>
    coro::coroutine_handle<> await_suspend(coro::coroutine_handle<P> h) noexcept {
      *slot = this;
      return fd_awaiter::await_suspend(h);
    }
  };

 private:
  void release() noexcept {
    if (fd_ >= 0) (void)__wasi_fd_close(static_cast<__wasi_fd_t>(std::exchange(fd_, -1)));
  }

  int fd_;
  bool closed_ = false;
  unsigned users_ = 0;
  // [for_write]: the parked read and write; one each at most (net_host.hpp's contract).
  fd_awaiter* waiting_[2] = {nullptr, nullptr};
};

__wasi_errno_t set_nonblocking(int fd) noexcept {
  __wasi_fdstat_t st;
  if (const __wasi_errno_t rc = __wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st); rc != 0) return rc;
  if (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) return 0;
  return __wasi_fd_fdstat_set_flags(static_cast<__wasi_fd_t>(fd), st.fs_flags | __WASI_FDFLAGS_NONBLOCK);
}

}  // namespace

struct tcp_socket {
  socket_fd io;
};
struct tcp_acceptor {
  socket_fd io;
};
struct udp_endpoint {};  // never made: preview1 has no UDP

void destroy_socket(tcp_socket* s) noexcept { delete s; }
void destroy_socket(tcp_acceptor* s) noexcept { delete s; }
void destroy_socket(udp_endpoint* s) noexcept { delete s; }

task<std::vector<ip_address>> host_resolve(std::string) { co_return unsupported("name lookup"); }

task<tcp_socket_ptr> tcp_connect(socket_address) { co_return unsupported("tcp connect"); }

task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into) {
  socket_fd::use in_use(s.io);
  for (;;) {
    if (s.io.closed()) co_return closed_error();
    const __wasi_iovec_t iov{reinterpret_cast<std::uint8_t*>(into.data()), into.size()};
    __wasi_size_t n = 0;
    __wasi_roflags_t flags = 0;
    const __wasi_errno_t rc = __wasi_sock_recv(static_cast<__wasi_fd_t>(s.io.fd()), &iov, 1, 0, &n, &flags);
    if (rc == 0) co_return std::size_t{n};
    if (rc != __WASI_ERRNO_AGAIN) co_return socket_errno_error(rc, "sock_recv");
    co_await socket_fd::wait(s.io, false);
  }
}

task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data) {
  socket_fd::use in_use(s.io);
  for (;;) {
    if (s.io.closed()) co_return closed_error();
    const __wasi_ciovec_t iov{reinterpret_cast<const std::uint8_t*>(data.data()), data.size()};
    __wasi_size_t n = 0;
    const __wasi_errno_t rc = __wasi_sock_send(static_cast<__wasi_fd_t>(s.io.fd()), &iov, 1, 0, &n);
    if (rc == 0 && n > 0) co_return std::size_t{n};
    if (rc != 0 && rc != __WASI_ERRNO_AGAIN) co_return socket_errno_error(rc, "sock_send");
    co_await socket_fd::wait(s.io, true);
  }
}

task<void> tcp_shutdown_write(tcp_socket& s) {
  if (s.io.closed()) co_await fail(closed_error());
  if (const __wasi_errno_t rc = __wasi_sock_shutdown(static_cast<__wasi_fd_t>(s.io.fd()), __WASI_SDFLAGS_WR))
    co_await fail(socket_errno_error(rc, "sock_shutdown"));
}

void close_socket(tcp_socket& s) noexcept { s.io.close(); }

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
  return tcp_acceptor_ptr(new tcp_acceptor{socket_fd(fd)});
}

task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l) {
  socket_fd::use in_use(l.io);
  for (;;) {
    if (l.io.closed()) co_return closed_error();
    __wasi_fd_t conn = 0;
    const __wasi_errno_t rc = __wasi_sock_accept(static_cast<__wasi_fd_t>(l.io.fd()), __WASI_FDFLAGS_NONBLOCK, &conn);
    if (rc == 0) {
      // The flag asks for a non-blocking socket; make sure, since a blocking
      // one would stall the whole instance in sock_recv.
      if (const __wasi_errno_t nb = set_nonblocking(static_cast<int>(conn))) {
        (void)__wasi_fd_close(conn);
        co_return socket_errno_error(nb, "make an accepted socket non-blocking");
      }
      co_return tcp_socket_ptr(new tcp_socket{socket_fd(static_cast<int>(conn))});
    }
    // A client that gave up before its connection was taken is not the listener's failure.
    if (rc != __WASI_ERRNO_AGAIN && rc != __WASI_ERRNO_CONNABORTED && rc != __WASI_ERRNO_CONNRESET)
      co_return socket_errno_error(rc, "sock_accept");
    if (rc == __WASI_ERRNO_AGAIN) co_await socket_fd::wait(l.io, false);
  }
}

void close_socket(tcp_acceptor& l) noexcept { l.io.close(); }

result<socket_address> local_address(const tcp_acceptor&) { return unsupported("a listener's local address"); }

task<udp_endpoint_ptr> udp_bind(socket_address) { co_return unsupported("UDP"); }
task<void> udp_connect(udp_endpoint&, socket_address) { co_await fail(unsupported("UDP")); }
task<void> udp_send(udp_endpoint&, std::span<const std::byte>, std::optional<socket_address>) {
  co_await fail(unsupported("UDP"));
}
task<datagram_info> udp_receive(udp_endpoint&, std::span<std::byte>) { co_return unsupported("UDP"); }
void close_socket(udp_endpoint&) noexcept {}
result<socket_address> local_address(const udp_endpoint&) { return unsupported("UDP"); }

}  // namespace wasync::detail
