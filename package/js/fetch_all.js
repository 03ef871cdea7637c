// fetchAll: many requests with a concurrency limit and a per-request timeout.
import { core } from './core.js';
import { WasyncError } from './wasync_core.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Header fields as the module takes them, from what fetch() accepts: an
// object or [name, value] pairs (an array, a Headers, a Map).
function headerList(headers) {
  if (headers === undefined) return undefined;
  if (headers === null || typeof headers !== 'object') {
    throw new TypeError('fetchAll(): options.headers must be an object, [name, value] pairs or a Headers');
  }
  const entries = typeof headers[Symbol.iterator] === 'function' ? [...headers] : Object.entries(headers);
  return entries.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`fetchAll(): options.headers[${i}] must be a [name, value] pair`);
    return { name: pair[0], value: pair[1] };
  });
}

function bodyBytes(body) {
  if (body === undefined || body instanceof Uint8Array) return body;
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('fetchAll(): options.body must be a string, a Uint8Array or an ArrayBuffer');
}

// A response's header fields as an object (a name sent twice: its values joined by ", ", as Headers does).
function headerObject(list) {
  const out = {};
  for (const { name, value } of list) out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  return out;
}

/**
 * Sends a request to every URL (at most `options.concurrency` at once, each
 * within `options.timeoutMs`, all with `options.method`, `options.headers` and
 * `options.body`) and resolves with one outcome per URL, in order: a response
 * (`ok: true`, any HTTP status) or why there was none (`ok: false`, `error`).
 * Aborting `options.signal` cancels every request still running.
 */
export async function fetchAll(urls, options) {
  const module = await core();
  let request = options;
  if (options !== null && typeof options === 'object') {
    const { concurrency, timeoutMs, method, headers, body, signal } = options;
    request = { concurrency, timeoutMs, method, headers: headerList(headers), body: bodyBytes(body), signal };
  }
  const outcomes = await module.fetchAll(urls, request);
  return outcomes.map((o) => (o.ok
    ? { url: o.url, ok: true, status: o.status, statusText: o.statusText, headers: headerObject(o.headers), bytes: o.body, text: decoder.decode(o.body) }
    : { url: o.url, ok: false, error: new WasyncError(o.error.message || o.error.code, o.error.code) }));
}
