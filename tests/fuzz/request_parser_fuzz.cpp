// libFuzzer target for request_parser: any bytes, whole or in pieces, under the
// default and small limits, must end in requests that re-serialize to
// themselves and either a clean end or a refusal status, the same whether the
// bodies are streamed (next_head, read_body) or not. ASan/UBSan watch memory.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "http_test_support.hpp"

namespace {

using namespace wasync::http;

void check(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "request_parser_fuzz: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const request_parser_options small{
      .max_request_line = 64, .max_header_bytes = 256, .max_header_count = 6, .max_body = 128};
  for (const auto& options : {request_parser_options{}, small}) {
    const auto whole = testing::parse(input, options);
    check(testing::invariant_violation(whole, options).empty(), testing::invariant_violation(whole, options));
    // The input's length picks a stride, so pieces vary without spending input bytes on them.
    std::vector<std::size_t> cuts;
    for (std::size_t at = 1 + size % 17; at < size; at += 1 + size % 17) cuts.push_back(at);
    check(testing::parse(input, options, cuts) == whole, "parsing in pieces differs from parsing whole");
    check(testing::parse_streaming(input, options, cuts) == whole, "streaming the bodies differs from next()");
  }
  return 0;
}
