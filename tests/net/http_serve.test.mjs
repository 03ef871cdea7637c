// demos/net/http_serve (http::serve and http::handler) against real clients
// (Node's http and net) on 127.0.0.1, for every host it is built for: natively
// in both exception modes, and as a WASI preview1 module on wasmtime 36's
// preopened listener. A host is {name, file, command(port, options), skip}:
// add a row to serve the same application elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './net_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmtime36 = path.join(root, 'build/tools/bin/wasmtime');
const notBuilt = (file) => !existsSync(file) && `${path.relative(root, file)} not built (scripts/test.sh builds it)`;

export const httpHosts = [
  {
    name: 'native',
    file: path.join(root, 'build/native/demos/net/http_serve'),
    hasFetch: true,
    command: (file, port, options) => [file, ...options, String(port)],
  },
  {
    name: 'native, exceptions off',
    file: path.join(root, 'build/native-noexc/demos/net/http_serve'),
    hasFetch: true,
    command: (file, port, options) => [file, ...options, String(port)],
  },
  {
    name: 'WASI preview1 under wasmtime 36',
    file: path.join(root, 'build/wasi/demos/net/http_serve.wasm'),
    hasFetch: false,
    command: (file, port, options) =>
      [wasmtime36, 'run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, file, ...options, '--preopened'],
    skip: !existsSync(wasmtime36) && `${wasmtime36} missing (scripts/setup.sh installs it)`,
  },
].map((h) => ({ ...h, skip: h.skip || notBuilt(h.file) }));

/** Starts the demo on `host`; resolves once it listens: { port, alive(), stop() }. */
async function startDemo(host, options = []) {
  const port = await freePort();
  const [cmd, ...args] = host.command(host.file, port, options);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      if (stderr.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`http_serve exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill();
    }),
  };
}

/** One request on its own connection: { status, headers, body (Buffer) }. */
function request(port, { method = 'GET', path: target = '/', headers = {}, body, pieces } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (pieces) {
      // Written in pieces without a Content-Length: Node sends them chunked.
      (async () => {
        for (const p of pieces) {
          if (!req.write(p)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })();
    } else {
      req.end(body);
    }
  });
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const c = net.connect({ port, host: '127.0.0.1' }, () => resolve(c));
    c.once('error', reject);
  });
}

/** Writes `raw` on a new connection and collects what arrives until the server closes (or `ms` pass). */
async function exchange(port, raw, { halfClose = false, ms = 10_000 } = {}) {
  const c = await connect(port);
  const chunks = [];
  const closed = new Promise((resolve) => {
    c.on('data', (d) => chunks.push(d));
    c.once('close', resolve);
    c.once('error', resolve);
  });
  if (halfClose) c.end(Buffer.from(raw, 'latin1'));
  else c.write(Buffer.from(raw, 'latin1'));
  await Promise.race([closed, sleep(ms)]);
  c.destroy();
  return Buffer.concat(chunks).toString('latin1');
}

/** Consecutive responses in `text` (Content-Length or chunked bodies). */
function parseResponses(text) {
  const out = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const lines = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.slice(1).map((l) => {
      const colon = l.indexOf(':');
      return [l.slice(0, colon).toLowerCase(), l.slice(colon + 1).trim()];
    }));
    const status = Number(lines[0].split(' ')[1]);
    rest = rest.slice(end + 4);
    if (status === 100) continue;
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const eol = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, eol), 16);
        body += rest.slice(eol + 2, eol + 2 + size);
        rest = rest.slice(eol + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const len = Number(headers['content-length'] ?? 0);
      body = rest.slice(0, len);
      rest = rest.slice(len);
    }
    out.push({ status, headers, body });
  }
}

async function stats(port) {
  // The requests and tasks counts (tests/wasi/http_serve_component.test.mjs) are left out here.
  const { handlers, connections } = JSON.parse((await request(port, { path: '/stats', headers: { connection: 'close' } })).body.toString());
  return { handlers, connections };
}

/** Polls /stats until `want(stats)` holds (or fails after `ms`). */
async function statsUntil(port, want, ms = 5_000) {
  const until = Date.now() + ms;
  for (;;) {
    const s = await stats(port);
    if (want(s)) return s;
    if (Date.now() > until) assert.fail(`stats never got there: ${JSON.stringify(s)}`);
    await sleep(50);
  }
}

for (const host of httpHosts) {
  const { skip } = host;
  /** A test of the demo on this host, serving with `options`. */
  const t = (name, options, fn) =>
    test(`${name} [${host.name}]`, { skip, timeout: 120_000 }, async () => {
      const server = await startDemo(host, options);
      try {
        await fn(server.port, server);
        assert.ok(server.alive(), 'the server is still running');
      } finally {
        await server.stop();
      }
    });

  t('GET / greets and HEAD sends the same head without the body', [], async (port) => {
    const r = await request(port);
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'hello from wasync\n');
    const head = await request(port, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '18');
    assert.equal(head.body.length, 0);
    assert.equal((await request(port, { path: '/nope' })).status, 404);
    assert.equal((await request(port, { method: 'DELETE' })).status, 405);
  });

  t('POST /echo returns 300 KB byte for byte, sent with Content-Length and sent chunked', [], async (port) => {
    const payload = randomBytes(300_000);
    const fixed = await request(port, { method: 'POST', path: '/echo', body: payload,
      headers: { 'content-type': 'application/x-test', 'content-length': payload.length } });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.headers['content-type'], 'application/x-test');
    assert.equal(fixed.headers['content-length'], String(payload.length), 'a known length goes out as Content-Length');
    assert.ok(fixed.body.equals(payload), `Content-Length: ${fixed.body.length} bytes back`);

    const pieces = [];
    for (let at = 0; at < payload.length; at += 7_000) pieces.push(payload.subarray(at, at + 7_000));
    const chunked = await request(port, { method: 'POST', path: '/echo', pieces });
    assert.equal(chunked.status, 200);
    assert.equal(chunked.headers['transfer-encoding'], 'chunked', 'an unknown length streams back chunked');
    assert.ok(chunked.body.equals(payload), `chunked: ${chunked.body.length} bytes back`);
    const counted = await request(port, { method: 'POST', path: '/count', pieces });
    assert.equal(counted.body.toString(), '300000 bytes\n');
  });

  t('200 concurrent requests on 200 connections are all answered', [], async (port) => {
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? request(port)
        : request(port, { method: 'POST', path: '/echo', body: `request ${i}` })));
    replies.forEach((r, i) => {
      assert.equal(r.status, 200, `request ${i}`);
      assert.equal(r.body.toString(), i % 2 === 0 ? 'hello from wasync\n' : `request ${i}`);
    });
  });

  t('a slow request does not hold up others', [], async (port) => {
    const started = Date.now();
    const slow = request(port, { path: '/slow?ms=1500' });
    await sleep(100);
    const quick = await request(port);
    const quickMs = Date.now() - started;
    assert.equal(quick.status, 200);
    assert.ok(quickMs < 1_000, `GET / answered after ${quickMs} ms while /slow sleeps`);
    const s = await slow;
    assert.equal(s.body.toString(), 'slept 1500 ms\n');
    assert.ok(Date.now() - started >= 1_450, 'the slow one slept');
  });

  t('a client that disconnects mid-body cancels its handler and leaves nothing behind', [], async (port) => {
    const baseline = await stats(port);
    assert.deepEqual(baseline, { handlers: 1, connections: 1 }, 'only the /stats request itself');
    const clients = [];
    for (let i = 0; i < 5; i++) {
      const c = await connect(port);
      c.on('error', () => {});
      c.write(`POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n${'y'.repeat(50_000)}`);
      clients.push(c);
    }
    await statsUntil(port, (s) => s.handlers === 6 && s.connections === 6);
    clients.forEach((c, i) => (i % 2 === 0 ? c.destroy() : c.resetAndDestroy()));
    await statsUntil(port, (s) => s.handlers === 1 && s.connections === 1);
    // /echo hands the body to the response: the stream it forwards is cut too.
    const c = await connect(port);
    c.on('error', () => {});
    c.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n${'z'.repeat(50_000)}`);
    await statsUntil(port, (s) => s.connections === 2);
    c.destroy();
    await statsUntil(port, (s) => s.handlers === 1 && s.connections === 1);
    assert.equal((await request(port)).status, 200);
  });

  t('bad requests are answered 4xx and the connection closes', [], async (port) => {
    const cases = [
      ['bare LF', 'GET / HTTP/1.1\nHost: x\n\n', 400],
      ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400],
      ['both Content-Length and chunked', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
      ['a malformed chunk', 'POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n', 400],
      ['a body cut short by a half-close', 'POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc', 400],
      ['request line over 8 KiB', `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
      ['header section over 16 KiB', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(17_000)}\r\n\r\n`, 431],
      ['Content-Length over 1 MiB', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n', 413],
      ['a chunked body over 1 MiB', `POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${`ffff\r\n${'c'.repeat(0xffff)}\r\n`.repeat(17)}`, 413],
      ['an unknown expectation', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n', 417],
      ['HTTP/2.0', 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', 505],
    ];
    for (const [name, raw, status] of cases) {
      const text = await exchange(port, raw, { halfClose: true });
      const [r] = parseResponses(text);
      assert.equal(r?.status, status, `${name}: ${JSON.stringify(text.slice(0, 80))}`);
      assert.equal(r.headers.connection, 'close', name);
    }
    assert.equal((await request(port)).status, 200, 'still serving');
  });

  t('pipelined requests are answered in order, bodies and all', [], async (port) => {
    const text = await exchange(port,
      'GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n' +
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc' +
      'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n' +
      'POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nskip' +
      'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const rs = parseResponses(text);
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 404, 200]);
    assert.deepEqual(rs.map((r) => r.body), ['slept 300 ms\n', 'abc', 'de', 'Not Found\n', 'hello from wasync\n']);
    assert.equal(rs[4].headers.connection, 'close');
  });

  t('a failing handler gets 500 and the server goes on serving', [], async (port) => {
    for (const target of ['/fail', '/fail?throw=1']) {
      const r = await request(port, { path: target });
      assert.equal(r.status, 500, target);
      assert.equal(r.headers.connection, 'close');
    }
    assert.equal((await request(port)).status, 200);
    assert.deepEqual(await stats(port), { handlers: 1, connections: 1 });
  });

  t('Expect: 100-continue gets 100 Continue when the handler reads the body, and none when it answers without', [], async (port) => {
    const c = await connect(port);
    let text = '';
    c.setEncoding('latin1').on('data', (d) => { text += d; });
    c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    for (let i = 0; i < 100 && !text.includes('100 Continue'); i++) await sleep(20);
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
    c.write('hello');
    for (let i = 0; i < 100 && !text.endsWith('hello'); i++) await sleep(20);
    c.destroy();
    const [r] = parseResponses(text);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hello');

    // A handler that answers without reading: no 100 Continue, the body is never
    // asked for, and the connection closes after the answer.
    const refused = await exchange(port, 'POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    assert.ok(!refused.includes('100 Continue'), refused);
    const [nope] = parseResponses(refused);
    assert.equal(nope?.status, 404);
    assert.equal(nope.headers.connection, 'close');
  });

  t('at --max-connections the server stops accepting until a connection ends', ['--max-connections=2'], async (port) => {
    const held = [await connect(port), await connect(port)];
    await sleep(100);
    const waiting = request(port);
    const early = await Promise.race([waiting.then(() => 'answered'), sleep(500).then(() => 'waiting')]);
    assert.equal(early, 'waiting', 'a third connection is not served at the cap');
    held[0].destroy();
    assert.equal((await waiting).status, 200, 'served once a connection ended');
    held[1].destroy();
  });

  test(`GET /fetch proxies with fetch, or says 501 without it [${host.name}]`, { skip, timeout: 60_000 }, async () => {
    const upstream = http.createServer((req, res) => res.end(`upstream saw ${req.url}`));
    await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const server = await startDemo(host);
    try {
      const url = `http://127.0.0.1:${upstream.address().port}/x?y=1`;
      const r = await request(server.port, { path: `/fetch?url=${encodeURIComponent(url)}` });
      if (host.hasFetch) {
        assert.equal(r.status, 200);
        assert.equal(r.body.toString(), 'upstream saw /x?y=1');
      } else {
        assert.equal(r.status, 501);
        assert.match(r.body.toString(), /no fetch/);
      }
    } finally {
      await server.stop();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
}
