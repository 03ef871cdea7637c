// Workloads for the web I/O tests (js_interop.test.mjs, fetch.test.mjs,
// websocket.test.mjs): each exported probe takes table ids from JS and returns
// the id of a Promise made with to_js_promise, so the tests await C++ tasks.
#include <emscripten.h>

#include <string>

#include "wasync/fetch.hpp"
#include "wasync/js_promise.hpp"
#include "wasync/js_value.hpp"
#include "wasync/wasync.hpp"
#include "wasync/web_host.hpp"
#include "wasync/websocket.hpp"

using namespace wasync;
using namespace std::chrono_literals;

namespace {

std::string arg_string(std::int32_t id) { return js_value::adopt(id).as_string().value_or(""); }

std::string describe(const error& e) { return std::string(to_string(e.code())) + ": " + e.message(); }

// ---- JS interop ----

task<std::string> await_text(js_value promise) {
  auto r = co_await as_result(js_await(std::move(promise)));
  if (!r) co_return "error " + describe(r.error());
  if (auto s = r->as_string()) co_return "string " + *s;
  if (auto d = r->as_number()) co_return "number " + std::to_string(static_cast<long long>(*d));
  if (auto b = r->as_bytes()) co_return "bytes " + std::to_string(b->size());
  co_return "other";
}

// Awaits the same promise `n` times, one await after the other (a rejection counts too).
task<int> await_repeatedly(js_value promise, int n) {
  int rejected = 0;
  for (int i = 0; i < n; ++i)
    if (!co_await as_result(js_await(promise))) ++rejected;
  co_return rejected;
}

// The propagating form: a rejection unwinds this task (no exceptions needed).
task<js_value> await_propagating(js_value promise) { co_return co_await js_await(std::move(promise)); }

task<js_value> promised(int kind) {
  switch (kind) {
    case 0: co_return js_value::string("hello");
    case 1: co_return js_value::number(42);
    case 2: {
      const std::byte b[] = {std::byte{1}, std::byte{2}, std::byte{3}};
      co_return js_value::bytes(b);
    }
    case 3: co_await fail(errc::timeout, "too slow");
    default: co_await sleep(1h);  // until its AbortSignal cancels it
  }
  co_return js_value();
}

js_value inspect(const js_value& v) {
  js_value o = js_value::object();
  (void)o.set("type", js_value::number(static_cast<double>(v.type())));
  if (auto s = v.as_string()) (void)o.set("string", js_value::string(*s + "!"));
  if (auto d = v.as_number()) (void)o.set("number", js_value::number(*d * 2));
  if (auto b = v.as_boolean()) (void)o.set("boolean", js_value::boolean(!*b));
  if (auto b = v.as_bytes()) {
    for (auto& x : *b) x = static_cast<std::byte>(static_cast<unsigned>(x) + 1);
    (void)o.set("bytes", js_value::bytes(*b));
  }
  return o;
}

// ---- fetch ----

std::string as_text(const std::vector<std::byte>& b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

js_value describe_response(fetch_response& r, std::string body) {
  js_value o = js_value::object();
  (void)o.set("status", js_value::number(r.status()));
  (void)o.set("statusText", js_value::string(r.status_text()));
  (void)o.set("ok", js_value::boolean(r.ok()));
  (void)o.set("contentType", js_value::string(r.header("Content-Type").value_or("-")));
  (void)o.set("headerCount", js_value::number(static_cast<double>(r.headers().size())));
  (void)o.set("body", js_value::string(body));
  return o;
}

task<js_value> fetch_text(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  std::string body = co_await r.text();
  co_return describe_response(r, std::move(body));
}

// method, a body given as a JS string (text) or Uint8Array (bytes), one header.
task<js_value> fetch_request_echo(std::string url, std::string method, js_value body) {
  fetch_request req{.url = std::move(url), .method = std::move(method), .headers = {{"X-Probe", "yes"}}};
  if (auto bytes = body.as_bytes()) req.body = std::move(*bytes);
  else if (auto text = body.as_string()) req.body = std::move(*text);
  fetch_response r = co_await fetch(std::move(req));
  const std::vector<std::byte> reply = co_await r.bytes();
  co_return describe_response(r, as_text(reply));
}

// Reads the body chunk by chunk through body(); "size,size,...|text".
task<std::string> fetch_chunks(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  std::string sizes, text;
  auto chunks = r.body();
  while (auto chunk = co_await chunks.next()) {
    if (!sizes.empty()) sizes += ',';
    sizes += std::to_string(chunk->size());
    text += as_text(*chunk);
  }
  co_return sizes + "|" + text;
}

task<std::string> fetch_with_timeout(std::string url, int ms) {
  auto r = co_await as_result(fetch({.url = std::move(url), .timeout = std::chrono::milliseconds(ms)}));
  if (!r) co_return "error " + describe(r.error());
  co_return "status " + std::to_string(r->status());
}

// Sockets on the web: every call fails with not_supported; a numeric address
// still resolves (no lookup needed). One "code message" line per call.
task<std::string> net_unsupported() {
  std::string out;
  auto line = [&](const error& e) { out += describe(e) + "\n"; };
  const socket_address local{ip_address::loopback_v4(), 8080};
  line((co_await as_result(tcp_stream::connect(local))).error());
  line((co_await as_result(tcp_listener::bind(local))).error());
  line((co_await as_result(udp_socket::bind(local))).error());
  line((co_await as_result(resolve("localhost"))).error());
  line((co_await as_result(open_connection("localhost", 80))).error());
  auto numeric = co_await as_result(resolve("127.0.0.1"));
  out += numeric ? "resolved " + numeric->front().to_string() + "\n" : describe(numeric.error()) + "\n";
  co_return out;
}

// A body read that times out loses nothing: the chunk goes to the next read.
task<std::string> fetch_read_timeout(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  std::string trace;
  for (int i = 0; i < 8; ++i) {
    auto chunk = co_await as_result(wait_for(r.read_chunk(), 30ms));
    if (!chunk) trace += "[" + std::string(to_string(chunk.error().code())) + "]";
    else if (!*chunk) co_return trace + "[end]";
    else trace += as_text(**chunk);
  }
  co_return trace;
}

// Reads until cancelled (the test aborts the Promise's AbortSignal).
task<int> fetch_until_cancelled(std::string url) {
  fetch_response r = co_await fetch(std::move(url));
  int chunks = 0;
  while (co_await r.read_chunk()) ++chunks;
  co_return chunks;
}

task<js_value> fetch_many(std::string url, int n) {
  std::vector<task<std::string>> all;
  for (int i = 0; i < n; ++i)
    all.push_back([](std::string u) -> task<std::string> {
      fetch_response r = co_await fetch(std::move(u));
      co_return co_await r.text();
    }(url + "?i=" + std::to_string(i)));
  const time_point t0 = detail::loop().now();
  std::vector<std::string> bodies = co_await gather(std::move(all));
  const double ms = std::chrono::duration<double, std::milli>(detail::loop().now() - t0).count();
  std::size_t bytes = 0, in_order = 0;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    bytes += bodies[i].size();
    if (bodies[i].ends_with("i=" + std::to_string(i))) ++in_order;
  }
  js_value o = js_value::object();
  (void)o.set("count", js_value::number(static_cast<double>(bodies.size())));
  (void)o.set("matching", js_value::number(static_cast<double>(in_order)));
  (void)o.set("bytes", js_value::number(static_cast<double>(bytes)));
  (void)o.set("ms", js_value::number(ms));
  co_return o;
}

// ---- WebSocket ----

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

void describe_close(const js_value& o, const websocket& ws) {
  if (auto c = ws.close_status()) {
    (void)o.set("code", js_value::number(c->code));
    (void)o.set("reason", js_value::string(c->reason));
    (void)o.set("clean", js_value::boolean(c->clean));
  }
}

task<js_value> ws_echo(std::string url, std::string protocols) {
  websocket ws = co_await websocket::connect(std::move(url), {.protocols = split(protocols)});
  js_value o = js_value::object();
  (void)o.set("protocol", js_value::string(ws.protocol()));
  co_await ws.send("hello ☃");
  auto text = co_await ws.receive();
  (void)o.set("text", js_value::string(text && !text->binary ? text->text : "?"));
  co_await ws.send(std::vector<std::byte>{std::byte{0}, std::byte{1}, std::byte{2}, std::byte{255}});
  auto bin = co_await ws.receive();
  if (bin && bin->binary) (void)o.set("binary", js_value::bytes(bin->bytes));
  co_await ws.close(1000, "bye");
  auto after = co_await ws.receive();
  (void)o.set("endAfterClose", js_value::boolean(!after));
  auto send_after = co_await as_result(ws.send("late"));
  (void)o.set("sendAfterClose", js_value::string(describe(send_after.error())));
  describe_close(o, ws);
  co_return o;
}

// Receives until the end or an error; reports the messages and how it ended.
task<js_value> ws_receive_all(std::string url) {
  websocket ws = co_await websocket::connect(std::move(url));
  js_value o = js_value::object();
  std::string messages;
  for (;;) {
    auto m = co_await as_result(ws.receive());
    if (!m) {
      (void)o.set("error", js_value::string(describe(m.error())));
      break;
    }
    if (!*m) break;
    messages += (messages.empty() ? "" : ",") + (*m)->text;
  }
  (void)o.set("messages", js_value::string(messages));
  describe_close(o, ws);
  co_return o;
}

// A receive that times out loses nothing: the message goes to the next one.
task<std::string> ws_receive_timeout(std::string url) {
  websocket ws = co_await websocket::connect(std::move(url));
  std::string trace;
  for (;;) {
    auto m = co_await as_result(wait_for(ws.receive(), 30ms));
    if (!m) trace += "[" + std::string(to_string(m.error().code())) + "]";
    else if (!*m) co_return trace + "[end]";
    else trace += (*m)->text;
  }
}

task<int> ws_until_cancelled(std::string url) {
  websocket ws = co_await websocket::connect(std::move(url));
  int n = 0;
  while (co_await ws.receive()) ++n;
  co_return n;
}

// Sends `count` binary messages of `size` bytes with a high-water mark; reports
// the most ever queued right after a send, then waits for the server's tally.
task<js_value> ws_backpressure(std::string url, int count, int size, int high_water) {
  websocket ws = co_await websocket::connect(std::move(url), {.high_water_mark = static_cast<std::size_t>(high_water)});
  const time_point t0 = detail::loop().now();
  std::size_t most = 0;
  for (int i = 0; i < count; ++i) {
    co_await ws.send(std::vector<std::byte>(static_cast<std::size_t>(size), std::byte{7}));
    most = std::max(most, ws.buffered_amount());
  }
  const double ms = std::chrono::duration<double, std::milli>(detail::loop().now() - t0).count();
  auto tally = co_await ws.receive();
  js_value o = js_value::object();
  (void)o.set("maxBuffered", js_value::number(static_cast<double>(most)));
  (void)o.set("ms", js_value::number(ms));
  (void)o.set("tally", js_value::string(tally ? tally->text : "?"));
  co_await ws.close();
  co_return o;
}

}  // namespace

