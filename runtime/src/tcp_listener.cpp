// tcp_listener on top of the host's listen/accept primitives.
#include "wasync/tcp_listener.hpp"

#include "net_guard.hpp"

namespace wasync {
namespace {
error closed() { return detail::closed_error("tcp_listener"); }
}  // namespace

task<tcp_listener> tcp_listener::bind(socket_address local, int backlog) {
  if (backlog < 1) co_await fail(errc::invalid_argument, "tcp_listener::bind: backlog must be at least 1");
  co_return tcp_listener(co_await detail::tcp_listen(local, backlog));
}

result<tcp_listener> tcp_listener::adopt(int fd) {
  if (fd < 0) return error(errc::invalid_argument, "tcp_listener::adopt: negative fd");
  auto a = detail::tcp_adopt(fd);
  if (!a) return a.error();
  return tcp_listener(std::move(*a));
}

task<tcp_stream> tcp_listener::accept() {
  if (accepting_) co_await fail(detail::busy("tcp_listener", "accept"));
  if (!is_open()) co_await fail(closed());
  detail::busy_guard guard(accepting_);
  co_return tcp_stream(co_await detail::tcp_accept(*acceptor_));
}

result<socket_address> tcp_listener::local_address() const {
  if (!is_open()) return closed();
  return detail::local_address(*acceptor_);
}

void tcp_listener::close() noexcept { acceptor_.reset(); }

}  // namespace wasync
