// TCP on WASI preview1 under real wasmtime 36 (-S preview2=n -S tcplisten=...):
// the echo demo, the HTTP demo, and what preview1 cannot do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../net/net_support.mjs';
import { probePath, startPreopened, wasmtime } from './wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const echoWasm = path.join(root, 'build/wasi/demos/net/tcp_echo.wasm');
const echoArgs = ['--preopened'];
const httpWasm = path.join(root, 'build/wasi/demos/wasi/http_server.wasm');
const listenerProbe = probePath('listener_probe');

const missing = [echoWasm, httpWasm, listenerProbe].filter((p) => !existsSync(p));
const skip =
  (!existsSync(wasmtime) && `${wasmtime} missing (scripts/setup.sh installs wasmtime)`) ||
  (missing.length > 0 && `${missing.join(', ')} not built (scripts/test.sh builds build/wasi)`);
const t = (name, fn) => test(name, { skip, timeout: 120_000 }, fn);

function connect(port, { allowHalfOpen = false } = {}) {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen }, () => resolve(c));
    c.once('error', reject);
  });
}

/** Runs `fn(server)` with `wasm` serving on a preopened listener, then stops it. */
async function serving(wasm, args, fn) {
  const server = await startPreopened(wasm, args);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

/** Sends `message` in pieces of random size and resolves to everything read until `message.length` bytes. */
async function echoOnce(port, message) {
  const c = await connect(port);
  c.setNoDelay(true);
  const got = [];
  let n = 0;
  const done = new Promise((resolve, reject) => {
    c.on('data', (d) => {
      got.push(d);
      n += d.length;
      if (n >= message.length) resolve();
    });
    c.once('error', reject);
    c.once('close', () => (n >= message.length ? resolve() : reject(new Error(`closed after ${n} of ${message.length} bytes`))));
  });
  for (let off = 0; off < message.length; ) {
    const piece = message.subarray(off, off + 1 + Math.floor(Math.random() * 20_000));
    off += piece.length;
    if (!c.write(piece)) await new Promise((r) => c.once('drain', r));
  }
  await done;
  c.destroy();
  return Buffer.concat(got);
}

/** Raw HTTP exchange: writes `bytes`, reads until the server closes or `untilBytes` arrive. */
async function httpRaw(port, bytes, { untilClose = true } = {}) {
  const c = await connect(port);
  const chunks = [];
  const closed = new Promise((resolve) => {
    c.on('data', (d) => chunks.push(d));
    c.once('close', resolve);
    c.once('error', resolve);
  });
  c.write(Buffer.from(bytes, 'latin1'));
  if (untilClose) await closed;
  else await sleep(200);
  c.destroy();
  return Buffer.concat(chunks).toString('latin1');
}

/** Parses consecutive HTTP/1.1 responses with Content-Length bodies. */
function parseResponses(text) {
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end).split('\r\n');
    const status = Number(head[0].split(' ')[1]);
    const headers = Object.fromEntries(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const len = Number(headers['content-length'] ?? 0);
    out.push({ status, headers, body: rest.slice(end + 4, end + 4 + len) });
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

/** A keep-alive client: one connection, requests answered in order. */
class KeepAliveClient {
  constructor(socket) {
    this.socket = socket;
    this.buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      this.buffer += d;
      this.wake?.();
    });
    socket.on('close', () => this.wake?.());
  }
  static async open(port) {
    return new KeepAliveClient(await connect(port));
  }
  async request(raw) {
    this.socket.write(Buffer.from(raw, 'latin1'));
    for (;;) {
      const [r] = parseResponses(this.buffer);
      if (r) {
        const consumed = this.buffer.indexOf('\r\n\r\n') + 4 + Number(r.headers['content-length'] ?? 0);
        if (this.buffer.length >= consumed) {
          this.buffer = this.buffer.slice(consumed);
          return r;
        }
      }
      if (this.socket.destroyed || this.socket.readableEnded) throw new Error('connection closed');
      await new Promise((resolve) => (this.wake = resolve));
    }
  }
  close() {
    this.socket.destroy();
  }
}

