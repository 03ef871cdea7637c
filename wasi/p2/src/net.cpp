// The networking primitives (detail/net_host.hpp) on wasi:sockets 0.2: TCP
// connect/listen/accept through start-/finish- calls and the socket's pollable,
// reads and writes on the connection's wasi:io streams (each write one host
// write within check-write's permit: wasi:sockets has no TCP_NODELAY), UDP on
// datagram streams within check-send's permit, names through ip-name-lookup.
// Resources are dropped children first: pollables, then streams, then sockets.
#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "owned_results.hpp"
#include "pollable.hpp"
#include "streams.hpp"
#include "wasi_address.hpp"
#include "wasync/as_result.hpp"
#include "wasync/detail/net_host.hpp"

namespace wasync::detail {

using op_scope = socket_lifetime::op_scope;
using waits = parked_waits<pollable_wait>;

/// A wasi:sockets socket and the streams made from it (socket_lifetime: the
/// handles are dropped when the last operation has left, after its pollable).
/// Dropping a handle wakes no poll: wake() ends the parked waits.
struct p2_socket : socket_lifetime {
  std::int32_t socket = -1;
  std::int32_t in = -1;   ///< TCP input-stream / UDP incoming-datagram-stream
  std::int32_t out = -1;  ///< TCP output-stream / UDP outgoing-datagram-stream
  bool udp = false;
  waits parked;

  p2_socket(std::int32_t s, bool is_udp) noexcept : socket(s), udp(is_udp) {}
  ~p2_socket() override {
    drop_streams();
    if (udp) wasi_sockets_udp_udp_socket_drop_own({socket});
    else wasi_sockets_tcp_tcp_socket_drop_own({socket});
  }
  void wake() noexcept override { parked.end_all(closed_error()); }
  /// Waits for `p` on `side`.
  [[nodiscard]] waits::wait ready(waits::side side, wasi_io_poll_own_pollable_t p) noexcept {
    return {parked, side, p};
  }

