// WebSocket from C++ (web_io_probe) against the server of support/servers.mjs.
// Each scenario runs in Node and in Chromium: it sees only `env` (no closure
// over this module; the browser runner evaluates its source in the page).
//   env: { call, raw, wsBase, server: { serverSawClose }, assert, host, sleep, log }
export const websocketScenarios = [
  {
    name: 'echo of a text and a binary message, then close with code and reason',
    async run({ call, wsBase, server, assert }) {
      const r = await call('ws_echo', `${wsBase}/echo`, '');
      assert.deepEqual(r, {
        protocol: '', text: 'hello ☃', binary: new Uint8Array([0, 1, 2, 255]), endAfterClose: true,
        sendAfterClose: 'closed: the WebSocket is closed', code: 1000, reason: 'bye', clean: true,
      });
      assert.deepEqual(await server.serverSawClose('/echo'), { path: '/echo', code: 1000, reason: 'bye' });
    },
  },
  {
    name: 'subprotocol negotiation: the server picks one of those offered',
    async run({ call, wsBase, assert }) {
      const r = await call('ws_echo', `${wsBase}/echo`, 'chat.v1,chat.v2');
      assert.equal(r.protocol, 'chat.v2');
      assert.equal(r.text, 'hello ☃');
    },
  },
  {
    name: 'a server close with code and reason ends receive() cleanly after the queued messages',
    async run({ call, wsBase, assert }) {
      assert.deepEqual(await call('ws_receive_all', `${wsBase}/close`), { messages: 'one,two', code: 4001, reason: 'go away', clean: true });
    },
  },
  {
    name: 'an abnormal close (the server drops the connection) is a network error on the receiving task',
    async run({ call, wsBase, assert }) {
      assert.deepEqual(await call('ws_receive_all', `${wsBase}/terminate`), {
        messages: 'one', error: 'network_error: WebSocket closed abnormally (code 1006)', code: 1006, reason: '', clean: false,
      });
    },
  },
  {
    name: 'a refused connection or a refused handshake fails connect() with a network error',
    async run({ call, wsBase, host, assert }) {
      // Chromium's WebSocket error event carries no reason.
      const node = host === 'node';
      await assert.rejects(call('ws_receive_all', 'ws://127.0.0.1:1/'), { code: 'network_error', ...(node && { message: /ECONNREFUSED/ }) });
      await assert.rejects(call('ws_receive_all', `${wsBase}/reject`), { code: 'network_error', ...(node && { message: /401/ }) });
      await assert.rejects(call('ws_receive_all', 'ftp://127.0.0.1/'), { code: 'invalid_argument' });
    },
  },
  {
    name: 'a receive that times out loses no message',
    async run({ call, wsBase, assert }) {
      assert.match(await call('ws_receive_timeout', `${wsBase}/late`), /^(\[timeout\])+late(\[timeout\])*\[end\]$/);
    },
  },
  {
    name: 'cancelling the receiving task closes the socket: the server sees the close',
    async run({ call, wsBase, server, sleep, assert }) {
      const ac = new AbortController();
      const p = call('ws_until_cancelled', `${wsBase}/ticks`, ac.signal);
      await sleep(40);
      ac.abort();
      await assert.rejects(p, { code: 'cancelled' });
      assert.equal((await server.serverSawClose('/ticks')).code, 1005);
    },
  },
  {
    name: 'send() waits while bufferedAmount is above the high-water mark',
    async run({ call, raw, wsBase, log, assert }) {
      const count = 400;
      const size = 64 * 1024;
      const highWater = 256 * 1024;
      const r = await call('ws_backpressure', `${wsBase}/slow-reader?count=${count}`, raw(count), raw(size), raw(highWater));
      log(`backpressure: most queued ${r.maxBuffered} B (mark ${highWater}), ${count} x 64 KiB sent in ${r.ms.toFixed(0)} ms`);
      assert.equal(r.tally, `${count} ${count * size}`);
      assert.ok(r.maxBuffered > highWater, `the buffer did fill up (${r.maxBuffered})`);
      assert.ok(r.maxBuffered <= highWater + size + 64, `queued ${r.maxBuffered} B with a mark of ${highWater}`);
      assert.ok(r.ms >= 250, 'the sender waited for the paused reader');
    },
  },
];
