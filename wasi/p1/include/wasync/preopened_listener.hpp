// preopened_listener(): the listening socket wasmtime opened for a WASI preview1
// program (`wasmtime run -S preview2=n -S tcplisten=127.0.0.1:PORT app.wasm`).
#pragma once

#include "wasync/result.hpp"
#include "wasync/tcp_listener.hpp"

namespace wasync {

/// The fd of the first preopened stream socket: the lowest fd from 3 up whose
/// file type is SOCKET_STREAM (wasmtime gives `-S tcplisten` listeners the fds
/// after the preopened directories). None: errc::not_found, naming the flag.
result<int> find_preopened_listener();

/// tcp_listener::adopt(find_preopened_listener()).
result<tcp_listener> preopened_listener();

}  // namespace wasync
