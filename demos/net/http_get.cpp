// http_get URL: fetches URL with wasync's fetch and writes the body to
// standard output as it arrives; the status line and the headers go to
// standard error. A non-2xx status or a failed fetch exits with status 1.
//
//   wasmtime run -S http dist/wasip2/http_get.wasm http://127.0.0.1:8080/
//   dist/native/http_get http://127.0.0.1:8080/
#include <cstdio>
#include <string>

#include "wasync/fetch.hpp"
#include "wasync/stdio.hpp"
#include "wasync/wasync.hpp"

using namespace wasync;

namespace {

task<int> get(std::string url) {
  auto response = co_await as_result(fetch(url));
  if (!response) {
    co_await standard_error().write_all("http_get: " + response.error().describe() + "\n");
    co_return 1;
  }
  std::string head = std::to_string(response->status()) + " " + response->status_text() + "\n";
  for (const auto& [name, value] : response->headers()) head += name + ": " + value + "\n";
  co_await standard_error().write_all(head);
  auto body = response->body();
  while (auto chunk = co_await body.next()) co_await standard_output().write_all(std::span<const std::byte>(*chunk));
  co_return response->ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: http_get URL\n");
    return 2;
  }
  auto r = run(get(argv[1]));
  if (!r) {
    std::fprintf(stderr, "http_get: %s\n", r.error().describe().c_str());
    return 1;
  }
  return *r;
}
