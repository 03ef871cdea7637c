// The native host's networking primitives (detail/net_host.hpp): non-blocking
// BSD sockets awaited through the host's epoll reactor (edge-triggered, watch_edge),
// TCP_NODELAY on every TCP socket, SO_REUSEADDR on listeners, getaddrinfo on a
// helper thread so a name lookup never blocks the loop.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "wasync/as_result.hpp"
#include "wasync/detail/net_host.hpp"
#include "wasync/epoll_reactor.hpp"
#include "wasync/fd_wait.hpp"

namespace wasync::detail {

/// A socket fd (socket_lifetime: closed when the last operation has left).
struct native_socket : socket_lifetime {
  int fd = -1;
  bool connected = false;  ///< UDP: connect() set a default peer

  explicit native_socket(int f) noexcept : fd(f) {}
  ~native_socket() override { ::close(fd); }
  void wake() noexcept override { ::shutdown(fd, SHUT_RDWR); }  // the waiting operations see a hang-up
};

struct tcp_socket : native_socket {
  using native_socket::native_socket;
  bool drained = false;  ///< the last read emptied the kernel buffer
  /// A wake said the peer hung up: that edge never comes again, so a short
  /// read no longer means empty (the end of stream is still to read).
  bool hung_up = false;
};
struct tcp_acceptor : native_socket {
  using native_socket::native_socket;
};
struct udp_endpoint : native_socket {
  using native_socket::native_socket;
};

namespace {

using op_scope = socket_lifetime::op_scope;

errc code_of(int e) noexcept {
  switch (e) {
    case ECONNREFUSED: return errc::connection_refused;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED: return errc::connection_reset;
    case EADDRINUSE: return errc::address_in_use;
    case EACCES:
    case EPERM: return errc::not_permitted;
    case ETIMEDOUT: return errc::timeout;
    case EINVAL:
    case EMSGSIZE:
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
    case EDESTADDRREQ: return errc::invalid_argument;
    case ENOTCONN:
    case EBADF: return errc::closed;
    case EMFILE:
    case ENFILE: return errc::too_many_open_files;
    default: return errc::network_error;
  }
}

/// errno as a wasync::error: the code a program branches on, the OS message.
error os_error(int e, const char* what) {
  return error(code_of(e), std::string(what) + ": " + std::strerror(e));
}

struct os_address {
  sockaddr_storage storage{};
  socklen_t size = 0;
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
};

os_address to_os(const socket_address& a) {
  os_address out;
  if (a.ip.is_v4()) {
    auto* in = reinterpret_cast<sockaddr_in*>(&out.storage);
    in->sin_family = AF_INET;
    in->sin_port = htons(a.port);
    std::memcpy(&in->sin_addr, a.ip.bytes().data(), 4);
    out.size = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(a.port);
    std::memcpy(&in6->sin6_addr, a.ip.bytes().data(), 16);
    out.size = sizeof(sockaddr_in6);
  }
  return out;
}

ip_address ip_of(const sockaddr* sa) {
  if (sa->sa_family == AF_INET6) {
    std::array<std::uint8_t, 16> b;
    std::memcpy(b.data(), &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, 16);
    return ip_address::v6(b);
  }
  std::array<std::uint8_t, 4> b;
  std::memcpy(b.data(), &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
  return ip_address::v4(b);
}

socket_address from_os(const os_address& a) {
  const auto* sa = a.get();
  const std::uint16_t port = sa->sa_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port
                                                       : reinterpret_cast<const sockaddr_in*>(sa)->sin_port;
  return {ip_of(sa), ntohs(port)};
}

result<socket_address> name_of(int fd, bool peer) {
  os_address a;
  a.size = sizeof a.storage;
  if ((peer ? ::getpeername(fd, a.get(), &a.size) : ::getsockname(fd, a.get(), &a.size)) < 0)
    return os_error(errno, peer ? "getpeername" : "getsockname");
  return from_os(a);
}

/// A new socket's number may be an earlier, closed fd's: the reactor forgets that one.
int fresh(int fd) noexcept {
  if (auto* r = loop().driver().reactor<epoll_reactor>()) r->fresh_fd(fd);
  return fd;
}

result<int> open_socket(const socket_address& a, int type) {
  const int fd = ::socket(a.ip.is_v4() ? AF_INET : AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return os_error(errno, "socket");
  return fresh(fd);
}

// Every socket operation below waits only after EAGAIN (or a short read) and
// retries after a wake, so the reactor may keep one edge-triggered registration.
using edge_awaiter = basic_fd_awaiter<edge_watch>;
[[nodiscard]] edge_awaiter ready_to_read(int fd) noexcept { return {fd, false}; }
[[nodiscard]] edge_awaiter ready_to_write(int fd) noexcept { return {fd, true}; }

void set_nodelay(int fd) noexcept {
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

void destroy_socket(tcp_socket* s) noexcept { s->destroy(); }
void destroy_socket(tcp_acceptor* s) noexcept { s->destroy(); }
void destroy_socket(udp_endpoint* s) noexcept { s->destroy(); }

result<socket_address> local_address(const tcp_socket& s) { return name_of(s.fd, false); }
result<socket_address> peer_address(const tcp_socket& s) { return name_of(s.fd, true); }
result<socket_address> local_address(const tcp_acceptor& s) { return name_of(s.fd, false); }
result<socket_address> local_address(const udp_endpoint& s) { return name_of(s.fd, false); }

// --- TCP ---------------------------------------------------------------------

task<tcp_socket_ptr> tcp_connect(socket_address peer) {
  auto fd = open_socket(peer, SOCK_STREAM);
  if (!fd) co_await fail(fd.error());
  tcp_socket_ptr s(new tcp_socket(*fd));  // closes the fd if this task unwinds
  set_nodelay(s->fd);
  const os_address to = to_os(peer);
  if (::connect(s->fd, to.get(), to.size) < 0) {
    if (errno != EINPROGRESS) co_await fail(os_error(errno, ("connect to " + peer.to_string()).c_str()));
    co_await writable(s->fd);
    int e = 0;
    socklen_t len = sizeof e;
    ::getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len);
    if (e != 0) co_await fail(os_error(e, ("connect to " + peer.to_string()).c_str()));
  }
  co_return s;
}

task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into) {
  op_scope scope(s);
  // The last read took less than it could: the socket is most likely empty, so
  // wait for readiness first instead of paying for a recv that says EAGAIN.
  if (std::exchange(s.drained, false)) s.hung_up |= (co_await ready_to_read(s.fd) & (io_hangup | io_error)) != 0;
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    const ssize_t n = ::recv(s.fd, into.data(), into.size(), 0);
    if (n >= 0) {
      s.drained = n > 0 && static_cast<std::size_t>(n) < into.size() && !s.hung_up;
      co_return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_await fail(os_error(errno, "recv"));
    s.hung_up |= (co_await ready_to_read(s.fd) & (io_hangup | io_error)) != 0;
  }
}

task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data) {
  op_scope scope(s);
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    const ssize_t n = ::send(s.fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) co_return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_await fail(os_error(errno, "send"));
    co_await ready_to_write(s.fd);
  }
}

task<void> tcp_shutdown_write(tcp_socket& s) {
  if (s.closed()) co_await fail(closed_error());
  if (::shutdown(s.fd, SHUT_WR) < 0) co_await fail(os_error(errno, "shutdown"));
}

task<tcp_acceptor_ptr> tcp_listen(socket_address local, int backlog) {
  auto fd = open_socket(local, SOCK_STREAM);
  if (!fd) co_await fail(fd.error());
  tcp_acceptor_ptr l(new tcp_acceptor(*fd));
  const int one = 1;
  ::setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const os_address at = to_os(local);
  if (::bind(l->fd, at.get(), at.size) < 0) co_await fail(os_error(errno, ("bind " + local.to_string()).c_str()));
  if (::listen(l->fd, backlog) < 0) co_await fail(os_error(errno, "listen"));
  co_return l;
}

result<tcp_acceptor_ptr> tcp_adopt(int) {
  return not_supported_error("adopting a preopened listener", "native", "use tcp_listener::bind");
}

task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l) {
  op_scope scope(l);
  for (;;) {
    if (l.closed()) co_await fail(closed_error());
    const int fd = ::accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      set_nodelay(fresh(fd));
      co_return tcp_socket_ptr(new tcp_socket(fd));
    }
    // A connection that died in the backlog is not the listener's failure.
    if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_await fail(os_error(errno, "accept"));
    co_await ready_to_read(l.fd);
  }
}

