// resolve(host): name lookup (asyncio's getaddrinfo), IPv4 and IPv6.
#pragma once

#include <string>
#include <vector>

#include "wasync/address.hpp"
#include "wasync/task.hpp"

namespace wasync {

/// The addresses of `host`, in the host's preferred order, without duplicates.
/// A numeric address ("127.0.0.1", "::1", also "[::1]") is returned as it is
/// without a lookup. Errors: errc::host_not_found (no such name, or no
/// address), invalid_argument (empty name), not_permitted (host policy: under
/// wasmtime, -S allow-ip-name-lookup), not_supported (no lookup on this host).
/// Cancellable; natively a name lookup runs on a helper thread and cancelling
/// abandons it.
[[nodiscard]] task<std::vector<ip_address>> resolve(std::string host);

}  // namespace wasync
