// Tests for the bench runner's pure reporting logic (ratios, targets, table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTargets, formatTable, ratiosFor } from '../../scripts/lib/bench_report.mjs';

const rows = [
  { bench: 'spawn', impl: 'wasync-wasm', value: 20, unit: 'ns/task' },
  { bench: 'spawn', impl: 'node', value: 100, unit: 'ns/task' },
  { bench: 'echo', impl: 'wasync-wasm', value: 50_000, unit: 'req/s' },
  { bench: 'echo', impl: 'node', value: 100_000, unit: 'req/s' },
];

test('ratios: lower cost is faster, lower throughput is slower', () => {
  const [wasmSpawn, nodeSpawn, wasmEcho] = ratiosFor(rows);
  assert.deepEqual(wasmSpawn.peers, [{ impl: 'node', factor: 5 }]);
  assert.deepEqual(nodeSpawn.peers, [{ impl: 'wasync-wasm', factor: 0.2 }]);
  assert.deepEqual(wasmEcho.peers, [{ impl: 'node', factor: 0.5 }]);
});

test('table states ratios in words', () => {
  const table = formatTable(rows);
  assert.match(table, /wasync-wasm\s+20\.0 ns\/task\s+5\.00x faster than node/);
  assert.match(table, /node\s+100 ns\/task\s+5\.00x slower than wasync-wasm/);
  assert.match(table, /wasync-wasm\s+50000 req\/s\s+2\.00x slower than node/);
});

test('targets: pass, miss, and n/a when an impl was not measured', () => {
  const targets = [
    { bench: 'spawn', impl: 'wasync-wasm', vs: 'node', minFactor: 5, label: '>=5x faster than node' },
    { bench: 'spawn', impl: 'wasync-wasm', vs: 'node', minFactor: 6, label: '>=6x faster than node' },
    { bench: 'spawn', impl: 'wasync-wasm', vs: 'python-asyncio', minFactor: 50, label: '>=50x' },
    { bench: 'sleepers_bytes_per_task', impl: 'wasync-wasm', max: 256, label: '<=256 bytes/task' },
    { bench: 'spawn', impl: 'wasync-wasm', max: 10, label: '<=10 ns/task' },
    { bench: 'spawn', impl: 'wasync-wasm', max: 20, label: '<=20 ns/task' },
  ];
  assert.deepEqual(
    checkTargets(rows, targets).map((t) => t.status),
    ['PASS', 'MISS', 'n/a', 'n/a', 'MISS', 'PASS'],
  );
});

test('targets: a cost at most maxAbove over the peer passes', () => {
  const rtt = [
    { bench: 'rtt', impl: 'wasync-wasip1', value: 45, unit: 'µs' },
    { bench: 'rtt', impl: 'blocking-floor', value: 20, unit: 'µs' },
  ];
  const targets = [
    { bench: 'rtt', impl: 'wasync-wasip1', vs: 'blocking-floor', maxAbove: 30, label: 'within 30 µs' },
    { bench: 'rtt', impl: 'wasync-wasip1', vs: 'blocking-floor', maxAbove: 20, label: 'within 20 µs' },
    { bench: 'rtt', impl: 'wasync-wasip2', vs: 'blocking-floor', maxAbove: 30, label: 'within 30 µs' },
  ];
  assert.deepEqual(
    checkTargets(rtt, targets).map((t) => t.status),
    ['PASS', 'MISS', 'n/a'],
  );
});
