// TCP on WASI preview1 under real wasmtime 36 (-S preview2=n -S tcplisten=...):
// the echo demo, the HTTP demo, and what preview1 cannot do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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
// demos/net/http_serve.cpp, serving the preopened listener (more in tests/net/http_serve.test.mjs).
const httpWasm = path.join(root, 'build/wasi/demos/net/http_serve.wasm');
const listenerProbe = probePath('listener_probe');

const missing = [echoWasm, httpWasm, listenerProbe].filter((p) => !existsSync(p));
const skip =
  (!existsSync(wasmtime) && `${wasmtime} missing (scripts/setup.sh installs wasmtime)`) ||
  (missing.length > 0 && `${missing.join(', ')} not built (scripts/test.sh builds build/wasi)`);
/// t(name, fn) or t(name, { skip: reason }, fn).
const t = (name, opts, fn = opts) => test(name, { timeout: 120_000, skip: skip || opts.skip }, fn);
const curl = ['/usr/bin/curl', '/usr/local/bin/curl'].find((p) => existsSync(p));

/** Runs `cmd` with `input` on stdin; resolves to { status, stdout, stderr }. */
function run(cmd, args, input) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

function connect(port, { allowHalfOpen = false } = {}) {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1', allowHalfOpen }, () => resolve(c));
    c.once('error', reject);
  });
}

