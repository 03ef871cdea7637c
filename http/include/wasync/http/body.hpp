// body: a message body as bytes held in memory or as a stream of chunks, so a
// server can hand a request's body to its handler as it arrives and a handler
// can answer with a stream (even the request's own body) on any host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wasync/task.hpp"

namespace wasync::http {

/// Where a streamed body's bytes come from. Each host implements one for the
/// bodies it receives (a connection's reader, a wasi:http incoming-body, a
/// WASI 0.3 stream<u8>); a handler may implement one to generate a response.
/// Destroying a source before its end abandons the rest of the body (the host
/// discards it or ends the connection).
class body_source {
 public:
  virtual ~body_source() = default;
  /// The next chunk (never empty); nullopt at the end of the body. Fails with
  /// the transport's error (errc::connection_reset when the peer went away
  /// mid-body, errc::timeout when it sent too slowly), errc::cancelled when
  /// the reading task is cancelled. After a failure or the end, every read
  /// fails or returns nullopt again.
  [[nodiscard]] virtual task<std::optional<std::string>> read() = 0;
  /// The body's total length when known in advance (a Content-Length).
  [[nodiscard]] virtual std::optional<std::uint64_t> size() const noexcept { return std::nullopt; }
};

/// A body: empty, bytes in memory, or a stream. Move-only; must stay in
/// place while a read is in flight.
///
///     res.body = "hello\n";                  // bytes
///     res.body = std::move(req.body);        // the request's stream, forwarded as it arrives
///     std::string all = co_await req.body.read_all(1 << 20);
class body {
 public:
  /// No bytes.
  body() noexcept = default;
  body(std::string bytes) noexcept : bytes_(std::move(bytes)) {}  // NOLINT: implicit, like a string
  body(const char* text) : bytes_(text) {}                         // NOLINT
  body(std::string_view text) : bytes_(text) {}                    // NOLINT
  /// A stream read from `source` (null: no bytes).
  explicit body(std::unique_ptr<body_source> source) noexcept : source_(std::move(source)) {}
  body(body&&) noexcept = default;
  body& operator=(body&&) noexcept = default;

  /// A stream rather than bytes in memory.
  [[nodiscard]] bool is_stream() const noexcept { return source_ != nullptr; }
  /// The bytes of a body in memory (empty for a stream).
  [[nodiscard]] const std::string& bytes() const noexcept { return bytes_; }
  /// The total length when known: always for bytes in memory; for a stream,
  /// what its source says (nullopt: unknown, e.g. a chunked request body).
  [[nodiscard]] std::optional<std::uint64_t> size() const noexcept;

  /// The next chunk (never empty); nullopt at the end. Bytes in memory come
  /// out as one chunk. Errors: the source's (see body_source::read).
  [[nodiscard]] task<std::optional<std::string>> read();
  /// The rest of the body as one string. More than `limit` bytes:
  /// errc::invalid_argument (the bytes read so far are lost, the rest unread).
  [[nodiscard]] task<std::string> read_all(std::size_t limit = 1024 * 1024);

 private:
  std::string bytes_;
  std::unique_ptr<body_source> source_;
  bool taken_ = false;  ///< the bytes in memory were read
};

}  // namespace wasync::http
