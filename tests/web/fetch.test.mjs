// fetch from C++ against an HTTP server this test starts on 127.0.0.1.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadProbe, skipUnlessBuilt, assertReleased, raw } from './support/probe.mjs';

const skip = skipUnlessBuilt('web_io_probe');
const timeout = 20_000;  // per test: a hang fails the test instead of stalling the suite
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let mod;
let server;
let base;
let closedPort;
// Paths of the requests the server received, and of those that ended early
// (the client went away), with waiters for either.
const received = [];
const aborted = [];
const waiters = [];
function note(list, path) {
  list.push(path);
  for (const w of waiters.splice(0)) if (!w()) waiters.push(w);
}
function saw(list, path) {
  if (list.includes(path)) return Promise.resolve(path);
  return new Promise((r) => waiters.push(() => list.includes(path) && (r(path), true)));
}
/// Resolves once the server has received a request to `path` / seen it end early.
const sawRequest = (path) => saw(received, path);
const sawAborted = (path) => saw(aborted, path);

function route(req, res) {
  const url = new URL(req.url, 'http://x');
  const q = (k, d) => Number(url.searchParams.get(k) ?? d);
  note(received, url.pathname);
  // The response closing before it finished means the client went away.
  res.on('close', () => {
    if (!res.writableFinished) note(aborted, url.pathname);
  });
  switch (url.pathname) {
    case '/hello':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-test': 'yes' });
      res.end('héllo');
      return;
    case '/delay':
      setTimeout(() => res.end(`waited ${q('ms', 0)}`), q('ms', 0));
      return;
    case '/chunked': {
      // n chunks of "<i>" every ms milliseconds, with chunked transfer encoding.
      const n = q('n', 3);
      res.writeHead(200, { 'content-type': 'text/plain' });
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        if (i === n) return res.end();
        res.write(String.fromCharCode(97 + i++).repeat(q('size', 1)));
        setTimeout(next, q('ms', 10));
      };
      next();
      return;
    }
    case '/status':
      res.writeHead(q('code', 500), { 'content-type': 'text/plain' });
      res.end('oops');
      return;
    case '/reset':
      req.socket.destroy();
      return;
    case '/reset-mid':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    case '/hang':
      return;  // never answers
    case '/forever': {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const t = setInterval(() => res.write('x'.repeat(100)), 5);
      res.on('close', () => clearInterval(t));
      return;
    }
    case '/echo': {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${req.method} ${req.headers['x-probe']} ${req.headers['content-type'] ?? '-'} ${body.length} ${body.toString('hex')}`);
      });
      return;
    }
    case '/small':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('k'.repeat(1025 - url.search.length) + url.search.slice(1));  // 1 KiB ending in i=N
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

before(async () => {
  if (skip) return;
  mod = await loadProbe('web_io_probe');
  server = http.createServer(route);
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  // A port with nothing listening: bind one, then close it.
  const s = http.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  closedPort = s.address().port;
  await new Promise((r) => s.close(r));
});
after(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(async () => {
  if (mod) await assertReleased(mod);
});

test('GET: status, status text, headers and the body as text', { skip, timeout }, async () => {
  const r = await mod.call('fetch_text', `${base}/hello`);
  assert.deepEqual({ ...r, headerCount: r.headerCount >= 3 }, {
    status: 200, statusText: 'OK', ok: true, contentType: 'text/plain; charset=utf-8', headerCount: true, body: 'héllo',
  });
});

test('a delayed response arrives when the server answers', { skip, timeout }, async () => {
  const t0 = performance.now();
  const r = await mod.call('fetch_text', `${base}/delay?ms=80`);
  assert.equal(r.body, 'waited 80');
  assert.ok(performance.now() - t0 >= 75);
});

test('an HTTP 500 is a successful fetch with status 500', { skip, timeout }, async () => {
  const r = await mod.call('fetch_text', `${base}/status?code=500`);
  assert.equal(r.status, 500);
  assert.equal(r.statusText, 'Internal Server Error');
  assert.equal(r.ok, false);
  assert.equal(r.body, 'oops');
  assert.equal((await mod.call('fetch_text', `${base}/status?code=404`)).status, 404);
});

test('method, headers and a text or bytes body reach the server', { skip, timeout }, async () => {
  assert.equal((await mod.call('fetch_echo', `${base}/echo`, 'POST', 'hi')).body, 'POST yes text/plain;charset=UTF-8 2 6869');
  assert.equal((await mod.call('fetch_echo', `${base}/echo`, 'PUT', new Uint8Array([0, 255, 7]))).body, 'PUT yes - 3 00ff07');
  assert.equal((await mod.call('fetch_echo', `${base}/echo`, 'DELETE', undefined)).body, 'DELETE yes - 0 ');
});

test('a chunked body is read chunk by chunk as it arrives', { skip, timeout }, async () => {
  const [sizes, text] = (await mod.call('fetch_chunks', `${base}/chunked?n=4&ms=15&size=3`)).split('|');
  assert.equal(text, 'aaabbbcccddd');
  assert.deepEqual(sizes.split(',').map(Number), [3, 3, 3, 3]);
});

test('a refused connection and a reset before the response are network errors', { skip, timeout }, async () => {
  await assert.rejects(mod.call('fetch_text', `http://127.0.0.1:${closedPort}/`), { code: 'network_error', message: /fetch failed.*ECONNREFUSED/ });
  await assert.rejects(mod.call('fetch_text', `${base}/reset`), { code: 'network_error' });
});