/** Runs `fn(server)` with `wasm` serving on a preopened listener, then stops it. */
async function serving(wasm, args, fn) {
  const server = await startPreopened(wasm, wasm === httpWasm ? [...args, '--preopened'] : args);
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
    // (A chunked body echoes back chunked: tests/net/http_serve.test.mjs checks that.)
    const chunked = await c.request('POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    assert.equal(chunked.body, '11 bytes\n');
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
      ['truncated, then the client closes its side', 'POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc', 400],
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
  serving(httpWasm, ['--idle-timeout=0.3'], async (server) => {
    const started = Date.now();
    assert.equal(await httpRaw(server.port, ''), '', 'a quiet keep-alive connection closes without a word');
    assert.ok(Date.now() - started >= 250, `closed after ${Date.now() - started} ms`);
    const [r] = parseResponses(await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
    assert.equal(r?.status, 408);
    assert.equal(r.headers.connection, 'close');
  }));

/**
 * Opens a connection, writes `head`, then `trickle` one byte every `everyMs`
 * until the server answers and closes its side (or `giveUpMs` passes).
 * Resolves to { text, endedAt (ms after the first byte, or null), sent }.
 */
async function trickler(port, head, trickle, everyMs, giveUpMs) {
  const c = await connect(port);
  let text = '';
  let endedAt = null;
  const started = Date.now();
  c.setEncoding('latin1').on('data', (d) => { text += d; });
  const ended = new Promise((resolve) => {
    c.once('end', () => { endedAt = Date.now() - started; resolve(); });
    c.once('close', resolve);
    c.once('error', resolve);
  });
  c.write(Buffer.from(head, 'latin1'));
  let sent = 0;
  const giveUp = started + giveUpMs;
  while (endedAt === null && !c.destroyed && Date.now() < giveUp) {
    await Promise.race([sleep(everyMs), ended]);
    if (endedAt === null && !c.destroyed) c.write(trickle[sent++ % trickle.length]);
  }
  c.destroy();
  return { text, endedAt, sent };
}

t('http: a client trickling its head a byte at a time gets 408 at the head deadline, and others are served meanwhile', () =>
  serving(httpWasm, ['--head-timeout=1', '--idle-timeout=30'], async (server) => {
    // One byte every tenth of the deadline: each read would restart an idle timer.
    const tricklers = Array.from({ length: 5 }, () =>
      trickler(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'abcdefgh', 100, 5_000));
    await sleep(300);
    const [ok] = parseResponses(await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    assert.equal(ok?.status, 200, 'served while the tricklers trickle');
    for (const r of await Promise.all(tricklers)) {
      const [res] = parseResponses(r.text);
      assert.equal(res?.status, 408, `after ${r.sent} trickled bytes: ${JSON.stringify(r.text.slice(0, 60))}`);
      assert.equal(res.headers.connection, 'close');
      assert.ok(r.endedAt !== null && r.endedAt >= 900 && r.endedAt < 2_500, `closed ${r.endedAt} ms after the first byte`);
      assert.ok(r.sent >= 7, `the client trickled all along (${r.sent} bytes)`);
    }
  }));

t('http: a body slower than --min-body-rate gets 408; a body at the rate passes however long it takes', () =>
  serving(httpWasm, ['--body-timeout=0.5', '--min-body-rate=100', '--head-timeout=1'], async (server) => {
    // 10 B/s against 100 B/s after a 0.5 s grace: out after about 0.56 s.
    // (/count answers after the whole body; /echo would have begun its answer.)
    const slow = await trickler(server.port, 'POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n', 'b', 100, 5_000);
    const [res] = parseResponses(slow.text);
    assert.equal(res?.status, 408, `after ${slow.sent} body bytes: ${JSON.stringify(slow.text.slice(0, 60))}`);
    assert.ok(slow.endedAt !== null && slow.endedAt >= 450 && slow.endedAt < 2_000, `closed after ${slow.endedAt} ms`);

    // 2,000 B/s for 1.5 s: three times the grace, well within the rate.
    const c = await KeepAliveClient.open(server.port);
    const body = 'y'.repeat(3000);
    const reply = c.request(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
    for (let off = 0; off < body.length; off += 200) {
      await sleep(100);
      c.socket.write(body.slice(off, off + 200));
    }
    const r = await reply;
    assert.equal(r.status, 200);
    assert.equal(r.body, body);
    c.close();
  }));

t('http: at --max-connections the server stops accepting until a connection ends, then serves the next client', () =>
  serving(httpWasm, ['--max-connections=3', '--idle-timeout=30'], async (server) => {
    // Three keep-alive clients take every slot and stay idle.
    const held = [];
    for (let i = 0; i < 3; i++) {
      const c = await KeepAliveClient.open(server.port);
      assert.equal((await c.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).status, 200);
      held.push(c);
    }
    // A fourth connects (the listen backlog takes it) but is not served.
    const waiting = await KeepAliveClient.open(server.port);
    const answered = waiting.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const early = await Promise.race([answered.then(() => 'answered'), sleep(700).then(() => 'waiting')]);
    assert.equal(early, 'waiting', 'no fourth connection is served while three are open');
    // So are a few more idle ones on top.
    const extra = await Promise.all([1, 2, 3].map(() => connect(server.port)));
    await sleep(200);
    assert.equal(await Promise.race([answered.then(() => 'answered'), sleep(0).then(() => 'waiting')]), 'waiting');
    held[0].close();
    const started = Date.now();
    assert.equal((await answered).status, 200);
    assert.ok(Date.now() - started < 2_000, `served ${Date.now() - started} ms after a slot freed`);
    waiting.close();
    held.slice(1).forEach((c) => c.close());
    extra.forEach((c) => c.destroy());
    // With every slot free again, clients are served at once.
    const [ok] = parseResponses(await httpRaw(server.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    assert.equal(ok?.status, 200);
  }));

/** Writes `head` and waits `ms` (the body not sent); `text` and `ended` go on tracking the connection. */
async function headOnly(port, head, ms) {
  const r = { c: await connect(port), text: '', ended: false };
  r.c.setEncoding('latin1').on('data', (d) => { r.text += d; });
  r.c.once('end', () => { r.ended = true; });
  r.c.write(Buffer.from(head, 'latin1'));
  await sleep(ms);
  return r;
}

t('http: Expect: 100-continue gets 100 Continue before the body is sent; 413 and 417 come without reading the body', () =>
  serving(httpWasm, [], async (server) => {
    const body = 'hello, continued';
    const first = await headOnly(server.port, `POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`, 500);
    assert.equal(first.text, 'HTTP/1.1 100 Continue\r\n\r\n', 'the interim response arrives before any body byte is sent');
    const rest = new Promise((resolve) => first.c.once('close', resolve));
    first.c.end(body);
    await rest;
    const [res] = parseResponses(first.text.slice('HTTP/1.1 100 Continue\r\n\r\n'.length));
    assert.equal(res?.status, 200);
    assert.equal(res.body, body);

    // Refusals come at once, without a 100 and without waiting for the body; the connection closes.
    for (const [expect, length, status] of [['100-continue', 2_000_000, 413], ['x-unknown', 5, 417], ['100-continue, x', 5, 417]]) {
      const r = await headOnly(server.port, `POST /echo HTTP/1.1\r\nHost: x\r\nExpect: ${expect}\r\nContent-Length: ${length}\r\n\r\n`, 500);
      r.c.destroy();
      const [refusal] = parseResponses(r.text);
      assert.equal(refusal?.status, status, `${expect}, ${length} bytes: ${JSON.stringify(r.text.slice(0, 40))}`);
      assert.equal(refusal.headers.connection, 'close');
      assert.ok(r.ended, 'the server closed its side');
    }

    // HTTP/1.0 cannot expect 100 Continue: no interim response, the body is read as sent.
    const old = await headOnly(server.port, 'POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n', 300);
    assert.equal(old.text, '');
    old.c.destroy();
  }));

t('http: curl sends its body at once after 100 Continue instead of waiting out its 1 s fallback', { skip: !curl && 'curl not installed (scripts/setup.sh installs it)' }, () =>
  serving(httpWasm, [], async (server) => {
    const body = randomBytes(100_000).toString('base64');
    const r = await run(curl, ['-sS', '-H', 'Expect: 100-continue', '-H', 'Content-Type: text/plain', '--data-binary', '@-',
      '-w', '\n%{http_code} %{time_total}', `http://127.0.0.1:${server.port}/echo`], body);
    assert.equal(r.status, 0, r.stderr);
    const [code, seconds] = r.stdout.slice(r.stdout.lastIndexOf('\n') + 1).split(' ');
    assert.equal(code, '200');
    assert.ok(r.stdout.slice(0, r.stdout.lastIndexOf('\n')) === body, 'the body comes back');
    assert.ok(Number(seconds) < 0.8, `curl took ${seconds} s`);
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
