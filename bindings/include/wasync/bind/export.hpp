// Markers the binding generator (bindings/generator/wasync-bindgen.mjs) looks
// for in a module's declaration header. They expand to nothing: the header
// stays plain C++ that the module's own sources include and define.
//
//   struct WASYNC_RECORD point { double x; double y; std::optional<std::string> label; };
//   WASYNC_EXPORT wasync::task<double> distance(point a, point b);   // async -> Promise
//   WASYNC_EXPORT std::string greet(std::string_view name);         // sync
#pragma once

#include <cstddef>
#include <span>
#include <vector>

/// Exposes the function that follows to JavaScript.
#define WASYNC_EXPORT
/// Makes the struct that follows a record (a plain JS object).
#define WASYNC_RECORD

namespace wasync::bind {

/// Bytes owned by C++ (Uint8Array in JS; an argument is copied into it).
using bytes = std::vector<std::byte>;
/// Bytes of an argument, viewed where JS wrote them in wasm memory (no copy);
/// valid until the call's task ends.
using bytes_view = std::span<const std::byte>;

}  // namespace wasync::bind
