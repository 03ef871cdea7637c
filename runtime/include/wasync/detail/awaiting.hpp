// Small helpers shared by awaitables: the awaited type of an awaitable and
// turning a result into a return value or a thrown error.
#pragma once

#include <type_traits>
#include <utility>

#include "wasync/as_result.hpp"
#include "wasync/result.hpp"

namespace wasync::detail {

template <class A>
using awaited_t = decltype(get_awaiter(std::declval<A>()).await_resume());

/// Propagate mode: the value, or the error thrown (with exceptions). Without
/// exceptions an error never gets here: the frame was unwound instead.
template <class T>
T unwrap(result<T>&& r) {
  if constexpr (std::is_void_v<T>) {
    r.value();
  } else {
    return std::move(r).value();
  }
}

}  // namespace wasync::detail
