// Pure reporting logic for the bench runner: peer ratios, target checks and the text table.
// Kept free of I/O so tests/scripts/bench_report.test.mjs can exercise it directly.

/**
 * Targets as data; later benches append theirs. A relative target needs `impl` to be at
 * least `minFactor` times better than `vs` (1 = no worse; 1/1.5 = within 1.5x), or, with
 * `maxAbove`, a cost at most that much above `vs`'s (same unit); an absolute target caps
 * the value itself with `max`.
 */
export const TARGETS = [
  { bench: 'spawn', impl: 'wasync-wasm', vs: 'python-asyncio', minFactor: 50, label: '>=50x faster than python-asyncio' },
  { bench: 'spawn', impl: 'wasync-wasm', vs: 'node', minFactor: 1, label: 'no slower than node' },
  { bench: 'spawn', impl: 'wasync-wasm', vs: 'wasync-native', minFactor: 1 / 1.5, label: 'within 1.5x of wasync-native' },
  { bench: 'ping_pong', impl: 'wasync-wasm', vs: 'python-asyncio', minFactor: 50, label: '>=50x faster than python-asyncio' },
  { bench: 'ping_pong', impl: 'wasync-wasm', vs: 'node', minFactor: 5, label: '>=5x faster than node' },
  { bench: 'ping_pong', impl: 'wasync-wasm', vs: 'wasync-native', minFactor: 1 / 1.5, label: 'within 1.5x of wasync-native' },
  { bench: 'sleepers_bytes_per_task', impl: 'wasync-wasm', max: 256, label: '<=256 bytes/task' },
  // The task itself (issue 17): spawn + await a trivial task, a queue hop, a sleeping task's memory.
  // `spawn` keeps a million tasks alive at once; `spawn_fanout_1000` spawns and awaits 1,000 at a time.
  { bench: 'spawn', impl: 'wasync-native', max: 40, label: '<=40 ns/task' },
  { bench: 'spawn', impl: 'wasync-wasm', max: 40, label: '<=40 ns/task' },
  { bench: 'spawn_fanout_1000', impl: 'wasync-native', max: 40, label: '<=40 ns/task' },
  { bench: 'spawn_fanout_1000', impl: 'wasync-wasm', max: 40, label: '<=40 ns/task' },
  { bench: 'ping_pong', impl: 'wasync-wasm', max: 20, label: '<=20 ns/hop' },
  { bench: 'sleepers_bytes_per_task', impl: 'wasync-wasm', max: 128, label: '<=128 bytes/task' },
  { bench: 'fetch_fanout_1000', impl: 'wasync-wasm', vs: 'node', minFactor: 1 / 1.05, label: 'within 5% of plain JS' },
  { bench: 'websocket_echo_64b', impl: 'wasync-wasm', vs: 'node', minFactor: 1 / 1.1, label: 'within 10% of plain JS' },
  // Each awaited Promise settles in its own batch here; the few extra drains start and end the run.
  { bench: 'await_resolved_promise_drains', impl: 'wasync-wasm', max: 1.001, label: '<=1 JS->wasm crossing per drained batch' },
  // C++ awaiting an already-resolved JS Promise, against a JS async function awaiting it (issue 17).
  { bench: 'await_resolved_promise', impl: 'wasync-wasm', vs: 'node', minFactor: 1 / 2, label: '<=2x a plain JS await' },
  { bench: 'await_resolved_promise', impl: 'wasync-chromium', vs: 'chromium', minFactor: 1 / 2, label: '<=2x a plain JS await' },
  { bench: 'fetch_fanout_1000', impl: 'wasync-chromium', vs: 'chromium', minFactor: 1 / 1.05, label: 'within 5% of plain JS' },
  { bench: 'websocket_echo_64b', impl: 'wasync-chromium', vs: 'chromium', minFactor: 1 / 1.1, label: 'within 10% of plain JS' },
  { bench: 'await_resolved_promise_drains', impl: 'wasync-chromium', max: 1.001, label: '<=1 JS->wasm crossing per drained batch' },
  // The same timers + fetch program blocking-style on Emscripten's ASYNCIFY.
  // Issue 17: no larger than the same program on ASYNCIFY, for the small program and a bigger one.
  { bench: 'timers_fetch_wasm_size', impl: 'wasync-wasm', vs: 'asyncify', minFactor: 1, label: 'no larger than the ASYNCIFY build' },
  { bench: 'kv_module_wasm_size', impl: 'wasync-wasm', vs: 'asyncify', minFactor: 1, label: 'no larger than the ASYNCIFY build' },
  { bench: 'timers_fetch_suspension', impl: 'wasync-wasm', vs: 'asyncify', minFactor: 1.5, label: 'ASYNCIFY >=1.5x slower per suspension' },
  { bench: 'timers_fetch_suspension', impl: 'wasync-chromium', vs: 'asyncify-chromium', minFactor: 1.5, label: 'ASYNCIFY >=1.5x slower per suspension' },
  // JS -> C++ async call round trip through generated bindings (C++ returns at once).
  { bench: 'js_call_scalar', impl: 'wasync-wasm', vs: 'node', minFactor: 1 / 2, label: '<=2x a plain JS async call' },
  { bench: 'js_call_scalar', impl: 'wasync-chromium', vs: 'chromium', minFactor: 1 / 2, label: '<=2x a plain JS async call' },
  { bench: 'js_call_string_1kib', impl: 'wasync-wasm', vs: 'node', minFactor: 1 / 4, label: '<=4x a plain JS async call' },
  { bench: 'js_call_string_1kib', impl: 'wasync-chromium', vs: 'chromium', minFactor: 1 / 4, label: '<=4x a plain JS async call' },
  ...echoTargets(),
  // The HTTP bench (bench/net/http_bench.mjs), issue 16: requests per server CPU second.
  { bench: 'http_get_50conn_cpu', impl: 'wasync-native', vs: 'node', minFactor: 1.5, label: '>=1.5x node http requests per CPU second' },
  { bench: 'http_post_echo_1KiB_50conn_cpu', impl: 'wasync-native', vs: 'node', minFactor: 1.5, label: '>=1.5x node http requests per CPU second' },
];