  void drop_streams() noexcept {
    if (udp) {
      if (in >= 0) wasi_sockets_udp_incoming_datagram_stream_drop_own({std::exchange(in, -1)});
      if (out >= 0) wasi_sockets_udp_outgoing_datagram_stream_drop_own({std::exchange(out, -1)});
    } else {
      if (in >= 0) wasi_io_streams_input_stream_drop_own({std::exchange(in, -1)});
      if (out >= 0) wasi_io_streams_output_stream_drop_own({std::exchange(out, -1)});
    }
  }
};

struct tcp_socket : p2_socket {
  tcp_socket(std::int32_t s, std::int32_t i, std::int32_t o) noexcept : p2_socket(s, false) { in = i, out = o; }
};
struct tcp_acceptor : p2_socket {
  explicit tcp_acceptor(std::int32_t s) noexcept : p2_socket(s, false) {}
};
struct udp_endpoint : p2_socket {
  explicit udp_endpoint(std::int32_t s) noexcept : p2_socket(s, true) {}
  bool connected = false;
};

namespace {

std::int32_t network() noexcept {
  static const std::int32_t handle = wasi_sockets_instance_network_instance_network().__handle;
  return handle;
}

/// A wasi:sockets error code as a wasync error. `flag`: the wasmtime option
/// that grants this kind of access.
error socket_error(wasi_sockets_network_error_code_t code, const std::string& what,
                   const char* flag = "-S inherit-network") {
  switch (code) {
    case WASI_SOCKETS_NETWORK_ERROR_CODE_ACCESS_DENIED:
      return error(errc::not_permitted, what + ": not permitted by the host (run wasmtime with " + flag + ")");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_CONNECTION_REFUSED:
      return error(errc::connection_refused, what + ": connection refused");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_CONNECTION_RESET:
    case WASI_SOCKETS_NETWORK_ERROR_CODE_CONNECTION_ABORTED:
      return error(errc::connection_reset, what + ": connection reset by peer");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_ADDRESS_IN_USE:
      return error(errc::address_in_use, what + ": address in use");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_TIMEOUT:
      return error(errc::timeout, what + ": timed out");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_NAME_UNRESOLVABLE:
      return error(errc::host_not_found, what + ": no such host");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_PERMANENT_RESOLVER_FAILURE:
      // What wasmtime answers when name lookup is not allowed at all.
      return error(errc::not_permitted, what + ": name lookup refused by the host (run wasmtime with " + flag + ")");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_INVALID_ARGUMENT:
    case WASI_SOCKETS_NETWORK_ERROR_CODE_ADDRESS_NOT_BINDABLE:
      return error(errc::invalid_argument, what + ": invalid address");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_DATAGRAM_TOO_LARGE:
      return error(errc::invalid_argument, what + ": datagram too large");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_NOT_SUPPORTED:
      return error(errc::not_supported, what + ": not supported by the host");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_INVALID_STATE:
      return error(errc::invalid_state, what + ": invalid socket state");
    case WASI_SOCKETS_NETWORK_ERROR_CODE_NEW_SOCKET_LIMIT:
      return error(errc::too_many_open_files, what + ": too many open sockets");
    default:
      return error(errc::network_error, what + ": wasi:sockets error " + std::to_string(code));
  }
}

/// A failed TCP stream: wasi:sockets 0.2 gives only the host's text (the
/// error code needs the unstable network-error-code), so resets are told by it
/// (wasmtime: "ConnectionReset", "ConnectionAborted", "BrokenPipe").
error tcp_stream_error(wasi_io_streams_stream_error_t& e, const char* what) {
  error failure = stream_failure(e, what, errc::network_error, errc::closed);
  const std::string& m = failure.message();
  for (const char* reset : {"Reset", "reset", "Aborted", "aborted", "BrokenPipe", "Broken pipe"})
    if (failure.is(errc::network_error) && m.find(reset) != std::string::npos)
      return error(errc::connection_reset, m + " (connection reset by peer)");
  return failure;
}

static_assert(WASI_SOCKETS_NETWORK_IP_ADDRESS_IPV4 == wasi_address::ipv4 && WASI_SOCKETS_NETWORK_IP_ADDRESS_IPV6 == wasi_address::ipv6 &&
              WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4 == wasi_address::ipv4 &&
              WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV6 == wasi_address::ipv6);

wasi_sockets_network_ip_socket_address_t to_wasi(const socket_address& a) noexcept {
  return wasi_address::to_wasi<wasi_sockets_network_ip_socket_address_t>(a);
}
ip_address from_wasi(const wasi_sockets_network_ip_address_t& w) noexcept { return wasi_address::from_wasi(w); }
socket_address from_wasi(const wasi_sockets_network_ip_socket_address_t& w) noexcept { return wasi_address::from_wasi_socket(w); }

wasi_sockets_network_ip_address_family_t family_of(const socket_address& a) noexcept {
  return a.ip.is_v4() ? WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4 : WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV6;
}

result<std::int32_t> new_tcp_socket(const socket_address& a, const std::string& what) {
  wasi_sockets_tcp_create_socket_own_tcp_socket_t s;
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_tcp_create_socket_create_tcp_socket(family_of(a), &s, &code)) return socket_error(code, what);
  return s.__handle;
}

/// Runs a finish-* call until it stops saying would-block, waiting on the
/// socket's pollable in between. `finish` returns true when done, else sets code.
template <class Finish>
task<void> finish_on(p2_socket& s, Finish finish, std::string what) {
  for (;;) {
    wasi_sockets_network_error_code_t code = 0;
    if (finish(code)) co_return;
    if (code != WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK) co_await fail(socket_error(code, what));
    co_await s.ready(waits::read_side, wasi_sockets_tcp_method_tcp_socket_subscribe({s.socket}));
    if (s.closed()) co_await fail(closed_error());
  }
}

template <class S>
result<socket_address> tcp_address(const S& s, bool remote) {
  if (s.closed()) return closed_error();
  wasi_sockets_network_ip_socket_address_t a;
  wasi_sockets_network_error_code_t code;
  const bool ok = remote ? wasi_sockets_tcp_method_tcp_socket_remote_address({s.socket}, &a, &code)
                         : wasi_sockets_tcp_method_tcp_socket_local_address({s.socket}, &a, &code);
  if (!ok) return socket_error(code, remote ? "peer address" : "local address");
  return from_wasi(a);
}

}  // namespace

