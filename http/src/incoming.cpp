// incoming: the one handler a wasi:http component's export calls.
#include "wasync/http/incoming.hpp"

#include <utility>

namespace wasync::http {
namespace {

/// A function-local static: registrations run in static initializers of
/// other translation units, in any order.
handler& slot() {
  static handler h;
  return h;
}

}  // namespace

void set_incoming_handler(handler h) { slot() = std::move(h); }

const handler* incoming_handler() noexcept {
  const handler& h = slot();
  return h ? &h : nullptr;
}

}  // namespace wasync::http
