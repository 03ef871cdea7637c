// preopened_listener: finds the socket wasmtime preopened by its fd's file type.
#include "wasync/preopened_listener.hpp"

#include <wasi/api.h>

namespace wasync {

result<int> find_preopened_listener() {
  // Preopens are numbered densely from 3: the first fd that is not open ends them.
  for (int fd = 3;; ++fd) {
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get(static_cast<__wasi_fd_t>(fd), &st) != 0) break;
    if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM) return fd;
  }
  return error(errc::not_found,
               "no preopened listening socket: run with wasmtime run -S preview2=n -S tcplisten=127.0.0.1:PORT");
}

result<tcp_listener> preopened_listener() {
  auto fd = find_preopened_listener();
  if (!fd) return fd.error();
  return tcp_listener::adopt(*fd);
}

}  // namespace wasync