void destroy_socket(tcp_socket* s) noexcept { s->destroy(); }
void destroy_socket(tcp_acceptor* s) noexcept { s->destroy(); }
void destroy_socket(udp_endpoint* s) noexcept { s->destroy(); }

task<std::vector<ip_address>> host_resolve(std::string host) {
  const std::string what = "resolve " + host;
  wasip2_string_t name{reinterpret_cast<std::uint8_t*>(host.data()), host.size()};
  wasi_sockets_ip_name_lookup_own_resolve_address_stream_t stream;
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_ip_name_lookup_resolve_addresses({network()}, &name, &stream, &code))
    co_return socket_error(code, what, "-S allow-ip-name-lookup");
  struct stream_owner {
    std::int32_t h;
    ~stream_owner() { wasi_sockets_ip_name_lookup_resolve_address_stream_drop_own({h}); }
  } owner{stream.__handle};
  std::vector<ip_address> out;
  for (;;) {
    wasi_sockets_ip_name_lookup_option_ip_address_t next;
    if (wasi_sockets_ip_name_lookup_method_resolve_address_stream_resolve_next_address({owner.h}, &next, &code)) {
      if (!next.is_some) break;
      out.push_back(from_wasi(next.val));
      continue;
    }
    if (code != WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK)
      co_return socket_error(code, what, "-S allow-ip-name-lookup");
    co_await ready(wasi_sockets_ip_name_lookup_method_resolve_address_stream_subscribe({owner.h}));
  }
  if (out.empty()) co_return error(errc::host_not_found, what + ": no address");
  co_return out;
}

task<tcp_socket_ptr> tcp_connect(socket_address peer) {
  const std::string what = "connect to " + peer.to_string();
  auto sock = new_tcp_socket(peer, what);
  if (!sock) co_return sock.error();
  tcp_socket_ptr s(new tcp_socket(*sock, -1, -1));
  op_scope op(*s);
  auto addr = to_wasi(peer);
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_tcp_method_tcp_socket_start_connect({s->socket}, {network()}, &addr, &code))
    co_return socket_error(code, what);
  co_await finish_on(
      *s,
      [&](wasi_sockets_network_error_code_t& c) {
        wasi_sockets_tcp_tuple2_own_input_stream_own_output_stream_t streams;
        if (!wasi_sockets_tcp_method_tcp_socket_finish_connect({s->socket}, &streams, &c)) return false;
        s->in = streams.f0.__handle;
        s->out = streams.f1.__handle;
        return true;
      },
      what);
  co_return s;
}

task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    wasip2_list_u8_t got;
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_input_stream_read({s.in}, into.size(), &got, &err)) {
      if (err.tag == WASI_IO_STREAMS_STREAM_ERROR_CLOSED) co_return 0;  // the peer closed its side
      co_await fail(tcp_stream_error(err, "TCP read"));
    }
    const std::size_t n = std::min(got.len, into.size());
    if (n > 0) std::memcpy(into.data(), got.ptr, n);
    wasip2_list_u8_free(&got);
    if (n > 0) co_return n;
    co_await s.ready(waits::read_side, wasi_io_streams_method_input_stream_subscribe({s.in}));
  }
}

task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    wasi_io_streams_stream_error_t err;
    std::uint64_t permit = 0;
    if (!wasi_io_streams_method_output_stream_check_write({s.out}, &permit, &err))
      co_await fail(tcp_stream_error(err, "TCP write"));
    if (permit > 0) {
      // Within the permit (more traps), in one host write.
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(permit, data.size()));
      wasip2_list_u8_t piece{reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(data.data())), n};
      if (!wasi_io_streams_method_output_stream_write({s.out}, &piece, &err))
        co_await fail(tcp_stream_error(err, "TCP write"));
      co_return n;
    }
    co_await s.ready(waits::write_side, wasi_io_streams_method_output_stream_subscribe({s.out}));
  }
}