/**
 * The echo bench (bench/net/echo_bench.mjs): issues 3 and 8. Each throughput target is also
 * checked on server CPU per request (the *_cpu rows), which a busy machine does not skew.
 */
function echoTargets() {
  const targets = [];
  const benches = ['tcp_echo_64B_50conn', 'tcp_echo_1KiB_50conn'];
  for (const bench of [...benches, ...benches.map((b) => `${b}_cpu`)]) {
    targets.push(
      { bench, impl: 'wasync-native', vs: 'node', minFactor: 1.5, label: '>=1.5x node' },
      { bench, impl: 'wasync-native', vs: 'uvloop', minFactor: 1.2, label: '>=1.2x uvloop' },
      { bench, impl: 'wasync-wasip2', vs: 'node', minFactor: 0.7, label: '>=0.7x node' },
      { bench, impl: 'wasync-wasip1', vs: 'node', minFactor: 0.8, label: '>=0.8x node' },
      { bench, impl: 'wasync-wasip1', vs: 'python-asyncio', minFactor: 2, label: '>=2x python-asyncio' },
    );
  }
  // Issue 16: the WASI 0.3 host costs no more server CPU per request than preview2's.
  for (const bench of ['tcp_echo_64B_50conn_cpu', 'udp_echo_64B_50sock_cpu']) {
    targets.push({ bench, impl: 'wasync-wasip3', vs: 'wasync-wasip2', minFactor: 1, label: 'CPU per request <= wasync-wasip2' });
  }
  for (const impl of ['wasync-native', 'wasync-wasip1', 'wasync-wasip2']) {
    targets.push({ bench: 'tcp_rtt_64B_1conn_p50', impl, vs: 'blocking-floor', maxAbove: 30, label: 'within 30 µs of the floor' });
  }
  // The preview2 reactor against preview1 and native (issue 17).
  targets.push(
    { bench: 'tcp_echo_64B_50conn_cpu', impl: 'wasync-wasip2', vs: 'wasync-wasip1', minFactor: 1 / 1.2, label: '<=1.2x wasync-wasip1' },
    { bench: 'udp_echo_64B_50sock_cpu', impl: 'wasync-wasip2', vs: 'wasync-native', minFactor: 1 / 2, label: '<=2x wasync-native' },
    { bench: 'tcp_rtt_64B_1conn_p99', impl: 'wasync-wasip2', vs: 'wasync-wasip1', minFactor: 1 / 2, label: 'within 2x wasync-wasip1' },
  );
  return targets;
}

