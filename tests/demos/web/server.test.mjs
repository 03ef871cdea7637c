// The demo server on its own (no browser): the items API's behaviours, the
// WebSocket chat and dropping it, static files and paths that leave the root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startServer, itemBehaviour } from '../../../demos/web/server.mjs';

let server;
let root;
before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'wasync-demos-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>demos</title>');
  writeFileSync(path.join(root, 'a.cpp'), 'int main() {}\n');
  server = await startServer({ root });
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true });
});

const get = (p, init) => fetch(server.url + p, init);

test('an ok item answers 200 with JSON after its delay', async () => {
  const t0 = performance.now();
  const res = await get('api/items/1?delay=50');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: 1, name: 'item 1', waitedMs: itemBehaviour(1, 50).ms });
  assert.ok(performance.now() - t0 >= itemBehaviour(1, 50).ms - 5);
});

test('items ending in 7 answer 500', async () => {
  const res = await get('api/items/17?delay=0');
  assert.equal(res.status, 500);
  assert.match(await res.text(), /item 17 is broken/);
});

test('items ending in 9 reset the connection', async () => {
  await assert.rejects(get('api/items/9?delay=0'), /fetch failed/);
});

test('items ending in 3 are slow (3 s)', async () => {
  await assert.rejects(get('api/items/3', { signal: AbortSignal.timeout(500) }), { name: 'TimeoutError' });
  assert.deepEqual(itemBehaviour(23), { kind: 'slow', ms: 3000 });
});

test('static files are served with their type; / is index.html', async () => {
  const index = await get('');
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await index.text(), /<title>demos/);
  const cpp = await get('a.cpp');
  assert.equal(cpp.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(await cpp.text(), 'int main() {}\n');
});

test('paths outside the root, malformed paths and missing files are 404', async () => {
  for (const p of ['missing.html', '%E0%A4%A', '%2e%2e/%2e%2e/etc/passwd', '..%2f..%2fetc%2fpasswd', '/etc/passwd']) {
    const res = await get(p);
    assert.equal(res.status, 404, p);
  }
});

test('the WebSocket endpoint greets, echoes to everyone, and drop-sockets kills connections abnormally', async () => {
  const ws = new WebSocket(server.url.replace('http', 'ws') + 'ws');
  // The greeting may arrive with the handshake: queue messages from the start.
  const messages = [];
  let wake = null;
  ws.on('message', (m) => {
    messages.push(String(m));
    wake?.();
  });
  const count = async (n) => {
    while (messages.length < n) await new Promise((r) => (wake = r));
  };
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  await count(1);
  ws.send('hi');
  await count(2);
  assert.match(messages[0], /^welcome, you are #\d+ \(1 online\)$/);
  assert.match(messages[1], /^#\d+: hi$/);
  const closed = new Promise((r) => ws.once('close', (code) => r(code)));
  const res = await get('api/drop-sockets', { method: 'POST' });
  assert.deepEqual(await res.json(), { dropped: 1 });
  assert.equal(await closed, 1006);
});

test('a second server on a port in use fails with the reason', async () => {
  await assert.rejects(startServer({ root, port: server.port }), /EADDRINUSE/);
});