t('echo: 100 concurrent connections, byte-exact, messages spanning many reads', () =>
  serving(echoWasm, echoArgs, async (server) => {
    const messages = Array.from({ length: 100 }, (_, i) => randomBytes(i % 10 === 0 ? 1 + i : 20_000 + ((i * 7919) % 180_000)));
    const echoes = await Promise.all(messages.map((m) => echoOnce(server.port, m)));
    echoes.forEach((e, i) => assert.ok(e.equals(messages[i]), `connection ${i}: ${e.length} bytes back of ${messages[i].length}`));
  }));

t('echo: a client that resets mid-message leaves the others served', () =>
  serving(echoWasm, echoArgs, async (server) => {
    // Others echo steadily while one client sends half a message and resets.
    let stop = false;
    const steady = Array.from({ length: 10 }, async () => {
      let rounds = 0;
      while (!stop) {
        const m = randomBytes(4096 + Math.floor(Math.random() * 60_000));
        assert.ok((await echoOnce(server.port, m)).equals(m));
        rounds++;
      }
      return rounds;
    });
    for (let i = 0; i < 5; i++) {
      const c = await connect(server.port);
      c.write(randomBytes(100_000));
      await sleep(30);
      c.resetAndDestroy();
    }
    await sleep(200);
    stop = true;
    const rounds = await Promise.all(steady);
    assert.ok(rounds.every((r) => r > 0), `rounds per steady client: ${rounds}`);
    const after = randomBytes(50_000);
    assert.ok((await echoOnce(server.port, after)).equals(after), 'a new client is served after the resets');
    assert.equal(server.child.exitCode, null, 'the server is still running');
  }));