task<void> tcp_shutdown_write(tcp_socket& s) {
  op_scope op(s);
  if (s.closed()) co_await fail(closed_error());
  // What was written goes out before the FIN: flush, and wait for it.
  wasi_io_streams_stream_error_t err;
  if (!wasi_io_streams_method_output_stream_flush({s.out}, &err)) co_await fail(tcp_stream_error(err, "TCP shutdown"));
  for (;;) {
    std::uint64_t permit = 0;
    if (!wasi_io_streams_method_output_stream_check_write({s.out}, &permit, &err))
      co_await fail(tcp_stream_error(err, "TCP shutdown"));
    if (permit > 0) break;
    co_await s.ready(waits::write_side, wasi_io_streams_method_output_stream_subscribe({s.out}));
    if (s.closed()) co_await fail(closed_error());
  }
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_tcp_method_tcp_socket_shutdown({s.socket}, WASI_SOCKETS_TCP_SHUTDOWN_TYPE_SEND, &code))
    co_await fail(socket_error(code, "TCP shutdown"));
}

result<socket_address> local_address(const tcp_socket& s) { return tcp_address(s, false); }
result<socket_address> peer_address(const tcp_socket& s) { return tcp_address(s, true); }
result<socket_address> local_address(const tcp_acceptor& l) { return tcp_address(l, false); }

task<tcp_acceptor_ptr> tcp_listen(socket_address local, int backlog) {
  const std::string what = "listen on " + local.to_string();
  auto sock = new_tcp_socket(local, what);
  if (!sock) co_return sock.error();
  tcp_acceptor_ptr l(new tcp_acceptor(*sock));
  op_scope op(*l);
  auto addr = to_wasi(local);
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_tcp_method_tcp_socket_start_bind({l->socket}, {network()}, &addr, &code))
    co_return socket_error(code, what);
  co_await finish_on(
      *l,
      [&](wasi_sockets_network_error_code_t& c) {
        return wasi_sockets_tcp_method_tcp_socket_finish_bind({l->socket}, &c);
      },
      what);
  if (backlog > 0) (void)wasi_sockets_tcp_method_tcp_socket_set_listen_backlog_size({l->socket}, backlog, &code);
  if (!wasi_sockets_tcp_method_tcp_socket_start_listen({l->socket}, &code)) co_return socket_error(code, what);
  co_await finish_on(
      *l,
      [&](wasi_sockets_network_error_code_t& c) {
        return wasi_sockets_tcp_method_tcp_socket_finish_listen({l->socket}, &c);
      },
      what);
  co_return l;
}

result<tcp_acceptor_ptr> tcp_adopt(int) {
  return not_supported_error("adopting a preopened listener", "WASI preview2", "use tcp_listener::bind");
}

task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l) {
  op_scope op(l);
  tcp_socket_ptr conn;
  wasi_sockets_network_error_code_t code = 0;
  auto accepted = co_await as_result(finish_on(
      l,
      [&](wasi_sockets_network_error_code_t& c) {
        wasi_sockets_tcp_tuple3_own_tcp_socket_own_input_stream_own_output_stream_t t;
        if (!wasi_sockets_tcp_method_tcp_socket_accept({l.socket}, &t, &c)) {
          code = c;
          return false;
        }
        conn.reset(new tcp_socket(t.f0.__handle, t.f1.__handle, t.f2.__handle));
        return true;
      },
      "accept"));
  // wasmtime answers EMFILE and ENFILE with `unknown` (its errno table has no
  // entry for them); the other errors accept meets have codes of their own.
  if (!accepted && code == WASI_SOCKETS_NETWORK_ERROR_CODE_UNKNOWN && !l.closed())
    co_return error(errc::too_many_open_files, "accept: out of file descriptors (wasi:sockets error unknown)");
  if (!accepted) co_return accepted.error();
  co_return conn;
}

task<udp_endpoint_ptr> udp_bind(socket_address local) {
  const std::string what = "UDP bind " + local.to_string();
  wasi_sockets_udp_create_socket_own_udp_socket_t sock;
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_udp_create_socket_create_udp_socket(family_of(local), &sock, &code))
    co_return socket_error(code, what);
  udp_endpoint_ptr u(new udp_endpoint(sock.__handle));
  op_scope op(*u);
  auto addr = to_wasi(local);
  if (!wasi_sockets_udp_method_udp_socket_start_bind({u->socket}, {network()}, &addr, &code))
    co_return socket_error(code, what);
  for (;;) {
    if (wasi_sockets_udp_method_udp_socket_finish_bind({u->socket}, &code)) break;
    if (code != WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK) co_return socket_error(code, what);
    co_await u->ready(waits::read_side, wasi_sockets_udp_method_udp_socket_subscribe({u->socket}));
  }
  wasi_sockets_udp_tuple2_own_incoming_datagram_stream_own_outgoing_datagram_stream_t streams;
  if (!wasi_sockets_udp_method_udp_socket_stream({u->socket}, nullptr, &streams, &code))
    co_return socket_error(code, what);
  u->in = streams.f0.__handle;
  u->out = streams.f1.__handle;
  co_return u;
}

