// The bindings benchmarks as one function that runs wherever the module loads:
// in Node (bindings_bench.mjs) and in a Chromium page (the same file, served).
// JS -> C++ async calls through generated bindings (bind_bench.js, whose C++
// returns at once) against plain JS async functions doing the same work: each
// call awaited before the next (and 1,000 at a time), with scalar arguments,
// a 1 KiB string and a 64 KiB Uint8Array.
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
    const t0 = performance.now();
    if (batch) {
      for (let i = 0; i < n; i += batch) {
        const all = new Array(batch);
        for (let j = 0; j < batch; j++) all[j] = call(i + j);
        await Promise.all(all);
      }
    } else {
      for (let i = 0; i < n; i++) await call(i);
    }
    const ns = ((performance.now() - t0) * 1e6) / n;
    if (r > 0) best = Math.min(best, ns);
  }
  return best;
}

/// Runs every case on module `m` and plain JS; reports rows as (bench, impl, value, unit).
export async function runBindingsBenches({ m, row, impl }) {
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
    await row(bench, impl.wasync, await measure(make(m), n, options), 'ns/call');
    await row(bench, impl.js, await measure(make(js), n, options), 'ns/call');
  }
  const left = m.wasyncDebug();
  if (left.tasks !== 0 || left.calls !== 0) throw new Error(`calls left behind: ${JSON.stringify(left)}`);
}
