// A server at its file-descriptor limit (prlimit --nofile=64, then 100 idle
// clients): accept fails with errc::too_many_open_files on every host, is
// retried with a doubling pause (5 ms up to 1 s) and reported once, not every
// 10 ms; once the clients leave, the server accepts again within the pause
// and says so once. Natively, under wasmtime 36 (preview1) and 49 (preview2):
// prlimit lowers wasmtime's own limit, which its sockets share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { echoOnce, serverHosts, startEchoServer } from './net_support.mjs';

const noPrlimit = spawnSync('prlimit', ['--version']).status !== 0 && 'prlimit (util-linux) missing';
const lines = (text, pattern) => text.split('\n').filter((l) => pattern.test(l));

for (const host of serverHosts) {
  test(`${host.name}: accept at the fd limit is too_many_open_files, backs off, is reported once and recovers`, {
    skip: noPrlimit || host.skipFor('demos/net/tcp_echo'),
    timeout: 60_000,
  }, async () => {
    const server = await startEchoServer(host, 'demos/net/tcp_echo', { prefix: ['prlimit', '--nofile=64'] });
    const idle = [];
    try {
      for (let i = 0; i < 100; ++i) {
        const c = net.connect(server.port, '127.0.0.1');
        c.on('error', () => {});
        idle.push(c);
      }
      await sleep(2000);
      const failed = lines(server.stderr(), /accept failed/);
      assert.equal(failed.length, 1, server.stderr());
      assert.match(failed[0], /accept failed \(too_many_open_files: /);
      assert.doesNotMatch(server.stderr(), /never retrieved/);
      for (const c of idle) c.destroy();
      // The pause is at most 1 s: the next client is served within it.
      assert.ok(await echoOnce(server.port, Buffer.from('back'), 3000) < 3000);
      assert.equal(lines(server.stderr(), /accepting again after \d+ failed accepts/).length, 1, server.stderr());
      assert.equal(lines(server.stderr(), /accept failed/).length, 1, server.stderr());
    } finally {
      for (const c of idle) c.destroy();
      await server.stop();
    }
  });
}
