// fetch under wasmtime 49 (-S http), run by fetch.test.mjs against a
// Node HTTP server on 127.0.0.1. One JSON line on stdout per mode:
//   fetch_probe get URL          status, text, headers, each chunk with its arrival time
//   fetch_probe post URL         POST a text body with a header; the response text
//   fetch_probe post_big URL N   POST N bytes of the probes' pattern; the response read
//                                chunk by chunk: its size, chunks, and whether it is the pattern
//   fetch_probe timeout URL MS   fetch with .timeout = MS against a server that never answers
//   fetch_probe cancel URL MS    the fetching task cancelled after MS
//   fetch_probe drop_body URL    the first chunk read, then the response dropped mid-body
//   fetch_probe drop_duplex URL  a POST of 16 MB; its response dropped after the first chunk,
//                                while the body still goes out
//   fetch_probe cancel_many URL N  N fetches cancelled as soon as they started
//   fetch_probe cancel_upload URL MS  a POST of 16 MB to a server that reads it slowly,
//                                cancelled after MS
// Each also prints the host's live waits and tasks afterwards.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../probe_support.hpp"
#include "wasync/fetch.hpp"

using namespace probe;
using namespace std::chrono_literals;

namespace {

std::string text_of(const std::vector<std::byte>& b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

std::string outcome(const error& e) {
  return "\"code\":" + json(to_string(e.code())) + ",\"message\":" + json(e.message());
}

std::string leftovers() {
  return "\"waits\":" + std::to_string(reactor().watched()) + ",\"tasks\":" + std::to_string(detail::live_contexts);
}

void say_object(const std::string& fields) { say("{" + fields + "}"); }

task<void> get(std::string url) {
  const auto t0 = steady::now();
  auto r = co_await as_result(fetch(url));
  if (!r) co_return say_object(outcome(r.error()));
  std::string chunks, headers, text;
  while (auto chunk = co_await r->read_chunk()) {
    chunks += std::string(chunks.empty() ? "" : ",") + "{\"ms\":" + std::to_string(micros(steady::now() - t0) / 1000) +
              ",\"text\":" + json(text_of(*chunk)) + "}";
    text += text_of(*chunk);
  }
  for (const auto& [n, v] : r->headers()) headers += std::string(headers.empty() ? "" : ",") + json(n) + ":" + json(v);
  say_object("\"status\":" + std::to_string(r->status()) + ",\"status_text\":" + json(r->status_text()) + ",\"ok\":" +
      (r->ok() ? "true" : "false") + ",\"text\":" + json(text) + ",\"headers\":{" + headers + "},\"chunks\":[" +
      chunks + "]");
}

task<void> post(std::string url) {
  fetch_request req{.url = url, .method = "POST", .headers = {{"X-Probe", "p2"}, {"Content-Type", "text/plain"}},
                    .body = std::string("posted body")};
  auto r = co_await as_result(fetch(std::move(req)));
  if (!r) co_return say_object(outcome(r.error()));
  say_object("\"status\":" + std::to_string(r->status()) + ",\"text\":" + json(co_await r->text()));
}

task<void> post_big(std::string url, int n) {
  const std::string data = pattern(static_cast<std::size_t>(n));
  fetch_request req{.url = url, .method = "POST", .headers = {}, .body = std::vector<std::byte>(
                        reinterpret_cast<const std::byte*>(data.data()), reinterpret_cast<const std::byte*>(data.data()) + n)};
  auto r = co_await as_result(fetch(std::move(req)));
  if (!r) co_return say_object(outcome(r.error()));
  std::string back;
  int chunks = 0;
  while (auto chunk = co_await r->read_chunk()) {
    back += text_of(*chunk);
    ++chunks;
  }
  say_object("\"status\":" + std::to_string(r->status()) + ",\"bytes\":" + std::to_string(back.size()) +
             ",\"chunks\":" + std::to_string(chunks) + ",\"exact\":" + (back == data ? "true" : "false"));
}

task<void> with_timeout(std::string url, int ms) {
  const auto t0 = steady::now();
  auto r = co_await as_result(fetch({.url = url, .timeout = std::chrono::milliseconds(ms)}));
  const long long took = micros(steady::now() - t0) / 1000;
  const std::string what = r ? std::string("\"status\":") + std::to_string(r->status()) : outcome(r.error());
  say_object(what + ",\"ms\":" + std::to_string(took) + "," + leftovers());
}

task<int> status_of(fetch_request req) { co_return (co_await fetch(std::move(req))).status(); }

/// Runs `fetching` as a task of its own, cancels it after `ms`, and says how it ended.
task<void> cancel_after(task<int> fetching, int ms) {
  auto h = spawn(std::move(fetching));
  co_await sleep(std::chrono::milliseconds(ms));
  h.cancel("probe cancels");
  auto r = co_await as_result(h);
  h = {};
  say_object((r ? std::string("\"status\":") + std::to_string(*r) : outcome(r.error())) + "," + leftovers());
}

task<void> cancel(std::string url, int ms) { co_await cancel_after(status_of({.url = std::move(url)}), ms); }

task<void> cancel_many(std::string url, int n) {
  int cancelled = 0;
  for (int i = 0; i < n; ++i) {
    auto h = spawn(status_of({.url = url}));
    co_await yield_now();  // the request is with the host now
    h.cancel();
    auto r = co_await as_result(h);
    if (!r && r.error().is(errc::cancelled)) ++cancelled;
  }
  say_object("\"cancelled\":" + std::to_string(cancelled) + "," + leftovers());
}

task<void> cancel_upload(std::string url, int ms) {
  fetch_request req{.url = std::move(url), .method = "POST", .headers = {},
                    .body = std::vector<std::byte>(16 * 1024 * 1024, std::byte{'u'})};
  co_await cancel_after(status_of(std::move(req)), ms);
}

task<void> drop_body(std::string url) {
  {
    auto r = co_await fetch(url);
    auto first = co_await r.read_chunk();
    say_object("\"first\":" + json(first ? text_of(*first) : ""));
  }
  co_await sleep(50ms);  // the server sees the connection go
  say_object(leftovers());
}

task<void> drop_duplex(std::string url) {
  {
    fetch_request req{.url = std::move(url), .method = "POST", .headers = {},
                      .body = std::vector<std::byte>(16 * 1024 * 1024, std::byte{'d'})};
    auto r = co_await fetch(std::move(req));
    auto first = co_await r.read_chunk();
    say_object("\"first\":" + std::to_string(first ? first->size() : 0));
  }
  co_await sleep(50ms);  // the server sees the connection go
  say_object(leftovers());
}

task<int> probe_main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const std::string url = argc > 2 ? argv[2] : "";
  const int ms = argc > 3 ? std::atoi(argv[3]) : 0;  // or a size
  if (mode == "get") co_await get(url);
  else if (mode == "post") co_await post(url);
  else if (mode == "post_big") co_await post_big(url, ms);
  else if (mode == "timeout") co_await with_timeout(url, ms);
  else if (mode == "cancel") co_await cancel(url, ms);
  else if (mode == "drop_body") co_await drop_body(url);
  else if (mode == "drop_duplex") co_await drop_duplex(url);
  else if (mode == "cancel_many") co_await cancel_many(url, ms);
  else if (mode == "cancel_upload") co_await cancel_upload(url, ms);
  else co_return 2;
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) { return run_probe(probe_main(argc, argv)); }
