// The npm package's API (dist/npm, assembled by scripts/npm-dist.sh) in Node,
// against servers on 127.0.0.1: sleep, timeout, fetchAll, WebSocketClient,
// their bad arguments, AbortSignal cancellation (rejecting with the signal's
// reason), WasyncError, and nothing left behind.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';
import { assertReleased } from '../bindings/support/released.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(root, 'dist/npm/index.js');
const skip = !existsSync(entry) && `${entry} missing (scripts/test.sh runs scripts/npm-dist.sh)`;

describe('the wasync npm package in Node', { skip }, () => {
  let pkg;
  let core;
  let server;
  let base;
  let wss;
  let wsUrl;
  const traffic = { inFlight: 0, maxInFlight: 0, closedEarly: 0 };

  before(async () => {
    pkg = await import(pathToFileURL(entry).href);
    core = await pkg.load();
    server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      traffic.inFlight++;
      traffic.maxInFlight = Math.max(traffic.maxInFlight, traffic.inFlight);
      res.on('close', () => {
        traffic.inFlight--;
        if (!res.writableFinished) traffic.closedEarly++;
      });
      const delay = Number(url.searchParams.get('delay') ?? 0);
      if (url.pathname === '/echo') {  // the request as JSON, with a header of its own twice
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(201, 'Made', [['content-type', 'application/json'], ['x-reply', 'a'], ['x-reply', 'b']]);
          res.end(JSON.stringify({ method: req.method, token: req.headers['x-token'], body: Buffer.concat(chunks).toString('latin1') }));
        });
        return;
      }
      if (url.pathname === '/binary') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from([0, 1, 254, 255]));
        return;
      }
      setTimeout(() => {
        if (url.pathname === '/hang') return;  // until the client gives up
        res.writeHead(url.pathname === '/missing' ? 404 : 200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`body of ${url.pathname} ☃`);
      }, delay);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${server.address().port}`;
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('chat') ? 'chat' : false) });
    wss.on('connection', (s) => {
      s.on('message', (data, binary) => {
        const text = String(data);
        if (!binary && text.startsWith('burst ')) {
          for (let i = 0; i < Number(text.slice(6)); i++) s.send(`m${i}`);
          s.close(1000, 'burst done');
          return;
        }
        if (!binary && text === 'quiet') return;
        s.send(binary ? data : `echo ${text}`, { binary });
      });
    });
    await new Promise((r) => wss.on('listening', r));
    wsUrl = `ws://127.0.0.1:${wss.address().port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  });

  test('load() resolves with the public API and a leak check, none of the module\'s internals', async () => {
    assert.deepEqual(Object.keys(core).sort(), ['WasyncError', 'WebSocketClient', 'fetchAll', 'sleep', 'timeout', 'wasyncDebug']);
    assert.equal(core.sleep, pkg.sleep);
    assert.ok(Object.isFrozen(core));
    assert.equal(await pkg.load(), core, 'the same object each time');
    for (const internal of ['wsConnect', 'wsRelease', 'wsSendText', 'awaitWithin']) assert.equal(internal in core, false, internal);
  });

  describe('sleep', () => {
    test('resolves after the delay', async () => {
      const t0 = performance.now();
      await pkg.sleep(30);
      assert.ok(performance.now() - t0 >= 29);
    });
    test('AbortSignal.timeout() rejects with its TimeoutError (code cancelled) and frees the timer', async () => {
      const signal = AbortSignal.timeout(20);
      const e = await pkg.sleep(60000, { signal }).catch((x) => x);
      assert.equal(e, signal.reason);
      assert.equal(e.name, 'TimeoutError');
      assert.equal(e.code, 'cancelled');
      await assertReleased(core);
    });
    test('a non-number is a TypeError, a negative delay a WasyncError with code invalid_argument', async () => {
      await assert.rejects(pkg.sleep('10'), { name: 'TypeError', message: 'sleep(): argument ms must be a number, not string' });
      const e = await pkg.sleep(-1).catch((x) => x);
      assert.ok(e instanceof pkg.WasyncError);
      assert.deepEqual([e.name, e.code, e.message], ['WasyncError', 'invalid_argument', 'ms must be a finite number >= 0']);
      await assert.rejects(pkg.sleep(NaN), { code: 'invalid_argument' });
    });
  });

  describe('timeout', () => {
    test('resolves with the work value when it is in time', async () => {
      assert.equal(await pkg.timeout(pkg.sleep(5).then(() => 'done'), 1000), 'done');
    });
    test('rejects with code timeout and aborts the function signal', async () => {
      let aborted = false;
      const work = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => {
        aborted = true;
        reject(new Error('stopped'));
      }));
      const e = await pkg.timeout(work, 20).catch((x) => x);
      assert.ok(e instanceof pkg.WasyncError);
      assert.deepEqual([e.code, e.message], ['timeout', 'timed out after 20 ms']);
      assert.equal(aborted, true);
      await assertReleased(core);
    });
    test('keeps the work error as it is', async () => {
      class Mine extends Error {}
      await assert.rejects(pkg.timeout(Promise.reject(new Mine('own')), 100), Mine);
    });
    test('bad work is a TypeError', async () => {
      await assert.rejects(pkg.timeout(42, 10), { name: 'TypeError', message: /argument work must be a Promise/ });
      await assert.rejects(pkg.timeout(Promise.resolve(1), 'soon'), { name: 'TypeError', message: /argument ms must be a number/ });
    });
  });

  describe('fetchAll', () => {
    test('one outcome per URL, in order: responses of any status (ok: true), timeouts and network errors (ok: false)', async () => {
      const out = await pkg.fetchAll([`${base}/a?delay=30`, `${base}/missing`, `${base}/hang`, 'http://127.0.0.1:1/'], { timeoutMs: 150 });
      assert.deepEqual(out.map((o) => o.url), [`${base}/a?delay=30`, `${base}/missing`, `${base}/hang`, 'http://127.0.0.1:1/']);
      const { headers, ...first } = out[0];
      assert.deepEqual(first, {
        url: `${base}/a?delay=30`, ok: true, status: 200, statusText: 'OK',
        bytes: new Uint8Array(Buffer.from('body of /a ☃')), text: 'body of /a ☃',
      });
      assert.equal(headers['content-type'], 'text/plain; charset=utf-8');
      assert.deepEqual([out[1].ok, out[1].status, out[1].text], [true, 404, 'body of /missing ☃']);
      for (const [o, code] of [[out[2], 'timeout'], [out[3], 'network_error']]) {
        assert.deepEqual(Object.keys(o), ['url', 'ok', 'error'], 'a failure has no response fields');
        assert.equal(o.ok, false);
        assert.ok(o.error instanceof pkg.WasyncError);
        assert.equal(o.error.code, code);
      }
      await assertReleased(core);
    });
    test('sends the method, headers and body, and returns the response headers and bytes', async () => {
      const [r] = await pkg.fetchAll([`${base}/echo`], { method: 'PUT', headers: { 'X-Token': 't1' }, body: 'héllo' });
      assert.deepEqual([r.status, r.statusText, r.headers['x-reply'], r.headers['content-type']], [201, 'Made', 'a, b', 'application/json']);
      assert.deepEqual(JSON.parse(r.text), { method: 'PUT', token: 't1', body: Buffer.from('héllo').toString('latin1') });
      const [bin] = await pkg.fetchAll([`${base}/binary`], { method: 'POST', headers: new Headers([['x-token', 't2']]), body: new Uint8Array([255, 0]) });
      assert.deepEqual(bin.bytes, new Uint8Array([0, 1, 254, 255]));
      const [pairs] = await pkg.fetchAll([`${base}/echo`], { method: 'POST', headers: [['x-token', 't3']], body: new Uint8Array([104, 105]).buffer });
      assert.deepEqual(JSON.parse(pairs.text), { method: 'POST', token: 't3', body: 'hi' });
      await assertReleased(core);
    });
    test('never has more than `concurrency` requests in flight', async () => {
      traffic.maxInFlight = 0;
      const urls = Array.from({ length: 12 }, (_, i) => `${base}/n${i}?delay=10`);
      const out = await pkg.fetchAll(urls, { concurrency: 3 });
      assert.ok(out.every((o, i) => o.ok && o.text === `body of /n${i} ☃`));
      assert.equal(traffic.maxInFlight, 3);
    });
    test('aborting the signal cancels every request still running', async () => {
      traffic.closedEarly = 0;
      const ac = new AbortController();
      const p = pkg.fetchAll([`${base}/hang`, `${base}/hang`, `${base}/hang`], { signal: ac.signal });
      await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await assert.rejects(p, (e) => e === ac.signal.reason && e.name === 'AbortError' && e.code === 'cancelled');
      await assertReleased(core);
      const deadline = Date.now() + 2000;
      while (traffic.closedEarly < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(traffic.closedEarly, 3, 'the server saw each request aborted');
    });
    test('bad arguments', async () => {
      await assert.rejects(pkg.fetchAll('http://x'), { name: 'TypeError', message: 'fetchAll(): argument urls must be an array, not string' });
      await assert.rejects(pkg.fetchAll([base, 5]), { name: 'TypeError', message: 'fetchAll(): argument urls[1] must be a string, not number' });
      await assert.rejects(pkg.fetchAll([base], { concurrency: -1 }),
        { name: 'TypeError', message: 'fetchAll(): argument options.concurrency must be an integer in 0..4294967295 or undefined, got -1' });
      await assert.rejects(pkg.fetchAll([base], { concurrency: 1.5 }), { name: 'TypeError', message: /options\.concurrency must be an integer in 0\.\.4294967295 or undefined, got 1\.5$/ });
      await assert.rejects(pkg.fetchAll([base], { headers: 'x' }), { name: 'TypeError', message: /options\.headers must be an object/ });
      await assert.rejects(pkg.fetchAll([base], { headers: [['a']] }), { name: 'TypeError', message: 'fetchAll(): options.headers[0] must be a [name, value] pair' });
      await assert.rejects(pkg.fetchAll([base], { body: 5 }), { name: 'TypeError', message: /options\.body must be a string, a Uint8Array or an ArrayBuffer/ });
      await assert.rejects(pkg.fetchAll([base], { method: 7 }), { name: 'TypeError', message: /options\.method must be a string or undefined, not number/ });
      await assert.rejects(pkg.fetchAll([base], { concurrency: 0 }), { code: 'invalid_argument', message: 'concurrency must be at least 1' });
      await assert.rejects(pkg.fetchAll([base], { timeoutMs: -5 }), { code: 'invalid_argument' });
      const [bad] = await pkg.fetchAll(['not a url']);
      assert.equal(bad.error.code, 'invalid_argument');
    });
  });

  describe('WebSocketClient', () => {
    test('sends text and bytes and reads messages with for await', async () => {
      const ws = await pkg.WebSocketClient.connect(wsUrl, { protocols: ['chat'] });
      assert.equal(ws.protocol, 'chat');
      await ws.send('hi ☃');
      await ws.send(new Uint8Array([0, 1, 255]));
      assert.equal(await ws.receive(), 'echo hi ☃');
      assert.deepEqual(await ws.receive(), new Uint8Array([0, 1, 255]));
      await ws.send('burst 5');
      const got = [];
      for await (const m of ws) got.push(m);
      assert.deepEqual(got, ['m0', 'm1', 'm2', 'm3', 'm4']);
      assert.deepEqual(await ws.close(), { code: 1000, reason: 'burst done', clean: true });
      await assertReleased(core);
    });
    test('close() reports the code and reason', async () => {
      const ws = await pkg.WebSocketClient.connect(wsUrl);
      assert.deepEqual(await ws.close(4001, 'bye'), { code: 4001, reason: 'bye', clean: true });
    });
    test('a refused connection rejects with network_error', async () => {
      await assert.rejects(pkg.WebSocketClient.connect('ws://127.0.0.1:1/'), { code: 'network_error' });
      await assert.rejects(pkg.WebSocketClient.connect('not a url'), { code: 'invalid_argument' });
    });
    test('Symbol.asyncDispose closes it unless close() did', async () => {
      const ws = await pkg.WebSocketClient.connect(wsUrl);
      await ws.send('hi');
      assert.equal(await ws.receive(), 'echo hi');
      await ws[Symbol.asyncDispose]();
      await assert.rejects(ws.send('late'), { code: 'invalid_state' });
      await ws[Symbol.asyncDispose]();  // again: nothing left to do
      const closed = await pkg.WebSocketClient.connect(wsUrl);
      await closed.close(4000, 'done');
      await closed[Symbol.asyncDispose]();
      await assertReleased(core);
    });
    test('aborting a receive loses no message and releases the wait', async () => {
      const ws = await pkg.WebSocketClient.connect(wsUrl);
      await ws.send('quiet');
      await assert.rejects(ws.receive({ signal: AbortSignal.timeout(20) }), { name: 'TimeoutError', code: 'cancelled' });
      await ws.send('after');
      assert.equal(await ws.receive(), 'echo after');
      await ws.close();
      await assertReleased(core);
    });
    test('bad arguments', async () => {
      const ws = await pkg.WebSocketClient.connect(wsUrl);
      await assert.rejects(ws.send(42), { name: 'TypeError', message: 'send(): argument data must be a string or a Uint8Array' });
      await assert.rejects(ws.close(1000, 7), { name: 'TypeError', message: /argument reason must be a string or undefined, not number/ });
      await assert.rejects(pkg.WebSocketClient.connect(wsUrl, { protocols: 'chat' }), { name: 'TypeError', message: /options\.protocols must be an array/ });
      assert.throws(() => new pkg.WebSocketClient(), TypeError);
      await ws.close();
      await assert.rejects(ws.send('late'), { code: 'invalid_state' });
      await assertReleased(core);
    });
  });
});