test('a reset in the middle of the body is a network error from the body read', { skip, timeout }, async () => {
  await assert.rejects(mod.call('fetch_text', `${base}/reset-mid`), { code: 'network_error', message: /terminated/ });
});

test('bad arguments are invalid_argument, not network errors', { skip, timeout }, async () => {
  await assert.rejects(mod.call('fetch_text', 'not a url'), { code: 'invalid_argument' });
  await assert.rejects(mod.call('fetch_echo', `${base}/echo`, 'GET', 'a body'), { code: 'invalid_argument' });
});

test('a server that never answers: the request times out and the server sees it aborted', { skip, timeout }, async () => {
  // 200 ms: time enough for the request to reach the server even on a busy
  // machine (a request aborted before it was sent is never seen).
  const t0 = performance.now();
  assert.equal(await mod.call('fetch_timeout', `${base}/hang`, raw(200)), 'error timeout: deadline exceeded');
  const took = performance.now() - t0;
  assert.ok(took >= 195 && took < 1000, `timed out after ${took} ms`);
  assert.ok(received.includes('/hang'), 'the server got the request');
  await sawAborted('/hang');
  assert.equal(await mod.call('fetch_timeout', `${base}/delay?ms=5`, raw(1000)), 'status 200');
});

test('a body read that times out loses nothing', { skip, timeout }, async () => {
  const trace = await mod.call('fetch_read_timeout', `${base}/chunked?n=3&ms=50`);
  assert.match(trace, /^a(\[timeout\])+b(\[timeout\])+c(\[timeout\])*\[end\]$/);
});

test('cancelling the C++ task mid-body aborts the request: the server sees it', { skip, timeout }, async () => {
  const ac = new AbortController();
  const p = mod.call('fetch_until_cancelled', `${base}/forever`, ac.signal);
  await sawRequest('/forever');
  await sleep(30);
  ac.abort();
  await assert.rejects(p, { code: 'cancelled' });
  await sawAborted('/forever');
});

test('1,000 concurrent fetches (gather) all complete, results in order', { skip, timeout }, async () => {
  const r = await mod.call('fetch_many', `${base}/small`, raw(1000));
  console.log(`# 1000 concurrent fetches of 1 KiB: ${r.ms.toFixed(0)} ms`);
  assert.equal(r.count, 1000);
  assert.equal(r.matching, 1000);
  assert.equal(r.bytes, 1000 * 1024);
});
