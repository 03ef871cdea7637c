// wasi:sockets' addresses as wasync's: ip-address and ip-socket-address have
// the same shape in 0.2 and 0.3 (a variant of ipv4 and ipv6, the bytes as
// tuples, IPv6 as eight 16-bit words), under each package's binding names;
// these templates take either host's types.
#pragma once

#include <array>
#include <cstdint>

#include "wasync/address.hpp"

namespace wasync::detail::wasi_address {

/// The variants' tags in both packages (each host checks its bindings' against them).
inline constexpr std::uint8_t ipv4 = 0;
inline constexpr std::uint8_t ipv6 = 1;

template <class Tuple4>
ip_address from_v4(const Tuple4& t) noexcept {
  return ip_address::v4({t.f0, t.f1, t.f2, t.f3});
}

template <class Tuple8>
ip_address from_v6(const Tuple8& t) noexcept {
  const std::uint16_t words[8] = {t.f0, t.f1, t.f2, t.f3, t.f4, t.f5, t.f6, t.f7};
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[2 * i] = static_cast<std::uint8_t>(words[i] >> 8);
    b[2 * i + 1] = static_cast<std::uint8_t>(words[i]);
  }
  return ip_address::v6(b);
}

/// An ip-address.
template <class IpAddress>
ip_address from_wasi(const IpAddress& w) noexcept {
  return w.tag == ipv4 ? from_v4(w.val.ipv4) : from_v6(w.val.ipv6);
}

/// An ip-socket-address.
template <class IpSocketAddress>
socket_address from_wasi_socket(const IpSocketAddress& w) noexcept {
  if (w.tag == ipv4) return {from_v4(w.val.ipv4.address), w.val.ipv4.port};
  return {from_v6(w.val.ipv6.address), w.val.ipv6.port};
}

/// `a` as an ip-socket-address of type IpSocketAddress.
template <class IpSocketAddress>
IpSocketAddress to_wasi(const socket_address& a) noexcept {
  IpSocketAddress w{};
  const auto b = a.ip.bytes();
  if (a.ip.is_v4()) {
    w.tag = ipv4;
    w.val.ipv4.port = a.port;
    w.val.ipv4.address = {b[0], b[1], b[2], b[3]};
  } else {
    w.tag = ipv6;
    w.val.ipv6.port = a.port;
    std::uint16_t words[8];
    for (int i = 0; i < 8; ++i) words[i] = static_cast<std::uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
    w.val.ipv6.address = {words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7]};
  }
  return w;
}

}  // namespace wasync::detail::wasi_address
