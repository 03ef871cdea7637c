// JS -> C++ async calls through generated bindings (build/bench-wasm/bench/
// bind_bench.js) against plain JS async functions doing the same work: each
// call awaited before the next (and 1,000 at a time), with scalar arguments, a 1 KiB string and a
// 64 KiB Uint8Array. Prints {bench, impl, value, unit} JSON lines.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const row = (bench, impl, value, unit) => console.log(JSON.stringify({ bench, impl, value, unit }));
const m = await (await import(pathToFileURL(path.join(root, 'build/bench-wasm/bench/bind_bench.js')).href)).default();

const js = {
  add: async (a, b) => a + b,
  textLength: async (text) => text.length,
  byteCount: async (data) => data.length,
};

// ns per call: the best of `rounds` runs of n calls (after a warm-up run),
// each awaited before the next, or (batch) all started, then awaited together.
async function measure(call, n, { rounds = 5, batch = 0 } = {}) {
  let best = Infinity;
  for (let r = 0; r <= rounds; r++) {
    const t0 = process.hrtime.bigint();
    if (batch) {
      for (let i = 0; i < n; i += batch) {
        const all = new Array(batch);
        for (let j = 0; j < batch; j++) all[j] = call(i + j);
        await Promise.all(all);
      }
    } else {
      for (let i = 0; i < n; i++) await call(i);
    }
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (r > 0) best = Math.min(best, ns);
  }
  return best;
}

const text = 'k'.repeat(1024);
const bytes = new Uint8Array(64 * 1024).fill(7);
const cases = [
  ['js_call_scalar', 200000, (f) => (i) => f.add(i, 1)],
  ['js_call_scalar_batch_1000', 200000, (f) => (i) => f.add(i, 1), { batch: 1000 }],
  ['js_call_string_1kib', 100000, (f) => () => f.textLength(text)],
  ['js_call_bytes_64kib', 20000, (f) => () => f.byteCount(bytes)],
];
for (const [bench, n, make, options] of cases) {
  if ((await make(m)(2)) !== (await make(js)(2))) throw new Error(`${bench}: wasync and JS disagree`);
  row(bench, 'wasync-wasm', await measure(make(m), n, options), 'ns/call');
  row(bench, 'node', await measure(make(js), n, options), 'ns/call');
}
const left = m.wasyncDebug();
if (left.tasks !== 0 || left.calls !== 0) throw new Error(`calls left behind: ${JSON.stringify(left)}`);
