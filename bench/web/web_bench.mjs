// Web I/O benchmarks in Node: the wasync module (build/bench-wasm/bench/web_bench.mjs)
// against the same work in plain JavaScript, on servers started here on 127.0.0.1.
// Prints {bench, impl, value, unit} JSON lines for scripts/bench.mjs.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const modulePath = path.join(root, 'build/bench-wasm/bench/web_bench.mjs');
const AWAITS = 1_000_000;
const FETCHES = 1000;
const ECHOES = 25_000;  // per round: 100,000 in all
const ROUNDS = 3;  // best of, after one warm-up round (connections, JIT)

const row = (bench, impl, value, unit) => console.log(JSON.stringify({ bench, impl, value, unit }));
async function best(f) {
  await f();
  let b = Infinity;
  for (let i = 0; i < ROUNDS; i++) b = Math.min(b, await f());
  return b;
}

const mod = await (await import(pathToFileURL(modulePath).href)).default({ print: console.error, printErr: console.error });
const cpp = (fn, ...args) => mod.wasyncJsTake(mod[`_bench_${fn}`](...args));

const body = 'k'.repeat(1024);
const server = http.createServer((req, res) => res.end(body));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
await new Promise((r) => wss.on('listening', r));
const wsUrl = `ws://127.0.0.1:${wss.address().port}/`;

// (1) awaiting an already-resolved Promise, from C++ and from a JS async function.
{
  const resolved = Promise.resolve(1);
  const before = mod.wasyncDrainCount();
  const ms = await best(() => cpp('await_resolved', mod.wasyncJsPut(resolved), AWAITS));
  const crossings = (mod.wasyncDrainCount() - before) / ((ROUNDS + 1) * AWAITS);
  row('await_resolved_promise', 'wasync-wasm', (ms * 1e6) / AWAITS, 'ns/await');
  row('await_resolved_promise_drains', 'wasync-wasm', crossings, 'drains/await');
  const js = await best(async () => {
    const t0 = performance.now();
    for (let i = 0; i < AWAITS; i++) await resolved;
    return performance.now() - t0;
  });
  row('await_resolved_promise', 'node', (js * 1e6) / AWAITS, 'ns/await');
}

// (2) 1,000 concurrent fetches of 1 KiB.
{
  const ms = await best(() => cpp('fetch_fanout', mod.wasyncJsPut(url), FETCHES));
  row('fetch_fanout_1000', 'wasync-wasm', ms, 'ms');
  const js = await best(async () => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: FETCHES }, () => fetch(url).then((r) => r.text())));
    return performance.now() - t0;
  });
  row('fetch_fanout_1000', 'node', js, 'ms');
}

// (3) WebSocket echo round trips of 64 B.
{
  const ms = await best(() => cpp('ws_echo', mod.wasyncJsPut(wsUrl), ECHOES, 64));
  row('websocket_echo_64b', 'wasync-wasm', (ECHOES) / (ms / 1000), 'msg/s');
  const js = await best(async () => {
    const ws = new WebSocket(wsUrl);
    ws.binaryType = 'arraybuffer';
    await new Promise((r) => (ws.onopen = r));
    const t0 = performance.now();
    for (let i = 0; i < ECHOES; i++) {
      const got = new Promise((r) => (ws.onmessage = r));
      ws.send(new Uint8Array(64));
      await got;
    }
    const took = performance.now() - t0;
    ws.close();
    return took;
  });
  row('websocket_echo_64b', 'node', (ECHOES) / (js / 1000), 'msg/s');
}

server.closeAllConnections();
server.close();
for (const c of wss.clients) c.terminate();
wss.close();
process.exit(0);
