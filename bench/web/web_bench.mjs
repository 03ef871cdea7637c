// Web I/O benchmarks, in Node and in headless Chromium in one run: the wasync
// modules (build/bench-wasm/bench/) against the same work in plain JavaScript
// and against ASYNCIFY (bench/web/web_bench_cases.mjs), on servers started here
// on 127.0.0.1. Prints {bench, impl, value, unit} JSON lines for scripts/bench.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { browserSkip, launchBrowser, startServer } from '../../tests/support/browser.mjs';
import { runWebBenches } from './web_bench_cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const built = (name) => path.join(root, 'build/bench-wasm/bench', `${name}.mjs`);
const row = (bench, impl, value, unit) => console.log(JSON.stringify({ bench, impl, value, unit }));

const body = 'k'.repeat(1024);
const server = await startServer({
  root,
  routes: (req, res) => {
    if (req.url.startsWith('/kib')) return res.end(body);
    // The key-value modules' origin: a body per key; "slow" answers after their timeout.
    if (req.url === '/kv/slow') return setTimeout(() => res.end('late'), 300);
    if (req.url.startsWith('/kv/')) return res.end(`value of ${req.url.slice(4)}`);
    return false;
  },
});
const url = `${server.url}/kib`;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
await new Promise((r) => wss.on('listening', r));
const wsUrl = `ws://127.0.0.1:${wss.address().port}/`;

// The wasm inside each SINGLE_FILE module (a base64 data URL), in bytes.
function wasmSize(name) {
  const m = readFileSync(built(name), 'utf8').match(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/);
  if (!m) throw new Error(`no embedded wasm in ${built(name)}`);
  return Buffer.from(m[1], 'base64').length;
}
row('timers_fetch_wasm_size', 'asyncify', wasmSize('timers_fetch_asyncify'), 'bytes');
row('timers_fetch_wasm_size', 'wasync-wasm', wasmSize('timers_fetch_wasync'), 'bytes');

// A bigger program: the key-value cache with nine async exports (bench/web/kv), a
// wasync module (kv_module.js + .wasm) and plain Emscripten on ASYNCIFY. Both
// must give the same answers before their sizes count.
const kvAsyncify = await (await import(pathToFileURL(built('kv_asyncify')).href)).default();
const kvCall = (name, ret, types) => (...args) => kvAsyncify.ccall(name, ret, types, args, { async: true });
const kvBuilds = {
  'wasync-wasm': await (await import(pathToFileURL(path.join(root, 'build/bench-wasm/bench/kv_module.js')).href)).default(),
  asyncify: {
    setOrigin: kvCall('kv_set_origin', 'number', ['string']),
    get: kvCall('kv_get', 'string', ['string']),
    getWithin: kvCall('kv_get_within', 'string', ['string', 'number']),
    put: kvCall('kv_put', 'number', ['string', 'string']),
    remove: kvCall('kv_remove', 'number', ['string']),
    prefetch: kvCall('kv_prefetch', 'number', ['string']),
    expireAfter: kvCall('kv_expire_after', 'number', ['number']),
    count: kvCall('kv_count', 'number', []),
    totalBytes: kvCall('kv_total_bytes', 'number', []),
  },
};
async function kvScenario(kv) {
  const out = [await kv.setOrigin(`${server.url}/kv/`)];
  out.push(await kv.put('a', 'alpha'), await kv.put('a', 'again'), await kv.get('a'), await kv.get('b'));
  out.push(await kv.prefetch('b,c,d,,e'), await kv.count(), await kv.totalBytes());
  out.push(await kv.getWithin('slow', 20), await kv.getWithin('f', 5000));
  out.push(await kv.remove('c'), await kv.remove('c'), await kv.expireAfter(5), await kv.count());
  return JSON.stringify(out);
}
const kvExpected = JSON.stringify([1, 1, 0, 'again', 'value of b', 3, 5, 50, '', 'value of f', 1, 0, 5, 0]);
for (const [impl, kv] of Object.entries(kvBuilds)) {
  const got = await kvScenario(kv);
  if (got !== kvExpected) throw new Error(`kv module (${impl}): ${got}, expected ${kvExpected}`);
}
row('kv_module_wasm_size', 'asyncify', wasmSize('kv_asyncify'), 'bytes');
row('kv_module_wasm_size', 'wasync-wasm', readFileSync(path.join(root, 'build/bench-wasm/bench/kv_module.wasm')).length, 'bytes');

console.error('web bench: Node');
await runWebBenches({
  modules: (name) => pathToFileURL(built(name)).href,
  url, wsUrl, WebSocket, row,
  impl: { wasync: 'wasync-wasm', js: 'node', asyncify: 'asyncify' },
});

if (browserSkip) {
  console.error(`web bench: Chromium skipped: ${browserSkip}`);
} else {
  console.error('web bench: Chromium');
  const browser = await launchBrowser();
  const page = await browser.openPage(`${server.url}/`);
  await page.exposeFunction('benchRow', row);
  await page.evaluate(async ([url, wsUrl]) => {
    const { runWebBenches } = await import('/bench/web/web_bench_cases.mjs');
    await runWebBenches({
      modules: (name) => `/build/bench-wasm/bench/${name}.mjs`,
      url, wsUrl, WebSocket: globalThis.WebSocket, row: globalThis.benchRow,
      impl: { wasync: 'wasync-chromium', js: 'chromium', asyncify: 'asyncify-chromium' },
    });
  }, [url, wsUrl]);
  if (page.errors.length) throw new Error(`errors in the bench page:\n${page.errors.join('\n')}`);
  await browser.close();
}

await server.close();
for (const c of wss.clients) c.terminate();
wss.close();
