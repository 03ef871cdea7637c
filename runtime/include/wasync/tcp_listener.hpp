// tcp_listener: a listening TCP socket that accepts tcp_streams.
#pragma once

#include "wasync/address.hpp"
#include "wasync/detail/net_host.hpp"
#include "wasync/task.hpp"
#include "wasync/tcp_stream.hpp"

namespace wasync {

/// A listening TCP socket. Move-only; destroying it closes it. It must stay in
/// place while accept() is in flight; close() makes that accept fail with
/// errc::closed.
class tcp_listener {
 public:
  /// A closed listener: accept() fails with errc::closed.
  tcp_listener() noexcept = default;
  explicit tcp_listener(detail::tcp_acceptor_ptr l) noexcept : acceptor_(std::move(l)) {}
  tcp_listener(tcp_listener&&) noexcept = default;
  tcp_listener& operator=(tcp_listener&&) noexcept = default;

  /// Binds `local` and listens (port 0: the host picks one; local_address()
  /// tells which). Natively SO_REUSEADDR is on. Errors: errc::address_in_use,
  /// not_permitted, invalid_argument, not_supported (a host without listeners).
  [[nodiscard]] static task<tcp_listener> bind(socket_address local, int backlog = 128);
  /// Takes over a listener the host opened for the program (WASI preview1:
  /// `wasmtime run -S preview2=n -S tcplisten=127.0.0.1:PORT` makes it fd 3).
  /// Other hosts: errc::not_supported.
  static result<tcp_listener> adopt(int fd);

  bool is_open() const noexcept { return acceptor_ != nullptr; }
  /// The next incoming connection (cancellable; a cancelled accept takes none).
  [[nodiscard]] task<tcp_stream> accept();
  result<socket_address> local_address() const;
  /// Stops listening. Idempotent.
  void close() noexcept;

 private:
  detail::tcp_acceptor_ptr acceptor_;
  bool accepting_ = false;
};

}  // namespace wasync
