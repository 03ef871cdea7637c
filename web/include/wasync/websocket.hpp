// websocket: a WebSocket client for tasks. Messages are received one at a
// time (text or binary); send() waits while too much is queued; abnormal
// closes and errors surface as errc::network_error on the awaiting task.
// On the web it is the host's WebSocket (browsers, Node 22+), or the npm
// package `ws` in Node 20, which has no global WebSocket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasync/task.hpp"

namespace wasync {

struct websocket_options {
  /// Subprotocols to offer; protocol() tells which one the server chose.
  std::vector<std::string> protocols;
  /// send() waits while more than this many bytes are queued for sending.
  std::size_t high_water_mark = std::size_t{1} << 20;
};

/// One message: text (UTF-8) or binary.
struct websocket_message {
  bool binary = false;
  std::string text;             ///< the message when !binary
  std::vector<std::byte> bytes;  ///< the message when binary
};

/// How the connection ended.
struct websocket_close {
  int code = 0;  ///< 1000 normal, 1005 no code given, 1006 abnormal (no close frame), ...
  std::string reason;
  bool clean = false;  ///< the closing handshake completed
};

namespace detail {
struct websocket_access;
}

class websocket {
 public:
  websocket(websocket&& o) noexcept;
  websocket& operator=(websocket&& o) noexcept;
  /// Closes the connection if it is still open (without waiting).
  ~websocket();

  /// Opens a connection; errc::network_error when it cannot be established,
  /// errc::invalid_argument for a bad URL or subprotocol. Cancelling stops
  /// the handshake.
  [[nodiscard]] static task<websocket> connect(std::string url, websocket_options options = {});

  /// The subprotocol the server chose ("" when none).
  const std::string& protocol() const noexcept { return protocol_; }

  /// Sends a text message, first waiting while more than the high-water mark
  /// is queued. errc::closed once the connection is closing or closed.
  [[nodiscard]] task<void> send(std::string text);
  /// Sends a binary message, like send(text).
  [[nodiscard]] task<void> send(std::vector<std::byte> bytes);

  /// The next message; nullopt once the connection closed cleanly (see
  /// close_status()); errc::network_error when it ended abnormally. A
  /// receive that is cancelled loses no message.
  [[nodiscard]] task<std::optional<websocket_message>> receive();

  /// Starts the closing handshake and waits until the connection is closed.
  /// Codes: 1000 or 3000-4999. Messages already received stay readable.
  [[nodiscard]] task<void> close(int code = 1000, std::string reason = {});

  /// Bytes queued for sending.
  std::size_t buffered_amount() const noexcept;
  /// How the connection ended, once it has.
  std::optional<websocket_close> close_status() const;

 private:
  friend struct detail::websocket_access;
  websocket() noexcept = default;

  std::int32_t handle_ = 0;  ///< the host's handle on the socket
  std::string protocol_;
  std::size_t high_water_mark_ = 0;
};

}  // namespace wasync