t('http: keep-alive, pipelined requests, body echo, 404/405', () =>
  serving(httpWasm, [], async (server) => {
    const c = await KeepAliveClient.open(server.port);
    const hello = await c.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(hello.status, 200);
    assert.match(hello.body, /^hello from wasync/);
    const body = randomBytes(200_000).toString('latin1');
    const echo = await c.request(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-test\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.equal(echo.status, 200);
    assert.equal(echo.headers['content-type'], 'application/x-test');
    assert.ok(echo.body === body, 'the body comes back byte for byte');
    const chunked = await c.request('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    assert.equal(chunked.body, 'hello world');
    assert.equal((await c.request('GET /nope HTTP/1.1\r\nHost: x\r\n\r\n')).status, 404);
    assert.equal((await c.request('DELETE / HTTP/1.1\r\nHost: x\r\n\r\n')).status, 405);
    c.close();

    const pipelined = parseResponses(
      await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    assert.deepEqual(pipelined.map((r) => r.status), [200, 200, 200]);
    assert.equal(pipelined[1].body, 'abc');
    assert.equal(pipelined[2].headers.connection, 'close');
  }));

t('http: malformed requests get 400, oversized ones 414/431/413, then the connection closes', () =>
  serving(httpWasm, [], async (server) => {
    const cases = [
      ['bare LF', 'GET / HTTP/1.1\nHost: x\n\n', 400],
      ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400],
      ['space before colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400],
      ['bad Content-Length', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n', 400],
      ['garbage', '\x00\x01\x02 nonsense\r\n\r\n', 400],
      ['truncated, then the client closes its side', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc', 400],
      ['request line over 8 KiB', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
      ['header section over 16 KiB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(17_000)}\r\n\r\n`, 431],
      ['body over 1 MiB', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n', 413],
    ];
    for (const [name, raw, status] of cases) {
      const c = await connect(server.port);
      const chunks = [];
      c.on('data', (d) => chunks.push(d));
      const closed = new Promise((resolve) => c.once('close', resolve));
      c.end(Buffer.from(raw, 'latin1'));  // half-close: a truncated request is complete input
      await closed;
      const [r] = parseResponses(Buffer.concat(chunks).toString('latin1'));
      assert.equal(r?.status, status, `${name}: ${Buffer.concat(chunks).toString('latin1').slice(0, 80)}`);
      assert.equal(r.headers.connection, 'close', name);
    }
    // Still serving.
    const [ok] = parseResponses(await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    assert.equal(ok.status, 200);
  }));

t('http: 50 concurrent keep-alive clients', () =>
  serving(httpWasm, [], async (server) => {
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const c = await KeepAliveClient.open(server.port);
        for (let k = 0; k < 20; k++) {
          const body = `client ${i} request ${k} ${'x'.repeat((i * 31 + k * 17) % 3000)}`;
          const r = await c.request(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          assert.equal(r.status, 200);
          assert.equal(r.body, body);
        }
        c.close();
        return true;
      }),
    );
    assert.equal(results.length, 50);
  }));

t('http: a client vanishing mid-request does not stop the server', () =>
  serving(httpWasm, [], async (server) => {
    for (let i = 0; i < 5; i++) {
      const c = await connect(server.port);
      c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n' + 'y'.repeat(5000));
      await sleep(20);
      c.resetAndDestroy();
    }
    const c = await KeepAliveClient.open(server.port);
    assert.equal((await c.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).status, 200);
    c.close();
  }));

t('http: after IDLE seconds a quiet connection is closed, a half-sent request gets 408', () =>
  serving(httpWasm, ['0.3'], async (server) => {
    const started = Date.now();
    assert.equal(await httpRaw(server.port, ''), '', 'a quiet keep-alive connection closes without a word');
    assert.ok(Date.now() - started >= 250, `closed after ${Date.now() - started} ms`);
    const [r] = parseResponses(await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
    assert.equal(r?.status, 408);
    assert.equal(r.headers.connection, 'close');
  }));

t('connect, bind, UDP and name lookup fail with not_supported; addresses are unavailable', async () => {
  let r;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    r = spawnSync(wasmtime, ['run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, listenerProbe, 'unsupported'], { encoding: 'utf8' });
    if (!/in use/i.test(r.stderr)) break;
  }
  assert.equal(r.status, 0, r.stderr);
  const lines = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  for (const what of ['connect', 'open_connection', 'bind', 'udp bind', 'resolve', 'listener address']) {
    assert.match(lines[what], /^not_supported: .* is not supported on this host \(WASI preview1, wasmtime 36 -S preview2=n\); .*preview2 build$/, what);
  }
  assert.equal(lines.preopened, 'ok');
  assert.match(lines['adopt fd 99'], /^invalid_argument: fd 99 is not open/);
  assert.match(lines['adopt stdout'], /^invalid_argument: fd 1 is not a stream socket/);
});

t('without a preopened socket the listener is not found, naming the wasmtime flags', async () => {
  const r = spawnSync(wasmtime, ['run', '-S', 'preview2=n', listenerProbe, 'unsupported'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^preopened: not_found: no preopened listening socket: run with wasmtime run -S preview2=n -S tcplisten=127\.0\.0\.1:PORT$/m);
});

t('a cancelled accept and a read ended by close() leave no watcher behind', async () => {
  const server = await startPreopened(listenerProbe, ['close'], { readyLine: 'ready' });
  const c = await connect(server.port);
  const until = Date.now() + 10_000;
  while (server.child.exitCode === null && Date.now() < until) await sleep(20);
  c.destroy();
  const r = await server.stop();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'accept with nobody connecting: timeout: deadline exceeded',
      'watchers after the cancelled accept: 0',
      'ready',
      'peer address: not_supported: a socket\'s peer address is not supported on this host (WASI preview1, wasmtime 36 -S preview2=n); use the preview2 build',
      'watchers while the read waits: 1',
      'read closed under it: closed: the socket was closed',
      'watchers after close: 0',
      '',
    ].join('\n'),
  );
});

t('shutdown_write ends the write side while reading goes on', async () => {
  const server = await startPreopened(listenerProbe, ['shutdown'], { readyLine: 'ready' });
  const c = await connect(server.port, { allowHalfOpen: true });
  let got = '';
  c.setEncoding('latin1').on('data', (d) => { got += d; });
  await new Promise((resolve) => c.once('end', resolve));
  assert.equal(got, 'bye');
  c.end('still listening');
  const until = Date.now() + 10_000;
  while (server.child.exitCode === null && Date.now() < until) await sleep(20);
  const r = await server.stop();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^peer sent after our shutdown: still listening$/m);
  assert.match(r.stdout, /^write after close: closed: /m);
});
