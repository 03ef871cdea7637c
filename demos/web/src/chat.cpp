// Demo 2, WebSocket chat with reconnect: one task keeps a connection up. While
// connected, a receiver and a sender run side by side (when_any: whichever
// ends first, the connection is over and the other is cancelled). When the
// server drops the connection, it reconnects with exponential backoff; lines
// typed meanwhile wait in a queue and go out after the reconnect.
#include <algorithm>
#include <chrono>

#include "demos.hpp"
#include "wasync/wasync.hpp"
#include "wasync/websocket.hpp"

namespace demos {
namespace {

using namespace wasync;
using namespace std::chrono_literals;

std::vector<chat_line> lines;
int last_seq = 0;
std::string state = "stopped";
queue<std::string>* outbox = nullptr;  // set while chat_run runs

void log(std::string kind, std::string text) {
  lines.push_back({.seq = ++last_seq, .kind = std::move(kind), .text = std::move(text)});
  if (lines.size() > 500) lines.erase(lines.begin(), lines.begin() + 100);
}

std::string describe(const error& e) { return std::string(to_string(e.code())) + ": " + e.message(); }

// Ends when the server closes the connection; a drop is errc::network_error.
task<void> receive_all(websocket& ws) {
  while (auto message = co_await ws.receive()) log("received", message->text);
  const auto how = ws.close_status();
  log("status", "the server closed the connection (code " + std::to_string(how ? how->code : 0) + ")");
}

task<void> send_all(websocket& ws, queue<std::string>& out) {
  for (;;) {
    std::string text = co_await out.get();
    co_await ws.send(text);
    log("sent", std::move(text));
  }
}

}  // namespace

task<void> chat_run(std::string url, int max_attempts) {
  if (outbox) co_await fail(errc::invalid_state, "the chat is already running");
  if (!url.starts_with("ws://") && !url.starts_with("wss://"))
    co_await fail(errc::invalid_argument, "not a ws(s) URL: \"" + url + "\"");
  queue<std::string> out;
  outbox = &out;
  struct stop_guard {
    ~stop_guard() {
      outbox = nullptr;
      state = "stopped";
    }
  } guard;

  int failures = 0;
  for (;;) {
    state = "connecting";
    auto ws = co_await as_result(websocket::connect(url));
    if (ws) {
      failures = 0;
      state = "connected";
      log("status", "connected to " + url);
      auto ended = co_await as_result(when_any(receive_all(*ws), send_all(*ws, out)));
      if (!ended && ended.error().is(errc::cancelled)) co_await fail(ended.error());
      if (!ended) log("error", "connection lost (" + describe(ended.error()) + ")");
    } else {
      if (ws.error().is(errc::cancelled)) co_await fail(ws.error());
      if (++failures >= max_attempts) {
        log("error", "gave up after " + std::to_string(failures) + " failed attempts: " + describe(ws.error()));
        co_await fail(ws.error());
      }
      log("error", "could not connect (" + describe(ws.error()) + ")");
    }
    // 250 ms after a drop, then doubling per failed attempt up to 4 s.
    const auto backoff = std::min<std::chrono::milliseconds>(250ms * (1 << std::min(failures, 4)), 4s);
    state = "reconnecting";
    log("status", "reconnecting in " + std::to_string(backoff.count()) + " ms");
    co_await sleep(backoff);
  }
}

result<void> chat_send(std::string text) {
  if (!outbox) return error(errc::invalid_state, "the chat is not running: connect first");
  if (text.empty()) return error(errc::invalid_argument, "nothing to send");
  return outbox->try_put(std::move(text));
}

std::vector<chat_line> chat_lines(int after) {
  std::vector<chat_line> out;
  for (const chat_line& l : lines)
    if (l.seq > after) out.push_back(l);
  return out;
}

std::string chat_state() { return state; }

}  // namespace demos
