// open_connection and start_server: asyncio's streams on top of resolve,
// tcp_stream and tcp_listener, the same on every host.
#include "wasync/streams.hpp"

#include <algorithm>
#include <list>
#include <string>

#include "wasync/as_result.hpp"
#include "wasync/event.hpp"
#include "wasync/event_loop.hpp"
#include "wasync/resolve.hpp"
#include "wasync/sleep.hpp"
#include "wasync/spawn.hpp"

namespace wasync {

task<tcp_stream> open_connection(std::string host, std::uint16_t port) {
  const auto addresses = co_await resolve(host);
  error last(errc::host_not_found, "open_connection: no address for " + host);
  for (const ip_address& ip : addresses) {
    auto s = co_await as_result(tcp_stream::connect({ip, port}));
    if (s) co_return std::move(*s);
    if (s.error().is(errc::cancelled) || s.error().is(errc::timeout)) co_await fail(s.error());
    last = s.error();
  }
  co_await fail(last);
}

namespace detail {

struct server_state {
  tcp_listener listener;
  socket_address address;
  connection_handler handler;
  server_options options;
  task_handle<void> acceptor;
  std::list<task_handle<void>> connections;  ///< handlers still running
  std::size_t accepted = 0;
  std::size_t handler_errors = 0;
  std::size_t accept_errors = 0;
  bool closed = false;
  bool accepting = true;
  event finished;   ///< closed, and the acceptor and every handler are done
  event slot_free;  ///< a handler ended (the acceptor waits on it at max_connections)

  /// "server on ADDR" for reports (just "server" where the host cannot tell the address).
  std::string name() const { return address.port == 0 ? "server" : "server on " + address.to_string(); }
  void check_finished() noexcept {
    if (closed && !accepting && connections.empty()) finished.set();
  }
  void handler_failed(const error& e, const socket_address& peer) {
    ++handler_errors;
    if (options.on_handler_error) return options.on_handler_error(e, peer);
    // A client that reset, left or went quiet is no program error: counted only.
    if (e.is(errc::connection_reset) || e.is(errc::closed) || e.is(errc::timeout)) return;
    loop().report_debug("connection handler for " + peer.to_string() + " failed: " + e.describe());
  }
};

namespace {

task<void> serve_one(std::shared_ptr<server_state> st, std::list<task_handle<void>>::iterator self,
                     tcp_stream stream) {
  const socket_address peer = stream.peer_address().value_or(socket_address{});
  auto r = co_await as_result(st->handler(std::move(stream)));
  if (!r && !r.error().is(errc::cancelled)) st->handler_failed(r.error(), peer);
  st->connections.erase(self);  // drops this task's own handle; it ends right after
  st->slot_free.set();
  st->check_finished();
}

// While accept fails (out of fds, mostly), connections finishing is what
// helps: wait, twice as long each time, and say so once per failing spell.
constexpr duration first_accept_pause = std::chrono::milliseconds(5);
constexpr duration longest_accept_pause = std::chrono::seconds(1);

task<void> accept_loop(std::shared_ptr<server_state> st) {
  duration pause{0};
  std::size_t failing = 0;  // accepts failed in a row
  while (!st->closed) {
    if (st->options.max_connections != 0 && st->connections.size() >= st->options.max_connections) {
      st->slot_free.clear();
      if (!co_await as_result(st->slot_free.wait())) break;  // cancelled: closing
      continue;
    }
    auto s = co_await as_result(st->listener.accept());
    if (!s) {
      if (st->closed || s.error().is(errc::cancelled) || s.error().is(errc::closed)) break;
      ++st->accept_errors;
      if (failing++ == 0)
        loop().report_debug(st->name() + ": accept failed (" + s.error().describe() + "); retrying with back-off");
      pause = pause == duration::zero() ? first_accept_pause : std::min(pause * 2, longest_accept_pause);
      if (!co_await as_result(sleep(pause))) break;
      continue;
    }
    if (failing > 0) {
      loop().report_debug(st->name() + ": accepting again after " + std::to_string(failing) + " failed accepts");
      failing = 0;
      pause = duration::zero();
    }
    ++st->accepted;
    auto it = st->connections.emplace(st->connections.end());
    *it = spawn(serve_one(st, it, std::move(*s)), {.name = "connection handler"});
  }
  st->accepting = false;
  st->check_finished();
}

}  // namespace
}  // namespace detail

server& server::operator=(server&& o) noexcept {
  if (this != &o) {
    close();
    state_ = std::move(o.state_);
  }
  return *this;
}

const socket_address& server::address() const noexcept {
  static const socket_address none;
  return state_ ? state_->address : none;
}

std::size_t server::connections() const noexcept { return state_ ? state_->connections.size() : 0; }
std::size_t server::accepted() const noexcept { return state_ ? state_->accepted : 0; }
std::size_t server::handler_errors() const noexcept { return state_ ? state_->handler_errors : 0; }
std::size_t server::accept_errors() const noexcept { return state_ ? state_->accept_errors : 0; }

void server::close() noexcept {
  if (!state_ || state_->closed) return;
  state_->closed = true;
  state_->listener.close();
  if (state_->acceptor.valid()) state_->acceptor.cancel("server closed");
  for (auto& h : state_->connections) h.cancel("server closed");
  state_->check_finished();
}

task<void> server::wait_closed() {
  if (!state_) co_return;
  const auto keep = state_;
  co_await keep->finished.wait();
}

task<void> server::serve_forever() {
  if (!state_) co_await fail(errc::invalid_state, "serve_forever: no server");
  const auto keep = state_;
  auto r = co_await as_result(keep->finished.wait());
  close();
  co_await keep->finished.wait();
  if (!r) co_await fail(r.error());
}

task<server> start_server(tcp_listener listener, connection_handler handler, server_options options) {
  if (!handler) co_await fail(errc::invalid_argument, "start_server: no handler");
  if (!listener.is_open()) co_await fail(errc::invalid_argument, "start_server: the listener is closed");
  auto st = std::make_shared<detail::server_state>();
  st->listener = std::move(listener);
  st->address = st->listener.local_address().value_or(socket_address{});
  st->handler = std::move(handler);
  st->options = std::move(options);
  st->acceptor = spawn(detail::accept_loop(st), {.name = "server accept"});
  co_return server(std::move(st));
}

task<server> start_server(socket_address local, connection_handler handler, server_options options) {
  if (!handler) co_await fail(errc::invalid_argument, "start_server: no handler");
  auto listener = co_await tcp_listener::bind(local, options.backlog);
  co_return co_await start_server(std::move(listener), std::move(handler), std::move(options));
}

task<server> start_server(std::string host, std::uint16_t port, connection_handler handler,
                          server_options options) {
  const auto addresses = co_await resolve(host);
  if (addresses.empty()) co_await fail(errc::host_not_found, "start_server: no address for " + host);
  co_return co_await start_server(socket_address{addresses.front(), port}, std::move(handler), std::move(options));
}

}  // namespace wasync
