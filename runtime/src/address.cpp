// Text forms of IP and socket addresses, parsed and printed without the host.
#include "wasync/address.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace wasync {
namespace {

error bad(std::string_view what, std::string_view text) {
  return error(errc::invalid_argument, std::string("not ") + std::string(what) + ": \"" + std::string(text) + "\"");
}

// Exactly four decimal parts 0-255, no leading zeros (they read as octal elsewhere).
std::optional<std::array<std::uint8_t, 4>> parse_v4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  for (std::size_t part = 0; part < 4; ++part) {
    if (part > 0) {
      if (s.empty() || s.front() != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    std::size_t len = 0;
    while (len < s.size() && len < 4 && s[len] >= '0' && s[len] <= '9') ++len;
    if (len == 0 || len > 3 || (len > 1 && s[0] == '0')) return std::nullopt;
    unsigned v = 0;
    for (std::size_t i = 0; i < len; ++i) v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > 255) return std::nullopt;
    out[part] = static_cast<std::uint8_t>(v);
    s.remove_prefix(len);
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 §2.2: eight groups of 1-4 hex digits, one "::" for a run of zero
// groups, an optional dotted IPv4 tail in place of the last two groups.
std::optional<std::array<std::uint8_t, 16>> parse_v6(std::string_view s) {
  std::array<std::uint16_t, 8> groups{};
  int count = 0;
  int gap = -1;  // group index where "::" stands
  if (s.starts_with("::")) {
    gap = 0;
    s.remove_prefix(2);
  } else if (s.starts_with(":")) {
    return std::nullopt;
  }
  while (!s.empty()) {
    if (count == 8) return std::nullopt;
    const std::size_t colon = s.find(':');
    const std::string_view field = s.substr(0, colon);
    if (field.find('.') != std::string_view::npos) {
      if (colon != std::string_view::npos || count > 6) return std::nullopt;
      auto v4 = parse_v4(field);
      if (!v4) return std::nullopt;
      groups[count++] = static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]);
      groups[count++] = static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]);
      s = {};
      break;
    }
    if (field.empty() || field.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : field) {
      const int d = hex_digit(c);
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    groups[count++] = static_cast<std::uint16_t>(v);
    if (colon == std::string_view::npos) {
      s = {};
      break;
    }
    s.remove_prefix(colon + 1);
    if (s.starts_with(":")) {
      if (gap >= 0) return std::nullopt;
      gap = count;
      s.remove_prefix(1);
    } else if (s.empty()) {
      return std::nullopt;  // a trailing single ':'
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return std::nullopt;
  std::array<std::uint16_t, 8> full{};
  if (gap < 0) {
    full = groups;
  } else {
    const int tail = count - gap;
    std::copy_n(groups.begin(), gap, full.begin());
    std::copy_n(groups.begin() + gap, tail, full.end() - tail);
  }
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(full[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(full[i] & 0xff);
  }
  return out;
}

}  // namespace

result<ip_address> ip_address::parse(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    if (auto b = parse_v6(text)) return ip_address::v6(*b);
    return bad("an IPv6 address", text);
  }
  if (auto b = parse_v4(text)) return ip_address::v4(*b);
  return bad("an IP address", text);
}

bool ip_address::is_loopback() const noexcept {
  if (is_v4()) return bytes_[0] == 127;
  return *this == loopback_v6();
}

bool ip_address::is_unspecified() const noexcept {
  return std::all_of(bytes().begin(), bytes().end(), [](std::uint8_t b) { return b == 0; });
}

std::string ip_address::to_string() const {
  auto dotted = [](const std::uint8_t* b) {
    std::string s;
    for (int i = 0; i < 4; ++i) {
      if (i) s += '.';
      s += std::to_string(b[i]);
    }
    return s;
  };
  if (is_v4()) return dotted(bytes_.data());
  std::array<unsigned, 8> g{};
  for (std::size_t i = 0; i < 8; ++i) g[i] = unsigned{bytes_[2 * i]} << 8 | bytes_[2 * i + 1];
  // IPv4-mapped addresses keep the dotted tail (RFC 5952 §5).
  if (std::all_of(g.begin(), g.begin() + 5, [](unsigned x) { return x == 0; }) && g[5] == 0xffff)
    return "::ffff:" + dotted(bytes_.data() + 12);
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::" (the first on a tie).
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string s;
  char hex[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      s += "::";
      i += best_len - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    auto [end, ec] = std::to_chars(hex, hex + sizeof hex, g[i], 16);
    s.append(hex, end);
  }
  return s;
}

result<socket_address> socket_address::parse(std::string_view text) {
  std::string_view host, port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":")
      return bad("an address \"[IPv6]:port\"", text);
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon)
      return bad("an address \"IPv4:port\" or \"[IPv6]:port\"", text);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535 ||
      (port.size() > 1 && port[0] == '0'))
    return bad("an address with a port 0-65535", text);
  auto ip = ip_address::parse(host);
  if (!ip) return bad("an address with a valid IP", text);
  if (text.starts_with('[') != ip->is_v6()) return bad("an address (IPv6 needs brackets)", text);
  return socket_address{*ip, static_cast<std::uint16_t>(p)};
}

std::string socket_address::to_string() const {
  if (ip.is_v6()) return "[" + ip.to_string() + "]:" + std::to_string(port);
  return ip.to_string() + ":" + std::to_string(port);
}

}  // namespace wasync
