// demos/net/http_serve.cpp as wasi:http components under `wasmtime serve`
// (wasmtime 49): preview2 (the incoming-handler export; wasmtime runs each
// request in an instance of its own, reused one request at a time) and WASI
// 0.3 (the async handler export; concurrent requests are concurrent tasks in
// one instance). Real clients on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { describe, test as nodeTest } from 'node:test';
import { fileURLToPath } from 'node:url';

import { freePort } from '../net/net_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmtime49 = path.join(root, 'build/tools/bin/wasmtime49');

const hosts = [
  { name: 'preview2', file: path.join(root, 'build/wasip2/demos/net/http_serve.wasm'), oneInstance: false },
  { name: 'WASI 0.3', file: path.join(root, 'build/wasip3/demos/net/http_serve.wasm'), oneInstance: true },
].map((h) => ({
  ...h,
  skip: (!existsSync(wasmtime49) && `${wasmtime49} missing (scripts/setup.sh)`) ||
    (!existsSync(h.file) && `${h.file} not built (scripts/test.sh builds it)`),
}));

/// `wasmtime serve` on a free port; resolves once it serves.
async function startServe(host, extra = []) {
  const port = await freePort();
  const child = spawn(wasmtime49, ['serve', '-S', 'cli', '--addr', `127.0.0.1:${port}`, ...extra, host.file],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { output += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Serving HTTP on')) { clearInterval(timer); resolve(); }
      if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`wasmtime serve exited: ${output}`)); }
    }, 20);
  });
  return {
    port,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (process.env.HTTP_SERVE_LOG) console.log(output);  // HTTP_SERVE_LOG=1: wasmtime's log in the report
      return exited;
    },
  };
}

/// One request on a connection of its own: {status, headers, body (Buffer), ms}.
function request(port, { method = 'GET', target = '/', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - start }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/// A request that never gets its answer fails its test instead of hanging the run.
const test = (name, fn) => nodeTest(name, { timeout: 30_000 }, fn);

const stats = async (port) => JSON.parse((await request(port, { target: '/stats' })).body.toString());

/// Bytes written raw; resolves to what came back until the server closed (or 3 s).
function raw(port, bytes) {
  return new Promise((resolve) => {
    const chunks = [];
    const c = net.connect(port, '127.0.0.1', () => c.write(bytes));
    const done = () => { clearTimeout(timer); c.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); };
    const timer = setTimeout(done, 3000);
    c.on('data', (d) => {
      chunks.push(d);
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) done();
    });
    c.on('end', done);
    c.on('error', done);
  });
}

