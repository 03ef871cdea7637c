// The key-value cache of kv_api.hpp written blocking-style on Emscripten's
// ASYNCIFY (-sASYNCIFY), plain Emscripten without wasync: the peer of kv.cpp
// in the size comparison (bench/web/web_bench.mjs). JS calls the exports with
// ccall(name, type, types, args, {async: true}); strings come back malloc'd
// (the caller frees them). prefetch() fetches one key after the other: an
// ASYNCIFY program cannot wait on several Promises from one call stack.
#include <emscripten.h>
#include <emscripten/em_js.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

// GET `url`: its body (malloc'd), or null on a network or HTTP error, or after `ms` > 0 milliseconds.
EM_ASYNC_JS(char*, fetch_text, (const char* url, int ms), {
  const request = fetch(UTF8ToString(url)).then(async (r) => (r.ok ? await r.text() : null), () => null);
  const timer = ms > 0 ? new Promise((resolve) => setTimeout(() => resolve(null), ms)) : null;
  const text = await (timer ? Promise.race([request, timer]) : request);
  return text === null ? 0 : allocateUTF8(text);
});

EM_ASYNC_JS(void, sleep_ms, (int ms), { await new Promise((resolve) => setTimeout(resolve, ms)); });

std::string origin;
std::map<std::string, std::string, std::less<>> entries;

char* copy_out(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

std::string load(const std::string& key, int ms) {
  char* body = fetch_text((origin + key).c_str(), ms);
  if (!body) return std::string();
  std::string text(body);
  std::free(body);
  entries[key] = text;
  return text;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int kv_set_origin(const char* url) {
  origin = url;
  entries.clear();
  return 1;
}

EMSCRIPTEN_KEEPALIVE char* kv_get(const char* key) {
  if (auto it = entries.find(key); it != entries.end()) return copy_out(it->second);
  return copy_out(load(key, 0));
}

EMSCRIPTEN_KEEPALIVE char* kv_get_within(const char* key, int ms) {
  if (auto it = entries.find(key); it != entries.end()) return copy_out(it->second);
  return copy_out(load(key, ms > 0 ? ms : 1));
}

EMSCRIPTEN_KEEPALIVE int kv_put(const char* key, const char* value) {
  return entries.insert_or_assign(key, value).second ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int kv_remove(const char* key) { return static_cast<int>(entries.erase(key)); }

EMSCRIPTEN_KEEPALIVE int kv_prefetch(const char* keys) {
  const std::string list(keys);
  int fetched = 0;
  for (std::size_t at = 0; at <= list.size();) {
    std::size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    const std::string key = list.substr(at, comma - at);
    at = comma + 1;
    if (key.empty() || entries.contains(key)) continue;
    load(key, 0);
    ++fetched;
  }
  return fetched;
}

EMSCRIPTEN_KEEPALIVE int kv_expire_after(int ms) {
  sleep_ms(ms);
  const int dropped = static_cast<int>(entries.size());
  entries.clear();
  return dropped;
}

EMSCRIPTEN_KEEPALIVE int kv_count() { return static_cast<int>(entries.size()); }

EMSCRIPTEN_KEEPALIVE int kv_total_bytes() {
  std::size_t bytes = 0;
  for (const auto& [key, value] : entries) bytes += key.size() + value.size();
  return static_cast<int>(bytes);
}

}  // extern "C"