task<void> udp_connect(udp_endpoint& u, socket_address peer) {
  op_scope op(u);
  if (u.closed()) co_await fail(closed_error());
  if (u.parked.any())
    co_await fail(error(errc::invalid_state, "UDP connect while a send or receive is in flight"));
  // A new default peer means new datagram streams (the old ones go first).
  u.drop_streams();
  auto addr = to_wasi(peer);
  wasi_sockets_network_error_code_t code;
  wasi_sockets_udp_tuple2_own_incoming_datagram_stream_own_outgoing_datagram_stream_t streams;
  if (!wasi_sockets_udp_method_udp_socket_stream({u.socket}, &addr, &streams, &code))
    co_await fail(socket_error(code, "UDP connect to " + peer.to_string()));
  u.in = streams.f0.__handle;
  u.out = streams.f1.__handle;
  u.connected = true;
}

task<void> udp_send(udp_endpoint& u, std::span<const std::byte> data, std::optional<socket_address> to) {
  op_scope op(u);
  if (!to && !u.connected)
    co_await fail(error(errc::invalid_state, "UDP send without an address on an unconnected socket"));
  const std::string what = "UDP send" + (to ? " to " + to->to_string() : std::string());
  wasi_sockets_udp_outgoing_datagram_t d{};
  d.data = {reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(data.data())), data.size()};
  // A connected socket takes no address (or only its peer's): leave it out.
  if (to && !u.connected) d.remote_address = {true, to_wasi(*to)};
  for (;;) {
    if (u.closed()) co_await fail(closed_error());
    std::uint64_t permit = 0;
    wasi_sockets_network_error_code_t code;
    if (!wasi_sockets_udp_method_outgoing_datagram_stream_check_send({u.out}, &permit, &code))
      co_await fail(socket_error(code, what));
    if (permit > 0) {
      wasi_sockets_udp_list_outgoing_datagram_t list{&d, 1};
      std::uint64_t sent = 0;
      if (!wasi_sockets_udp_method_outgoing_datagram_stream_send({u.out}, &list, &sent, &code))
        co_await fail(socket_error(code, what));
      if (sent == 1) co_return;
    }
    co_await u.ready(waits::write_side, wasi_sockets_udp_method_outgoing_datagram_stream_subscribe({u.out}));
  }
}

task<datagram_info> udp_receive(udp_endpoint& u, std::span<std::byte> into) {
  op_scope op(u);
  for (;;) {
    if (u.closed()) co_await fail(closed_error());
    wasi_sockets_udp_list_incoming_datagram_t got;
    wasi_sockets_network_error_code_t code;
    if (!wasi_sockets_udp_method_incoming_datagram_stream_receive({u.in}, 1, &got, &code))
      co_await fail(socket_error(code, "UDP receive"));
    if (got.len > 0) {
      const auto& d = got.ptr[0];
      datagram_info info;
      info.size = std::min(d.data.len, into.size());
      info.truncated = d.data.len > into.size();
      if (info.size > 0) std::memcpy(into.data(), d.data.ptr, info.size);
      info.from = from_wasi(d.remote_address);
      free_datagrams(got);
      co_return info;
    }
    free_datagrams(got);
    co_await u.ready(waits::read_side, wasi_sockets_udp_method_incoming_datagram_stream_subscribe({u.in}));
  }
}

result<socket_address> local_address(const udp_endpoint& u) {
  if (u.closed()) return closed_error();
  wasi_sockets_network_ip_socket_address_t a;
  wasi_sockets_network_error_code_t code;
  if (!wasi_sockets_udp_method_udp_socket_local_address({u.socket}, &a, &code))
    return socket_error(code, "local address");
  return from_wasi(a);
}

}  // namespace wasync::detail
