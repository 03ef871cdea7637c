// ip_address (IPv4 or IPv6) and socket_address (an IP address and a port):
// plain values, parsed from and printed as text without any host call.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "wasync/result.hpp"

namespace wasync {

/// An IPv4 or IPv6 address. Default: 0.0.0.0 (IPv4 "any").
class ip_address {
 public:
  enum class family : std::uint8_t { v4, v6 };

  constexpr ip_address() noexcept = default;
  static constexpr ip_address v4(std::array<std::uint8_t, 4> b) noexcept {
    ip_address a;
    for (std::size_t i = 0; i < 4; ++i) a.bytes_[i] = b[i];
    return a;
  }
  static constexpr ip_address v6(std::array<std::uint8_t, 16> b) noexcept {
    ip_address a;
    a.family_ = family::v6;
    a.bytes_ = b;
    return a;
  }
  static constexpr ip_address loopback_v4() noexcept { return v4({127, 0, 0, 1}); }
  static constexpr ip_address loopback_v6() noexcept {
    return v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }
  static constexpr ip_address any_v4() noexcept { return {}; }
  static constexpr ip_address any_v6() noexcept { return v6({}); }

  /// Dotted IPv4 ("127.0.0.1", exactly four decimal parts 0-255, no leading
  /// zeros) or textual IPv6 ("::1", "2001:db8::1", "::ffff:192.0.2.1"; no zone
  /// "%eth0"). Anything else is errc::invalid_argument naming the text.
  static result<ip_address> parse(std::string_view text);

  family kind() const noexcept { return family_; }
  bool is_v4() const noexcept { return family_ == family::v4; }
  bool is_v6() const noexcept { return family_ == family::v6; }
  bool is_loopback() const noexcept;
  bool is_unspecified() const noexcept;
  /// Network byte order: 4 bytes for IPv4, 16 for IPv6.
  std::span<const std::uint8_t> bytes() const noexcept { return {bytes_.data(), is_v4() ? 4u : 16u}; }

  /// "127.0.0.1"; IPv6 in RFC 5952 form ("::1", "2001:db8::1", "::ffff:1.2.3.4").
  std::string to_string() const;

  friend constexpr bool operator==(const ip_address&, const ip_address&) noexcept = default;
  /// IPv4 before IPv6, then by bytes (no <=>: Emscripten 3.1.6's std::array has none).
  friend constexpr bool operator<(const ip_address& a, const ip_address& b) noexcept {
    return a.family_ != b.family_ ? a.family_ < b.family_ : a.bytes_ < b.bytes_;
  }

 private:
  family family_ = family::v4;
  std::array<std::uint8_t, 16> bytes_{};  ///< IPv4 uses the first 4
};

/// An IP address and a port: where a socket is bound or connected.
struct socket_address {
  ip_address ip;
  std::uint16_t port = 0;

  /// "127.0.0.1:80" or "[::1]:80" (brackets required for IPv6, port 0-65535).
  /// Anything else is errc::invalid_argument.
  static result<socket_address> parse(std::string_view text);
  /// The form parse() reads: "127.0.0.1:80", "[::1]:80".
  std::string to_string() const;

  friend constexpr bool operator==(const socket_address&, const socket_address&) noexcept = default;
  friend constexpr bool operator<(const socket_address& a, const socket_address& b) noexcept {
    return a.ip < b.ip || (a.ip == b.ip && a.port < b.port);
  }
};

}  // namespace wasync
