// The networking primitives (detail/net_host.hpp) on wasi:sockets 0.3. Connect
// and name lookup are async imports: a subtask awaited through the waitable
// reactor (subtask_wait.hpp). A connection's bytes are its receive and send
// stream<u8>s (byte_stream.hpp), whose futures say at their end whether it
// ended cleanly; a listener's connections come from a stream<tcp-socket>,
// read one at a time. An operation the task stops waiting for keeps running:
// a read's bytes and an accepted connection go to the next call. UDP's send
// and receive are async imports too: a cancelled one cancels its subtask (a
// datagram received as it was cancelled goes to the next receive).
#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "byte_stream.hpp"
#include "single_op.hpp"
#include "subtask_wait.hpp"
#include "wasi_address.hpp"
#include "wasip3.h"
#include "wasync/detail/net_host.hpp"

namespace wasync::detail {

using op_scope = socket_lifetime::op_scope;
using waits = parked_waits<single_op::wait>;

namespace {

/// A wasi:sockets error code as a wasync error (frees what the code holds).
error socket_error(wasi_sockets_types_error_code_t& code, const std::string& what) {
  error e;
  switch (code.tag) {
    case WASI_SOCKETS_TYPES_ERROR_CODE_ACCESS_DENIED:
      e = error(errc::not_permitted, what + ": not permitted by the host (run wasmtime with -S inherit-network)");
      break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_CONNECTION_REFUSED: e = error(errc::connection_refused, what + ": connection refused"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_CONNECTION_RESET:
    case WASI_SOCKETS_TYPES_ERROR_CODE_CONNECTION_ABORTED:
    case WASI_SOCKETS_TYPES_ERROR_CODE_CONNECTION_BROKEN:
      e = error(errc::connection_reset, what + ": connection reset by peer");
      break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_ADDRESS_IN_USE: e = error(errc::address_in_use, what + ": address in use"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_TIMEOUT: e = error(errc::timeout, what + ": timed out"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_INVALID_ARGUMENT:
    case WASI_SOCKETS_TYPES_ERROR_CODE_ADDRESS_NOT_BINDABLE:
      e = error(errc::invalid_argument, what + ": invalid address");
      break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_NOT_SUPPORTED: e = error(errc::not_supported, what + ": not supported by the host"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_INVALID_STATE: e = error(errc::invalid_state, what + ": invalid socket state"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_REMOTE_UNREACHABLE: e = error(errc::network_error, what + ": remote unreachable"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_DATAGRAM_TOO_LARGE: e = error(errc::invalid_argument, what + ": datagram too large"); break;
    case WASI_SOCKETS_TYPES_ERROR_CODE_OTHER:
      if (code.val.other.is_some) {
        const wasip3_string_t& s = code.val.other.val;
        e = error(errc::network_error, what + ": " + std::string(reinterpret_cast<const char*>(s.ptr), s.len));
        break;
      }
      [[fallthrough]];
    default: e = error(errc::network_error, what + ": wasi:sockets error " + std::to_string(code.tag)); break;
  }
  wasi_sockets_types_error_code_free(&code);
  return e;
}

static_assert(WASI_SOCKETS_TYPES_IP_ADDRESS_IPV4 == wasi_address::ipv4 && WASI_SOCKETS_TYPES_IP_ADDRESS_IPV6 == wasi_address::ipv6 &&
              WASI_SOCKETS_TYPES_IP_SOCKET_ADDRESS_IPV4 == wasi_address::ipv4 &&
              WASI_SOCKETS_TYPES_IP_SOCKET_ADDRESS_IPV6 == wasi_address::ipv6);

wasi_sockets_types_ip_socket_address_t to_wasi(const socket_address& a) noexcept {
  return wasi_address::to_wasi<wasi_sockets_types_ip_socket_address_t>(a);
}
ip_address from_wasi(const wasi_sockets_types_ip_address_t& w) noexcept { return wasi_address::from_wasi(w); }
socket_address from_wasi(const wasi_sockets_types_ip_socket_address_t& w) noexcept { return wasi_address::from_wasi_socket(w); }

result<std::int32_t> new_tcp_socket(const socket_address& a, const std::string& what) {
  wasi_sockets_types_own_tcp_socket_t s;
  wasi_sockets_types_error_code_t code;
  const auto family = a.ip.is_v4() ? WASI_SOCKETS_TYPES_IP_ADDRESS_FAMILY_IPV4 : WASI_SOCKETS_TYPES_IP_ADDRESS_FAMILY_IPV6;
  if (!wasi_sockets_types_static_tcp_socket_create(family, &s, &code)) return socket_error(code, what);
  return s.__handle;
}

/// The future<result<_, error-code>> that tells how a connection's stream
/// ended, read once, into a result it owns.
class stream_outcome final : public single_op {
 public:
  ~stream_outcome() { close(); }
  void attach(std::uint32_t future) noexcept { future_ = future; }
  /// The outcome once known (ok: a clean end), else starts reading it.
  std::optional<error> poll(const std::string& what) noexcept {
    if (!known_ && !in_flight_ && future_ != 0) {
      const std::uint32_t status = wasi_sockets_types_future_result_void_error_code_read(future_, &value_);
      if (status == WASIP3_WAITABLE_STATUS_BLOCKED) went_pending(future_);
      else known_ = true;
    }
    if (!known_) return std::nullopt;
    if (!value_.is_err) return error();
    if (!outcome_) outcome_ = socket_error(value_.val.err, what);  // frees the code
    return *outcome_;
  }
  void close() noexcept {
    if (future_ == 0) return;
    if (in_flight_) {
      stop_pending(future_);
      (void)wasi_sockets_types_future_result_void_error_code_cancel_read(future_);
    }
    reactor().forget(future_);
    wasi_sockets_types_future_result_void_error_code_drop_readable(std::exchange(future_, 0));
    if (known_ && value_.is_err && !outcome_) wasi_sockets_types_error_code_free(&value_.val.err);
    op_done();
  }

 private:
  void on_event(waitable_event, std::uint32_t) noexcept override {
    known_ = true;
    op_done();
  }
  std::uint32_t future_ = 0;
  wasi_sockets_types_result_void_error_code_t value_{};
  bool known_ = false;
  std::optional<error> outcome_;
};

}  // namespace

/// A connected TCP socket: its receive and send streams and their outcomes.
struct tcp_socket : socket_lifetime {
  std::int32_t socket;
  byte_stream in{socket_bytes, byte_stream::end::readable, "TCP read"};
  byte_stream out{socket_bytes, byte_stream::end::writable, "TCP write"};
  stream_outcome received;  ///< receive's future: a clean end (FIN) or why not
  stream_outcome sent;      ///< send's future
  waits parked;

  explicit tcp_socket(std::int32_t s) noexcept : socket(s) {}
  ~tcp_socket() override {
    in.close();
    out.close();
    received.close();
    sent.close();
    wasi_sockets_types_tcp_socket_drop_own({socket});
  }
  void wake() noexcept override { parked.end_all(closed_error()); }

  /// A connected socket's streams: receive, and send from a stream of ours.
  void open_streams() noexcept {
    wasi_sockets_types_tuple2_stream_u8_future_result_void_error_code_t r;
    wasi_sockets_types_method_tcp_socket_receive({socket}, &r);
    in.attach(r.f0);
    received.attach(r.f1);
    wasi_sockets_types_stream_u8_writer_t writer;
    const wasi_sockets_types_stream_u8_t reader = wasi_sockets_types_stream_u8_new(&writer);
    out.attach(writer);
    sent.attach(wasi_sockets_types_method_tcp_socket_send({socket}, reader));
  }
};

namespace {

/// A listener's stream<tcp-socket>: one read of one connection at a time,
/// into a slot of its own; a connection accepted while nobody waited stays
/// there for the next accept.
class connection_stream final : public single_op {
 public:
  ~connection_stream() { close(); }
  void attach(std::uint32_t stream) noexcept { stream_ = stream; }
  /// An accepted connection's socket (taken), else 0 and starts a read.
  std::int32_t take() noexcept {
    if (accepted_.__handle == 0 && !in_flight_ && !ended_ && stream_ != 0) {
      const std::uint32_t status = wasi_sockets_types_stream_own_tcp_socket_read(stream_, &accepted_, 1);
      if (status == WASIP3_WAITABLE_STATUS_BLOCKED) went_pending(stream_);
      else apply(status);
    }
    return std::exchange(accepted_.__handle, 0);
  }
  bool ended() const noexcept { return ended_; }
  void close() noexcept {
    if (stream_ == 0) return;
    if (in_flight_) {
      stop_pending(stream_);
      apply(wasi_sockets_types_stream_own_tcp_socket_cancel_read(stream_));
    }
    if (accepted_.__handle != 0) wasi_sockets_types_tcp_socket_drop_own(std::exchange(accepted_, {}));
    reactor().forget(stream_);
    wasi_sockets_types_stream_own_tcp_socket_drop_readable(std::exchange(stream_, 0));
    ended_ = true;
    op_done();
  }

 private:
  void apply(std::uint32_t status) noexcept {
    if (WASIP3_WAITABLE_COUNT(status) == 0) accepted_.__handle = 0;
    if (WASIP3_WAITABLE_STATE(status) == WASIP3_WAITABLE_DROPPED) ended_ = true;
  }
  void on_event(waitable_event, std::uint32_t code) noexcept override {
    in_flight_ = false;
    apply(code);
    op_done();
  }
  std::uint32_t stream_ = 0;
  wasi_sockets_types_own_tcp_socket_t accepted_{0};
  bool ended_ = false;
};

}  // namespace

struct tcp_acceptor : socket_lifetime {
  std::int32_t socket;
  connection_stream connections;
  waits parked;

  explicit tcp_acceptor(std::int32_t s) noexcept : socket(s) {}
  ~tcp_acceptor() override {
    connections.close();
    wasi_sockets_types_tcp_socket_drop_own({socket});
  }
  void wake() noexcept override { parked.end_all(closed_error()); }
};

using udp_waits = parked_waits<subtask_wait>;
using receive_results = import_results<wasi_sockets_types_result_tuple2_list_u8_ip_socket_address_error_code_t,
                                       wasi_sockets_types_result_tuple2_list_u8_ip_socket_address_error_code_free>;
using send_results = import_results<wasi_sockets_types_result_void_error_code_t,
                                    wasi_sockets_types_result_void_error_code_free>;

/// A UDP socket: a receive and a send subtask at most, each awaited by the
/// task that started it.
struct udp_endpoint : socket_lifetime {
  std::int32_t socket;
  /// Where receive writes; it outlives a cancelled receive, whose datagram
  /// (when the host had one as it was cancelled) the next receive takes.
  receive_results received;
  bool connected = false;
  udp_waits parked;

  explicit udp_endpoint(std::int32_t s) noexcept : socket(s) {}
  ~udp_endpoint() override { wasi_sockets_types_udp_socket_drop_own({socket}); }
  void wake() noexcept override { parked.end_all(closed_error()); }
};

void destroy_socket(tcp_socket* s) noexcept { s->destroy(); }
void destroy_socket(tcp_acceptor* s) noexcept { s->destroy(); }
void destroy_socket(udp_endpoint* s) noexcept { s->destroy(); }

namespace {

template <class S>
result<socket_address> tcp_address(const S& s, bool remote) {
  if (s.closed()) return closed_error();
  wasi_sockets_types_ip_socket_address_t a;
  wasi_sockets_types_error_code_t code;
  const bool ok = remote ? wasi_sockets_types_method_tcp_socket_get_remote_address({s.socket}, &a, &code)
                         : wasi_sockets_types_method_tcp_socket_get_local_address({s.socket}, &a, &code);
  if (!ok) return socket_error(code, remote ? "peer address" : "local address");
  return from_wasi(a);
}

/// Waits for the outcome of a connection's stream: ok for a clean end.
task<void> outcome_of(tcp_socket& s, stream_outcome& o, waits::side side, std::string what) {
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    if (auto e = o.poll(what)) {
      if (!e->ok()) co_await fail(*e);
      co_return;
    }
    co_await waits::wait(s.parked, side, o);
  }
}

using resolve_results = import_results<wasi_sockets_ip_name_lookup_result_list_ip_address_error_code_t,
                                       wasi_sockets_ip_name_lookup_result_list_ip_address_error_code_free>;
using connect_results = import_results<wasi_sockets_types_result_void_error_code_t,
                                       wasi_sockets_types_result_void_error_code_free>;

}  // namespace

task<std::vector<ip_address>> host_resolve(std::string host) {
  const std::string what = "resolve " + host;
  resolve_results res;
  // The name is read when the call starts, which may be after it returned: it lives in this frame.
  const wasip3_subtask_status_t st =
      wasi_sockets_ip_name_lookup_resolve_addresses({reinterpret_cast<std::uint8_t*>(host.data()), host.size()}, &res.value);
  co_await subtask_wait(st, res.returned);
  if (res.value.is_err) {
    const auto& e = res.value.val.err;
    switch (e.tag) {
      case WASI_SOCKETS_IP_NAME_LOOKUP_ERROR_CODE_NAME_UNRESOLVABLE: co_return error(errc::host_not_found, what + ": no such host");
      case WASI_SOCKETS_IP_NAME_LOOKUP_ERROR_CODE_ACCESS_DENIED:
      case WASI_SOCKETS_IP_NAME_LOOKUP_ERROR_CODE_PERMANENT_RESOLVER_FAILURE:
        // What wasmtime answers when name lookup is not allowed at all.
        co_return error(errc::not_permitted, what + ": name lookup refused by the host (run wasmtime with -S allow-ip-name-lookup)");
      case WASI_SOCKETS_IP_NAME_LOOKUP_ERROR_CODE_INVALID_ARGUMENT: co_return error(errc::invalid_argument, what + ": invalid name");
      default: co_return error(errc::network_error, what + ": name lookup failed (" + std::to_string(e.tag) + ")");
    }
  }
  std::vector<ip_address> out;
  for (std::size_t i = 0; i < res.value.val.ok.len; ++i) out.push_back(from_wasi(res.value.val.ok.ptr[i]));
  if (out.empty()) co_return error(errc::host_not_found, what + ": no address");
  co_return out;
}

task<tcp_socket_ptr> tcp_connect(socket_address peer) {
  const std::string what = "connect to " + peer.to_string();
  auto sock = new_tcp_socket(peer, what);
  if (!sock) co_return sock.error();
  tcp_socket_ptr s(new tcp_socket(*sock));
  op_scope op(*s);
  // The arguments are read when the call starts: they live in this frame.
  wasi_sockets_types_method_tcp_socket_connect_args_t args{{s->socket}, to_wasi(peer)};
  connect_results res;
  co_await subtask_wait(wasi_sockets_types_method_tcp_socket_connect(&args, &res.value), res.returned);
  if (res.value.is_err) {
    res.returned = false;  // socket_error frees the code
    co_return socket_error(res.value.val.err, what);
  }
  s->open_streams();
  co_return s;
}

task<std::size_t> tcp_read_some(tcp_socket& s, std::span<std::byte> into) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    const fd_io r = s.in.read_now(into);
    if (!r.would_block) {
      // The end of the stream: the peer closed its side, or the connection broke.
      if (r.n == 0) co_await outcome_of(s, s.received, waits::read_side, "TCP read");
      co_return r.n;
    }
    co_await waits::wait(s.parked, waits::read_side, s.in);
  }
}

task<std::size_t> tcp_write_some(tcp_socket& s, std::span<const std::byte> data) {
  op_scope op(s);
  for (;;) {
    if (s.closed()) co_await fail(closed_error());
    const fd_io r = s.out.write_now(data);
    if (!r.err.ok()) {  // the host dropped its end: the send future says why
      co_await outcome_of(s, s.sent, waits::write_side, "TCP write");
      co_await fail(r.err);
    }
    // Returns once the host took the bytes; a cancelled wait leaves the write whole.
    co_await waits::wait(s.parked, waits::write_side, s.out);
    if (s.closed()) co_await fail(closed_error());
    if (r.would_block) continue;
    if (s.out.ended()) {
      co_await outcome_of(s, s.sent, waits::write_side, "TCP write");
      co_await fail(error(errc::closed, "TCP write: the connection was closed"));
    }
    co_return r.n;
  }
}

task<void> tcp_shutdown_write(tcp_socket& s) {
  op_scope op(s);
  if (s.closed()) co_await fail(closed_error());
  // What was written goes out before the FIN: the write in flight ends first.
  co_await waits::wait(s.parked, waits::write_side, s.out);
  if (s.closed()) co_await fail(closed_error());
  s.out.close();  // dropping our end of the send stream sends the FIN
}

result<socket_address> local_address(const tcp_socket& s) { return tcp_address(s, false); }
result<socket_address> peer_address(const tcp_socket& s) { return tcp_address(s, true); }
result<socket_address> local_address(const tcp_acceptor& l) { return tcp_address(l, false); }

task<tcp_acceptor_ptr> tcp_listen(socket_address local, int backlog) {
  const std::string what = "listen on " + local.to_string();
  auto sock = new_tcp_socket(local, what);
  if (!sock) co_return sock.error();
  tcp_acceptor_ptr l(new tcp_acceptor(*sock));
  wasi_sockets_types_error_code_t code;
  auto addr = to_wasi(local);
  if (!wasi_sockets_types_method_tcp_socket_bind({l->socket}, &addr, &code)) co_return socket_error(code, what);
  if (backlog > 0 &&
      !wasi_sockets_types_method_tcp_socket_set_listen_backlog_size({l->socket}, static_cast<std::uint64_t>(backlog), &code))
    wasi_sockets_types_error_code_free(&code);  // a hint the host may ignore
  wasi_sockets_types_stream_own_tcp_socket_t connections;
  if (!wasi_sockets_types_method_tcp_socket_listen({l->socket}, &connections, &code)) co_return socket_error(code, what);
  l->connections.attach(connections);
  co_return l;
}

result<tcp_acceptor_ptr> tcp_adopt(int) {
  return not_supported_error("adopting a preopened listener", "WASI 0.3", "use tcp_listener::bind");
}

task<tcp_socket_ptr> tcp_accept(tcp_acceptor& l) {
  op_scope op(l);
  for (;;) {
    if (l.closed()) co_await fail(closed_error());
    if (const std::int32_t h = l.connections.take()) {
      tcp_socket_ptr s(new tcp_socket(h));
      s->open_streams();
      co_return s;
    }
    if (l.connections.ended()) co_await fail(error(errc::closed, "TCP accept: the listener stopped"));
    co_await waits::wait(l.parked, waits::read_side, l.connections);
  }
}

task<udp_endpoint_ptr> udp_bind(socket_address local) {
  const std::string what = "UDP bind " + local.to_string();
  wasi_sockets_types_own_udp_socket_t sock;
  wasi_sockets_types_error_code_t code;
  const auto family = local.ip.is_v4() ? WASI_SOCKETS_TYPES_IP_ADDRESS_FAMILY_IPV4 : WASI_SOCKETS_TYPES_IP_ADDRESS_FAMILY_IPV6;
  if (!wasi_sockets_types_static_udp_socket_create(family, &sock, &code)) co_return socket_error(code, what);
  udp_endpoint_ptr u(new udp_endpoint(sock.__handle));
  auto addr = to_wasi(local);
  if (!wasi_sockets_types_method_udp_socket_bind({u->socket}, &addr, &code)) co_return socket_error(code, what);
  co_return u;
}

task<void> udp_connect(udp_endpoint& u, socket_address peer) {
  op_scope op(u);
  if (u.closed()) co_await fail(closed_error());
  if (u.parked.any()) co_await fail(error(errc::invalid_state, "UDP connect while a send or receive is in flight"));
  auto addr = to_wasi(peer);
  wasi_sockets_types_error_code_t code;
  if (!wasi_sockets_types_method_udp_socket_connect({u.socket}, &addr, &code))
    co_await fail(socket_error(code, "UDP connect to " + peer.to_string()));
  // A datagram a cancelled receive kept came from any peer: not necessarily this one.
  u.received.reset();
  u.connected = true;
}

task<void> udp_send(udp_endpoint& u, std::span<const std::byte> data, std::optional<socket_address> to) {
  op_scope op(u);
  if (u.closed()) co_await fail(closed_error());
  if (!to && !u.connected)
    co_await fail(error(errc::invalid_state, "UDP send without an address on an unconnected socket"));
  // The message names the peer only on failure: formatting it per datagram costs.
  const auto what = [&] { return "UDP send" + (to ? " to " + to->to_string() : std::string()); };
  // wasi:sockets lets the host trap on more than 64 KiB: refuse it here.
  if (data.size() > 0xffff) co_await fail(error(errc::invalid_argument, what() + ": datagram too large"));
  // The arguments are read when the call starts: they live in this frame (the data in the caller's).
  wasi_sockets_types_method_udp_socket_send_args_t args{};
  args.self = {u.socket};
  args.data = {reinterpret_cast<std::uint8_t*>(const_cast<std::byte*>(data.data())), data.size()};
  // A connected socket takes no address (or only its peer's): leave it out.
  if (to && !u.connected) args.remote_address = {true, to_wasi(*to)};
  send_results res;
  co_await udp_waits::wait(u.parked, udp_waits::write_side, wasi_sockets_types_method_udp_socket_send(&args, &res.value),
                           res.returned);
  if (u.closed()) co_await fail(closed_error());
  if (res.value.is_err) {
    res.returned = false;  // socket_error frees the code
    co_await fail(socket_error(res.value.val.err, what()));
  }
}

task<datagram_info> udp_receive(udp_endpoint& u, std::span<std::byte> into) {
  op_scope op(u);
  if (u.closed()) co_await fail(closed_error());
  receive_results& res = u.received;
  if (!res.returned)
    co_await udp_waits::wait(u.parked, udp_waits::read_side,
                             wasi_sockets_types_method_udp_socket_receive({u.socket}, &res.value), res.returned);
  if (u.closed()) co_await fail(closed_error());
  if (res.value.is_err) {
    res.returned = false;  // socket_error frees the code
    error e = socket_error(res.value.val.err, "UDP receive");
    res.value = {};
    co_await fail(std::move(e));
  }
  const auto& d = res.value.val.ok;
  datagram_info info;
  info.size = std::min(d.f0.len, into.size());
  info.truncated = d.f0.len > into.size();
  if (info.size > 0) std::memcpy(into.data(), d.f0.ptr, info.size);
  info.from = from_wasi(d.f1);
  res.reset();
  co_return info;
}

result<socket_address> local_address(const udp_endpoint& u) {
  if (u.closed()) return closed_error();
  wasi_sockets_types_ip_socket_address_t a;
  wasi_sockets_types_error_code_t code;
  if (!wasi_sockets_types_method_udp_socket_get_local_address({u.socket}, &a, &code))
    return socket_error(code, "local address");
  return from_wasi(a);
}

}  // namespace wasync::detail