// Throughput units (req/s, MB/s) are better when higher; every other unit (ns/task,
// bytes/task) is a cost and better when lower.
export const higherIsBetter = (unit) => unit.endsWith('/s');

/** How many times better `value` is than `peerValue` (>1 better, <1 worse). */
export function betterFactor(value, peerValue, unit) {
  return higherIsBetter(unit) ? value / peerValue : peerValue / value;
}

function findRow(rows, bench, impl) {
  return rows.find((r) => r.bench === bench && r.impl === impl);
}

/** For each row, its factor against every other impl measured on the same bench and unit. */
export function ratiosFor(rows) {
  return rows.map((row) => ({
    row,
    peers: rows
      .filter((p) => p.bench === row.bench && p.unit === row.unit && p.impl !== row.impl)
      .map((p) => ({ impl: p.impl, factor: betterFactor(row.value, p.value, row.unit) })),
  }));
}

/** Evaluates each target: status PASS, MISS, or n/a when a needed row was not measured. */
export function checkTargets(rows, targets = TARGETS) {
  return targets.map((t) => {
    const row = findRow(rows, t.bench, t.impl);
    if (!row) return { ...t, status: 'n/a', detail: `no ${t.impl} result` };
    if (t.vs !== undefined) {
      const peer = findRow(rows, t.bench, t.vs);
      if (!peer) return { ...t, status: 'n/a', detail: `no ${t.vs} result` };
      if (t.maxAbove !== undefined) {
        const above = row.value - peer.value;
        const detail = `${formatNumber(row.value)} vs ${formatNumber(peer.value)} ${row.unit}`;
        return { ...t, status: above <= t.maxAbove ? 'PASS' : 'MISS', detail };
      }
      const factor = betterFactor(row.value, peer.value, row.unit);
      return { ...t, status: factor >= t.minFactor ? 'PASS' : 'MISS', detail: describeFactor(factor, t.vs, row.unit) };
    }
    return { ...t, status: row.value <= t.max ? 'PASS' : 'MISS', detail: `${formatNumber(row.value)} ${row.unit}` };
  });
}

function formatNumber(v) {
  if (Math.abs(v) >= 100) return Math.round(v).toString();
  return v.toFixed(v >= 10 ? 1 : 2);
}

function describeFactor(factor, peer, unit) {
  const [better, worse] = unit.startsWith('bytes') ? ['smaller', 'larger'] : ['faster', 'slower'];
  return factor >= 1
    ? `${formatNumber(factor)}x ${better} than ${peer}`
    : `${formatNumber(1 / factor)}x ${worse} than ${peer}`;
}

/** The results table, grouped by bench in order of first appearance. */
export function formatTable(rows) {
  const ratios = ratiosFor(rows);
  const benches = [...new Set(rows.map((r) => r.bench))];
  const implWidth = Math.max(4, ...rows.map((r) => r.impl.length));
  const values = rows.map((r) => `${formatNumber(r.value)} ${r.unit}`);
  const valueWidth = Math.max(5, ...values.map((v) => v.length));
  const lines = [];
  for (const bench of benches) {
    lines.push(`${bench}`);
    ratios.forEach(({ row, peers }, i) => {
      if (row.bench !== bench) return;
      const vs = peers.map((p) => describeFactor(p.factor, p.impl, row.unit)).join(', ');
      lines.push(`  ${row.impl.padEnd(implWidth)}  ${values[i].padStart(valueWidth)}  ${vs}`.trimEnd());
    });
  }
  return lines.join('\n');
}

/** One line per target, e.g. "PASS  ping_pong  wasync-wasm >=5x faster than node  (6.1x faster than node)". */
export function formatTargets(results) {
  return results
    .map((t) => `${t.status.padEnd(4)}  ${t.bench}  ${t.impl} ${t.label}  (${t.detail})`)
    .join('\n');
}