// --- UDP ---------------------------------------------------------------------

task<udp_endpoint_ptr> udp_bind(socket_address local) {
  auto fd = open_socket(local, SOCK_DGRAM);
  if (!fd) co_await fail(fd.error());
  udp_endpoint_ptr u(new udp_endpoint(*fd));
  const os_address at = to_os(local);
  if (::bind(u->fd, at.get(), at.size) < 0) co_await fail(os_error(errno, ("bind " + local.to_string()).c_str()));
  co_return u;
}

task<void> udp_connect(udp_endpoint& u, socket_address peer) {
  if (u.closed()) co_await fail(closed_error());
  const os_address to = to_os(peer);
  if (::connect(u.fd, to.get(), to.size) < 0)
    co_await fail(os_error(errno, ("connect to " + peer.to_string()).c_str()));
  u.connected = true;
}

task<void> udp_send(udp_endpoint& u, std::span<const std::byte> data, std::optional<socket_address> to) {
  op_scope scope(u);
  if (!to && !u.connected) co_await fail(errc::invalid_state, "udp_socket::send: not connected to a peer");
  const os_address dest = to ? to_os(*to) : os_address{};
  for (;;) {
    if (u.closed()) co_await fail(closed_error());
    const ssize_t n = to ? ::sendto(u.fd, data.data(), data.size(), 0, dest.get(), dest.size)
                         : ::send(u.fd, data.data(), data.size(), 0);
    if (n >= 0) co_return;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_await fail(os_error(errno, "sendto"));
    co_await ready_to_write(u.fd);
  }
}

