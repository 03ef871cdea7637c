// WebSocket from C++ against a ws server this test starts on 127.0.0.1.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { loadProbe, skipUnlessBuilt, assertReleased, raw } from './support/probe.mjs';

const skip = skipUnlessBuilt('web_io_probe');
const timeout = 20_000;  // per test: a hang fails the test instead of stalling the suite
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let mod;
let wss;
let base;
// Close events the server saw, by path: { code, reason }.
const serverCloses = [];
const closeWaiters = [];
function serverSawClose(path) {
  const seen = serverCloses.find((c) => c.path === path);
  if (seen) return Promise.resolve(seen);
  return new Promise((r) => closeWaiters.push((c) => c.path === path && (r(c), true)));
}

function onConnection(ws, req) {
  const path = new URL(req.url, 'http://x').pathname;
  ws.on('close', (code, reason) => {
    const c = { path, code, reason: reason.toString() };
    serverCloses.push(c);
    for (const w of closeWaiters.splice(0)) if (!w(c)) closeWaiters.push(w);
  });
  switch (path) {
    case '/echo':
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      return;
    case '/close':
      ws.send('one');
      ws.send('two');
      ws.close(4001, 'go away');
      return;
    case '/terminate':
      ws.send('one');
      setTimeout(() => ws.terminate(), 20);
      return;
    case '/late':
      setTimeout(() => ws.send('late'), 80);
      setTimeout(() => ws.close(1000), 120);
      return;
    case '/ticks': {
      const t = setInterval(() => ws.send('tick'), 5);
      ws.on('close', () => clearInterval(t));
      return;
    }
    case '/slow-reader': {
      // Reads nothing for 300 ms, so the client's send buffer fills up.
      let bytes = 0;
      let messages = 0;
      ws._socket.pause();
      setTimeout(() => ws._socket.resume(), 300);
      ws.on('message', (data) => {
        bytes += data.length;
        if (++messages === Number(new URL(req.url, 'http://x').searchParams.get('count'))) ws.send(`${messages} ${bytes}`);
      });
      return;
    }
  }
}

before(async () => {
  if (skip) return;
  mod = await loadProbe('web_io_probe');
  wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false),
    verifyClient: (info) => !info.req.url.startsWith('/reject'),
  });
  wss.on('connection', onConnection);
  await new Promise((r) => wss.on('listening', r));
  base = `ws://127.0.0.1:${wss.address().port}`;
});
after(async () => {
  if (!wss) return;
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
});
afterEach(async () => {
  if (mod) await assertReleased(mod);
});

test('echo of a text and a binary message, then close with code and reason', { skip, timeout }, async () => {
  const r = await mod.call('ws_echo', `${base}/echo`, '');
  assert.deepEqual(r, {
    protocol: '', text: 'hello ☃', binary: new Uint8Array([0, 1, 2, 255]), endAfterClose: true,
    sendAfterClose: 'closed: the WebSocket is closed', code: 1000, reason: 'bye', clean: true,
  });
  assert.deepEqual(await serverSawClose('/echo'), { path: '/echo', code: 1000, reason: 'bye' });
});

test('subprotocol negotiation: the server picks one of those offered', { skip, timeout }, async () => {
  const r = await mod.call('ws_echo', `${base}/echo`, 'chat.v1,chat.v2');
  assert.equal(r.protocol, 'chat.v2');
  assert.equal(r.text, 'hello ☃');
});

test('a server close with code and reason ends receive() cleanly after the queued messages', { skip, timeout }, async () => {
  assert.deepEqual(await mod.call('ws_receive_all', `${base}/close`), { messages: 'one,two', code: 4001, reason: 'go away', clean: true });
});

test('an abnormal close (the server drops the connection) is a network error on the receiving task', { skip, timeout }, async () => {
  assert.deepEqual(await mod.call('ws_receive_all', `${base}/terminate`), {
    messages: 'one', error: 'network_error: WebSocket closed abnormally (code 1006)', code: 1006, reason: '', clean: false,
  });
});

test('a refused connection or a refused handshake fails connect() with a network error', { skip, timeout }, async () => {
  await assert.rejects(mod.call('ws_receive_all', 'ws://127.0.0.1:1/'), { code: 'network_error', message: /ECONNREFUSED/ });
  await assert.rejects(mod.call('ws_receive_all', `${base}/reject`), { code: 'network_error', message: /401/ });
  await assert.rejects(mod.call('ws_receive_all', 'ftp://127.0.0.1/'), { code: 'invalid_argument' });
});

test('a receive that times out loses no message', { skip, timeout }, async () => {
  assert.match(await mod.call('ws_receive_timeout', `${base}/late`), /^(\[timeout\])+late(\[timeout\])*\[end\]$/);
});

test('cancelling the receiving task closes the socket: the server sees the close', { skip, timeout }, async () => {
  const ac = new AbortController();
  const p = mod.call('ws_until_cancelled', `${base}/ticks`, ac.signal);
  await sleep(40);
  ac.abort();
  await assert.rejects(p, { code: 'cancelled' });
  assert.equal((await serverSawClose('/ticks')).code, 1005);
});

test('send() waits while bufferedAmount is above the high-water mark', { skip, timeout }, async () => {
  const count = 400;
  const size = 64 * 1024;
  const highWater = 256 * 1024;
  const r = await mod.call('ws_backpressure', `${base}/slow-reader?count=${count}`, raw(count), raw(size), raw(highWater));
  console.log(`# backpressure: most queued ${r.maxBuffered} B (mark ${highWater}), ${count} x 64 KiB sent in ${r.ms.toFixed(0)} ms`);
  assert.equal(r.tally, `${count} ${count * size}`);
  assert.ok(r.maxBuffered > highWater, `the buffer did fill up (${r.maxBuffered})`);
  assert.ok(r.maxBuffered <= highWater + size + 64, `queued ${r.maxBuffered} B with a mark of ${highWater}`);
  assert.ok(r.ms >= 250, 'the sender waited for the paused reader');
});
