// The bindings benchmark's module (bind_bench_api.hpp).
#include "bind_bench_api.hpp"

namespace bind_bench {

wasync::task<std::int32_t> add(std::int32_t a, std::int32_t b) { co_return a + b; }
wasync::task<std::uint32_t> text_length(std::string_view text) { co_return static_cast<std::uint32_t>(text.size()); }
wasync::task<std::uint32_t> byte_count(wasync::bind::bytes_view data) { co_return static_cast<std::uint32_t>(data.size()); }

}  // namespace bind_bench
