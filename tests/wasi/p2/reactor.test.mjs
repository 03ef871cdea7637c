// The preview2 reactor's host calls under wasmtime 49, against Node echo peers
// on 127.0.0.1: a connection's waits reuse the pollables it subscribed first
// (before, each wait subscribed a pollable and dropped it: two host calls),
// the clock pollable is kept while a deadline stays, and 100,000 cancelled
// reads subscribe nothing and leave no wait and no memory behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram, wasmtime49, noWasmtime49 } from '../wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const probe = path.join(root, 'build/wasip2/tests/wasi/p2/reactor_probe.wasm');
const skip = noWasmtime49 || (!existsSync(probe) && 'build/wasip2 not built (scripts/test.sh builds it)');
const networked = (flags = []) => ({ command: (wasm, args) => [wasmtime49, 'run', '-S', 'inherit-network', ...flags, wasm, ...args] });
const json = (r) => JSON.parse(r.stdout.trim().split('\n').at(-1));
const t = (name, fn) => test(name, { skip, timeout: 60_000 }, fn);
const trips = 1000;

async function withTcpEcho(fn) {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(server.address().port);
  } finally {
    server.close();
  }
}

async function withUdpEcho(fn) {
  const peer = dgram.createSocket('udp4');
  peer.on('message', (m, from) => peer.send(m, from.port, from.address));
  await new Promise((r) => peer.bind(0, '127.0.0.1', r));
  try {
    return await fn(peer.address().port);
  } finally {
    peer.close();
  }
}

async function run(args, flags) {
  const r = await runProgram(networked(flags), probe, args);
  assert.equal(r.status, 0, r.stderr);
  return json(r);
}

// A connection subscribes at most three pollables (its socket's, for the
// connect; its input's; its output's, when a write had to wait), however many
// round trips it makes; subscribing per wait made over a thousand here.
t('1,000 TCP round trips subscribe no more pollables than the connection has', async () => {
  await withTcpEcho(async (port) => {
    const got = await run(['tcp', String(port), String(trips)]);
    assert.deepEqual([got.exact, got.waits, got.tasks], [trips, 0, 1]);
    assert.ok(got.subscriptions <= 3, `${got.subscriptions} subscriptions`);
    assert.ok(got.polls >= trips / 10, `${got.polls} polls: the round trips hardly waited`);
  });
});

t('1,000 UDP round trips subscribe no more pollables than the socket has', async () => {
  await withUdpEcho(async (port) => {
    const got = await run(['udp', String(port), String(trips)]);
    assert.deepEqual([got.exact, got.waits, got.tasks], [trips, 0, 1]);
    assert.ok(got.subscriptions <= 3, `${got.subscriptions} subscriptions`);
    assert.ok(got.polls >= trips / 10, `${got.polls} polls: the round trips hardly waited`);
  });
});

t('UDP receives hand out datagrams that arrived together one at a time, in order, truncated to the buffer', async () => {
  await withUdpEcho(async (port) => {
    const got = await run(['udp_burst', String(port), '200']);
    assert.deepEqual(got, { in_order: 200, truncated: 2, waits: 0, tasks: 1 });
  });
});

t('with a timer pending through 1,000 TCP round trips, its clock pollable is subscribed once', async () => {
  await withTcpEcho(async (port) => {
    const got = await run(['tcp', String(port), String(trips), 'timer']);
    assert.deepEqual([got.exact, got.waits, got.tasks], [trips, 0, 1]);
    assert.ok(got.subscriptions <= 4, `${got.subscriptions} subscriptions`);
    assert.ok(got.polls >= trips / 10, `${got.polls} polls: the round trips hardly waited`);
  });
});

// Under a 4 MiB memory cap, 100,000 cancelled reads trap if each keeps 40 bytes.
t('100,000 cancelled reads under a 4 MiB memory cap subscribe at most the connection\'s input pollable, leave no wait and no task behind, and the connection still echoes', async () => {
  await withTcpEcho(async (port) => {
    const got = await run(['cancel_reads', String(port), '100000'], ['-W', `max-memory-size=${4 << 20}`]);
    assert.deepEqual([got.cancelled, got.exact, got.waits, got.tasks], [100000, 1, 0, 1]);
    assert.ok(got.subscriptions <= 1, `${got.subscriptions} subscriptions`);
  });
});
