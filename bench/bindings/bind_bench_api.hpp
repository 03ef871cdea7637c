// The bindings benchmark's module: C++ async functions that return at once,
// so a call measures the JS -> C++ -> JS round trip itself.
#pragma once

#include <cstdint>
#include <string_view>

#include <wasync/bind/export.hpp>
#include <wasync/task.hpp>

namespace bind_bench {

WASYNC_EXPORT wasync::task<std::int32_t> add(std::int32_t a, std::int32_t b);
WASYNC_EXPORT wasync::task<std::uint32_t> text_length(std::string_view text);
WASYNC_EXPORT wasync::task<std::uint32_t> byte_count(wasync::bind::bytes_view data);

}  // namespace bind_bench