extern "C" {
EMSCRIPTEN_KEEPALIVE std::int32_t probe_ws_echo(std::int32_t url, std::int32_t protocols) {
  return to_js_promise(ws_echo(arg_string(url), arg_string(protocols))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_ws_receive_all(std::int32_t url) {
  return to_js_promise(ws_receive_all(arg_string(url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_ws_receive_timeout(std::int32_t url) {
  return to_js_promise(ws_receive_timeout(arg_string(url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_ws_until_cancelled(std::int32_t url, std::int32_t signal) {
  return to_js_promise(ws_until_cancelled(arg_string(url)), js_value::adopt(signal)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_ws_backpressure(std::int32_t url, int count, int size, int high_water) {
  return to_js_promise(ws_backpressure(arg_string(url), count, size, high_water)).release();
}

EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_text(std::int32_t url) {
  return to_js_promise(fetch_text(arg_string(url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_echo(std::int32_t url, std::int32_t method, std::int32_t body) {
  return to_js_promise(fetch_request_echo(arg_string(url), arg_string(method), js_value::adopt(body))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_chunks(std::int32_t url) {
  return to_js_promise(fetch_chunks(arg_string(url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_timeout(std::int32_t url, int ms) {
  return to_js_promise(fetch_with_timeout(arg_string(url), ms)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_read_timeout(std::int32_t url) {
  return to_js_promise(fetch_read_timeout(arg_string(url))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_until_cancelled(std::int32_t url, std::int32_t signal) {
  return to_js_promise(fetch_until_cancelled(arg_string(url)), js_value::adopt(signal)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fetch_many(std::int32_t url, int n) {
  return to_js_promise(fetch_many(arg_string(url), n)).release();
}

EMSCRIPTEN_KEEPALIVE std::int32_t probe_net_unsupported() { return to_js_promise(net_unsupported()).release(); }

EMSCRIPTEN_KEEPALIVE std::int32_t probe_await_text(std::int32_t promise) {
  return to_js_promise(await_text(js_value::adopt(promise))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_await_repeatedly(std::int32_t promise, int n) {
  return to_js_promise(await_repeatedly(js_value::adopt(promise), n)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_await_propagating(std::int32_t promise) {
  return to_js_promise(await_propagating(js_value::adopt(promise))).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_promised(int kind, std::int32_t signal) {
  return to_js_promise(promised(kind), js_value::adopt(signal)).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_inspect(std::int32_t value) { return inspect(js_value::adopt(value)).release(); }
EMSCRIPTEN_KEEPALIVE std::int32_t probe_call(std::int32_t target, std::int32_t method) {
  const js_value t = js_value::adopt(target);
  const js_value args[] = {js_value::number(20), js_value::string("x")};
  auto r = t.call(arg_string(method), args);
  return r ? r->release() : js_value::string("error " + describe(r.error())).release();
}
EMSCRIPTEN_KEEPALIVE std::int32_t probe_global(std::int32_t name) {
  return js_value::global(arg_string(name)).release();
}
// The ids C++ holds for null, true and false, and for copies of them.
EMSCRIPTEN_KEEPALIVE std::int32_t probe_fixed_ids() {
  const js_value null = js_value::null();
  const js_value yes = js_value::boolean(true);
  const js_value no = to_js(false);
  const js_value copies[] = {null, yes, no};
  js_value o = js_value::object();
  (void)o.set("ids", js_value::string(std::to_string(null.id()) + " " + std::to_string(yes.id()) + " " +
                                      std::to_string(no.id())));
  (void)o.set("copies", js_value::string(std::to_string(copies[0].id()) + " " + std::to_string(copies[1].id()) + " " +
                                         std::to_string(copies[2].id())));
  (void)o.set("types", js_value::string(std::to_string(static_cast<int>(null.type())) + " " +
                                        std::to_string(static_cast<int>(yes.type()))));
  (void)o.set("values", js_value::string(std::string(*yes.as_boolean() ? "true" : "false") + " " +
                                         (*no.as_boolean() ? "true" : "false")));
  return o.release();
}
EMSCRIPTEN_KEEPALIVE int probe_live_tasks() { return static_cast<int>(the_web_loop().live_tasks()); }
}

int main() {
  // The JS tests drive everything; keep the runtime alive after main returns.
  emscripten_exit_with_live_runtime();
}