task<datagram_info> udp_receive(udp_endpoint& u, std::span<std::byte> into) {
  op_scope scope(u);
  for (;;) {
    if (u.closed()) co_await fail(closed_error());
    os_address from;
    from.size = sizeof from.storage;
    // MSG_TRUNC: the datagram's real length, to report truncation.
    const ssize_t n = ::recvfrom(u.fd, into.data(), into.size(), MSG_TRUNC, from.get(), &from.size);
    if (n >= 0) {
      const auto size = static_cast<std::size_t>(n);
      co_return datagram_info{std::min(size, into.size()), from_os(from), size > into.size()};
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_await fail(os_error(errno, "recvfrom"));
    co_await ready_to_read(u.fd);
  }
}

// --- name lookup ---------------------------------------------------------------

namespace {

/// One lookup, shared by the loop and its helper thread; whoever lets go last
/// frees it (a cancelled lookup leaves the thread to finish alone).
struct lookup {
  std::string host;
  int event_fd = -1;
  std::vector<ip_address> found;
  error err;
  ~lookup() {
    if (event_fd >= 0) ::close(event_fd);
  }
};

void run_lookup(lookup& l) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address instead of one per socket type
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(l.host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    const errc code = rc == EAI_SYSTEM ? code_of(errno) : errc::host_not_found;
    l.err = error(code, "resolve " + l.host + ": " + (rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc)));
  } else {
    for (const addrinfo* a = list; a; a = a->ai_next) {
      if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
      const ip_address ip = ip_of(a->ai_addr);
      if (std::find(l.found.begin(), l.found.end(), ip) == l.found.end()) l.found.push_back(ip);
    }
    ::freeaddrinfo(list);
    if (l.found.empty()) l.err = error(errc::host_not_found, "resolve " + l.host + ": no IP address");
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(l.event_fd, &one, sizeof one);
}

}  // namespace

task<std::vector<ip_address>> host_resolve(std::string host) {
  auto l = std::make_shared<lookup>();
  l->host = std::move(host);
  l->event_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (l->event_fd < 0) co_await fail(os_error(errno, "eventfd"));
  std::thread([l] { run_lookup(*l); }).detach();
  co_await readable(l->event_fd);
  if (!l->err.ok()) co_await fail(l->err);
  co_return std::move(l->found);
}

}  // namespace wasync::detail
