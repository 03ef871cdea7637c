// A server whose standard error is a pipe nobody reads (a supervisor that
// stopped reading) keeps serving: natively, under wasmtime 36 (preview1) and
// wasmtime 49 (preview2). 2,500 clients reset on tcp_echo (a reset is counted,
// not reported), and report_probe reports once per connection for 2,500
// connections (the reports are dropped and counted once the pipe is full).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { echoOnce, resetClient, serverHosts, startEchoServer } from './net_support.mjs';

const clients = 2500;
const batch = 50;

/// Runs `one` n times, `batch` at a time; stops after a batch where fewer than
/// half succeeded (a server that stopped serving). Resolves to the successes.
async function inBatches(n, one) {
  let ok = 0;
  for (let i = 0; i < n; i += batch) {
    const good = (await Promise.all(Array.from({ length: batch }, one))).filter(Boolean).length;
    ok += good;
    if (good < batch / 2) break;
  }
  return ok;
}

for (const host of serverHosts) {
  test(`${host.name}: tcp_echo keeps echoing after ${clients} clients reset, with a stderr nobody reads`, {
    skip: host.skipFor('demos/net/tcp_echo'),
    timeout: 120_000,
  }, async () => {
    const server = await startEchoServer(host, 'demos/net/tcp_echo', { readStderr: false });
    try {
      const reset = await inBatches(clients, () => resetClient(server.port));
      assert.ok(reset > clients * 0.9, `${reset} of ${clients} clients got their echo before resetting`);
      assert.ok(await echoOnce(server.port) < 1000);
    } finally {
      await server.stop();
    }
  });

  test(`${host.name}: a server reporting on every connection keeps echoing after ${clients} connections, with a stderr nobody reads`, {
    skip: host.skipFor('tests/net/report_probe') || (host.preview2 &&
      "wasmtime 49's CLI blocks the instance in any write to a full stderr pipe: its stdio stream grants check-write's " +
      'whole budget, is always ready, and writes synchronously, so no guest can tell the pipe is full'),
    timeout: 120_000,
  }, async () => {
    const server = await startEchoServer(host, 'tests/net/report_probe', { readStderr: false });
    try {
      const echoed = await inBatches(clients, () => echoOnce(server.port, Buffer.from('hello'), 3000).then(() => true, () => false));
      assert.equal(echoed, clients);
      assert.ok(await echoOnce(server.port) < 1000);
    } finally {
      await server.stop();
    }
  });
}
