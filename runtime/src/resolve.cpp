// resolve(): numeric addresses answered here, names by the host.
#include "wasync/resolve.hpp"

#include "wasync/detail/net_host.hpp"

namespace wasync {

task<std::vector<ip_address>> resolve(std::string host) {
  if (host.empty()) co_await fail(errc::invalid_argument, "resolve: empty host name");
  std::string_view numeric = host;
  if (numeric.size() > 2 && numeric.front() == '[' && numeric.back() == ']')
    numeric = numeric.substr(1, numeric.size() - 2);
  if (auto ip = ip_address::parse(numeric)) co_return std::vector<ip_address>{*ip};
  co_return co_await detail::host_resolve(std::move(host));
}

}  // namespace wasync