/// A POST /echo that announces `length` bytes, sends `sent`, then resets the connection.
function abandonedUpload(port, length, sent) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n`);
      c.write(Buffer.alloc(sent, 7), () => setTimeout(() => { c.resetAndDestroy(); resolve(); }, 5));
    });
    c.on('error', () => resolve());
  });
}

for (const host of hosts) {
  describe(`http_serve under wasmtime serve (${host.name})`, { skip: host.skip }, () => {
    test('GET / answers 200 with the greeting, HEAD without a body', async () => {
      const srv = await startServe(host);
      try {
        const r = await request(srv.port);
        assert.equal(r.status, 200);
        assert.equal(r.body.toString(), 'hello from wasync\n');
        assert.match(r.headers['content-type'], /^text\/plain/);
        const head = await request(srv.port, { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
      } finally {
        await srv.stop();
      }
    });

    test('POST /echo streams a 300 KB body back byte-exact, with or without a length', async () => {
      const srv = await startServe(host);
      try {
        const data = randomBytes(300 * 1024);
        const r = await request(srv.port, { method: 'POST', target: '/echo', body: data,
          headers: { 'Content-Type': 'application/x-test', 'Content-Length': data.length } });
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-type'], 'application/x-test');
        assert.equal(r.headers['content-length'], String(data.length));
        assert.ok(r.body.equals(data), `echo differs (${r.body.length} bytes back)`);
        // Chunked request: the length is unknown until the end; the response streams too.
        const chunked = await new Promise((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/echo', agent: false }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(Buffer.concat(chunks)));
          });
          req.on('error', reject);
          for (let i = 0; i < data.length; i += 50 * 1024) req.write(data.subarray(i, i + 50 * 1024));
          req.end();
        });
        assert.ok(chunked.equals(data), `chunked echo differs (${chunked.length} bytes back)`);
      } finally {
        await srv.stop();
      }
    });

    test('POST /echo of 32 MiB to a client that pauses reading stays within a 16 MiB memory (backpressure)', async () => {
      const srv = await startServe(host, ['-W', 'max-memory-size=16777216']);
      try {
        const data = randomBytes(32 * 1024 * 1024);
        const back = await new Promise((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/echo', agent: false,
            headers: { 'Content-Length': data.length } }, (res) => {
            res.pause();  // the server must wait for us, not buffer
            setTimeout(() => {
              const chunks = [];
              res.on('data', (c) => chunks.push(c));
              res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
              res.resume();
            }, 1000);
          });
          req.on('error', reject);
          req.end(data);
        });
        assert.equal(back.status, 200);
        assert.equal(back.body.length, data.length);
        assert.ok(back.body.equals(data), 'the echo differs');
      } finally {
        await srv.stop();
      }
    });

    test('200 concurrent requests are all answered', async () => {
      const srv = await startServe(host);
      try {
        const all = await Promise.all(Array.from({ length: 200 }, (_, i) =>
          i % 2 ? request(srv.port) : request(srv.port, { method: 'POST', target: '/echo', body: `n${i}` })));
        all.forEach((r, i) => {
          assert.equal(r.status, 200);
          assert.equal(r.body.toString(), i % 2 ? 'hello from wasync\n' : `n${i}`);
        });
      } finally {
        await srv.stop();
      }
    });

    test(`a slow request does not hold up others (${host.oneInstance ? 'tasks of one instance' : 'an instance per request'})`, async () => {
      const srv = await startServe(host);
      try {
        const slow = request(srv.port, { target: '/slow?ms=1500' });
        slow.catch(() => {});  // awaited below
        await new Promise((r) => setTimeout(r, 200));
        // WASI 0.3: /stats goes to the instance whose task sleeps (2 handlers
        // live in it); preview2: to an instance of its own (only itself).
        assert.equal((await stats(srv.port)).handlers, host.oneInstance ? 2 : 1);
        const quick = await Promise.all(Array.from({ length: 20 }, () => request(srv.port)));
        for (const r of quick) assert.ok(r.ms < 1000, `a quick request took ${r.ms} ms`);
        const s = await slow;
        assert.equal(s.status, 200);
        assert.ok(s.ms >= 1450, `the slow request took ${s.ms} ms`);
      } finally {
        await srv.stop();
      }
    });

    test('100 sleeping requests at once end together, with nothing left behind', async () => {
      // WASI 0.3: an instance takes up to 200 at once (the flag lifts
      // wasmtime's 16; how wasmtime spreads a burst over instances is its
      // own choice): many export tasks, 7 distinct deadlines on the loop's
      // one host timer.
      const srv = await startServe(host, ['--max-instance-concurrent-reuse-count', '200', '--max-instance-reuse-count', '100000']);
      try {
        const start = Date.now();
        const all = await Promise.all(Array.from({ length: 100 }, (_, i) => request(srv.port, { target: `/slow?ms=${200 + (i % 7) * 30}` })));
        const took = Date.now() - start;
        all.forEach((r, i) => assert.equal(r.body.toString(), `slept ${200 + (i % 7) * 30} ms\n`));
        assert.ok(took < 3000, `took ${took} ms`);
        const after = await stats(srv.port);
        assert.equal(after.handlers, 1);
        assert.equal(after.tasks, 1, 'only /stats itself');  // in the instance it reached
      } finally {
        await srv.stop();
      }
    });

    test('clients that disconnect mid-body leave nothing behind (memory capped at 32 MiB)', async () => {
      // Every request in one instance, so that a leak would accumulate.
      const srv = await startServe(host, ['-W', 'max-memory-size=33554432', '--max-instance-reuse-count', '1000000', '--max-concurrent-requests', '1',
        '--idle-instance-timeout', '60s']);
      try {
        const before = await stats(srv.port);
        for (let i = 0; i < 300; ++i) await abandonedUpload(srv.port, 1 << 20, 200 * 1024);
        const data = randomBytes(64 * 1024);
        const r = await request(srv.port, { method: 'POST', target: '/echo', body: data });
        assert.equal(r.status, 200);
        assert.ok(r.body.equals(data));
        const after = await stats(srv.port);
        assert.equal(after.handlers, 1, 'only /stats itself is being handled');
        assert.equal(after.tasks, before.tasks, 'no task is left behind');
        // WASI 0.3: each upload's task ended in this instance. Preview2: wasmtime
        // drops an instance whose call it abandons (the client left while the
        // export ran), so only the uploads whose export returned counted here.
        if (host.oneInstance) assert.ok(after.requests >= before.requests + 300, `one instance served the uploads (${before.requests} -> ${after.requests})`);
        else assert.ok(after.requests > before.requests, `the instance was reused (${before.requests} -> ${after.requests})`);
      } finally {
        await srv.stop();
      }
    });

    test(`clients that leave while their handler sleeps leave nothing behind (${host.oneInstance ? 'the handlers run out' : 'their instances go'})`, async () => {
      const srv = await startServe(host, ['--max-instance-reuse-count', '1000000', '--idle-instance-timeout', '60s']);
      try {
        const before = await stats(srv.port);
        for (let i = 0; i < 20; ++i) {
          const c = net.connect(srv.port, '127.0.0.1', () => c.write('GET /slow?ms=1000 HTTP/1.1\r\nHost: x\r\n\r\n'));
          c.on('error', () => {});
          await new Promise((r) => setTimeout(r, 100));
          c.resetAndDestroy();
        }
        // WASI 0.3: wasmtime 49 does not cancel the export task (no CANCEL
        // event; a GET's body has ended): each handler sleeps on, answers
        // into a response the host dropped, and releases everything, in
        // this instance. Preview2: wasmtime drops the instance whose call
        // it abandons.
        let now;
        for (let tries = 0; tries < 100; ++tries) {
          now = await stats(srv.port);
          if (now.handlers === 1 && now.tasks === before.tasks) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(now.handlers, 1, 'no handler still sleeps');
        assert.equal(now.tasks, before.tasks, 'no task is left behind');
        if (host.oneInstance) assert.ok(now.requests >= before.requests + 20, `one instance (${before.requests} -> ${now.requests})`);
      } finally {
        await srv.stop();
      }
    });

    test('bad requests are answered 4xx: malformed by wasmtime (hyper), unknown routes by the handler', async () => {
      const srv = await startServe(host);
      try {
        assert.match(await raw(srv.port, 'NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400/);
        assert.match(await raw(srv.port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n'), /^HTTP\/1\.1 400/);
        assert.equal((await request(srv.port, { target: '/nothing-here' })).status, 404);
        assert.equal((await request(srv.port, { method: 'DELETE' })).status, 405);
        assert.equal((await request(srv.port, { target: '/slow?ms=-5' })).status, 400);
        assert.equal((await request(srv.port, { target: '/fail' })).status, 500);
        assert.equal((await request(srv.port)).status, 200, 'still serving');
      } finally {
        await srv.stop();
      }
    });
  });
}
