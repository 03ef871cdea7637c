// Sockets on the WASI components under wasmtime 49 (-S inherit-network
// -S allow-ip-name-lookup), the preview2 reactor and the WASI 0.3 host,
// against Node peers on 127.0.0.1: refused, reset mid-read, half-close, a
// silent peer with wait_for, 100 concurrent connections (tcp_echo serving 100
// as well), UDP up to 65507 B (and one too large), name lookup, 10,000
// cancelled reads and UDP receives, a receive ended by close, connects
// cut short and the missing flags. The demos' own tests run these builds too
// (tests/net/net_demos.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram, pattern, wasmtime49, noWasmtime49 } from './wasi_support.mjs';
import { runners, startServer } from '../net/net_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const builds = [
  { name: 'preview2', dir: 'build/wasip2', probe: 'tests/wasi/p2/net_probe.wasm', flags: [],
    runner: 'WASI preview2 under wasmtime 49', tasks: 1 },
  // The WASI 0.3 host runs main inside a task of its own (run() hands main over).
  { name: 'WASI 0.3', dir: 'build/wasip3', probe: 'tests/wasi/p3/p3_net_probe.wasm', flags: ['-S', 'p3'],
    runner: 'WASI 0.3 under wasmtime 49 -S p3', tasks: 2 },
];
const json = (r) => JSON.parse(r.stdout.trim().split('\n').at(-1));

/** A TCP server on 127.0.0.1 for the body of `fn`. */
async function withServer(onConnection, fn, options = {}) {
  const server = net.createServer(options, onConnection);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    return await fn(server.address().port);
  } finally {
    server.close();
  }
}

async function closedPort() {
  return withServer(() => {}, async (port) => port);
}

for (const build of builds) {
  const built = (p) => path.join(root, build.dir, p);
  const probe = built(build.probe);
  const programs = [probe, built('demos/net/tcp_echo.wasm')];
  const runner = runners.find((r) => r.name === build.runner);
  const skip = noWasmtime49 || (!programs.every(existsSync) && `${build.dir} not built (scripts/test.sh builds it)`);
  const host = (flags) => ({ command: (wasm, args) => [wasmtime49, 'run', ...build.flags, ...flags, wasm, ...args] });
  const networked = host(['-S', 'inherit-network', '-S', 'allow-ip-name-lookup']);
  const t = (name, fn, opts = {}) => test(`${name} [${build.name}]`, { skip: opts.skip || skip, timeout: 60_000 }, fn);

  t('connecting to a closed port is errc::connection_refused', async () => {
    const got = json(await runProgram(networked, probe, ['connect', String(await closedPort())]));
    assert.equal(got.code, 'connection_refused');
  });

  t('a peer that resets the connection mid-read gives errc::connection_reset after the bytes it sent', async () => {
    await withServer((s) => s.write(Buffer.alloc(1000, 7), () => setTimeout(() => s.resetAndDestroy(), 100)), async (port) => {
      const got = json(await runProgram(networked, probe, ['read_all', String(port)]));
      assert.equal(got.bytes, 1000);
      assert.equal(got.code, 'connection_reset', got.message);
    });
  });

  t('after the peer half-closes, the program reads the end and can still write', async () => {
    let reply = '';
    let done;
    const got = new Promise((r) => { done = r; });
    await withServer((s) => {
      s.on('data', (d) => { reply += d; });
      s.on('end', () => done(reply));
      s.end('hello from server');
    }, async (port) => {
      const r = await runProgram(networked, probe, ['half_close', String(port)]);
      assert.equal(json(r).got, 'hello from server');
      assert.equal(await got, 'reply after your FIN');
    }, { allowHalfOpen: true });
  });

  t('a read from a peer that never answers ends with errc::timeout under wait_for, leaving no wait behind', async () => {
    await withServer(() => {}, async (port) => {
      const got = json(await runProgram(networked, probe, ['silent', String(port), '200']));
      assert.equal(got.code, 'timeout');
      assert.ok(got.ms >= 200 && got.ms < 2000, `took ${got.ms} ms`);
      assert.deepEqual([got.waits, got.tasks], [0, build.tasks]);
    });
  });

  t('100 concurrent client connections echo byte-exact', async () => {
    await withServer((s) => s.pipe(s), async (port) => {
      const got = json(await runProgram(networked, probe, ['echo', String(port), '100']));
      assert.deepEqual([got.connections, got.exact, got.waits, got.tasks], [100, 100, 0, build.tasks]);
    });
  });

  t('tcp_echo serves 100 concurrent connections byte-exact', async () => {
    const port = await closedPort();
    const server = await startServer(runner, 'tcp_echo', [String(port)]);
    try {
      const one = (i) => new Promise((resolve, reject) => {
        const data = pattern((i * 7919) % 65536 + 1);
        const chunks = [];
        let n = 0;
        const c = net.connect(port, '127.0.0.1', () => c.write(data));
        c.on('data', (d) => {
          chunks.push(d);
          n += d.length;
          if (n >= data.length) { c.end(); resolve(Buffer.concat(chunks).equals(data)); }
        });
        c.on('error', reject);
      });
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => one(i)));
      assert.equal(results.filter(Boolean).length, 100);
    } finally {
      await server.stop();
    }
  });

  t('UDP datagrams of 1 B to 65507 B go out and come back whole', async () => {
    const peer = dgram.createSocket('udp4');
    peer.on('message', (m, from) => peer.send(m, from.port, from.address));
    await new Promise((r) => peer.bind(0, '127.0.0.1', r));
    try {
      const got = json(await runProgram(networked, probe, ['udp', String(peer.address().port)]));
      assert.deepEqual([got.sent, got.exact], [7, 7]);
    } finally {
      peer.close();
    }
  });

  t('resolve("localhost") gives a loopback address', async () => {
    const got = json(await runProgram(networked, probe, ['resolve', 'localhost']));
    assert.ok(got.addresses.some((a) => a === '127.0.0.1' || a === '::1'), JSON.stringify(got));
  });

  t('a name that does not exist is errc::host_not_found', async () => {
    const got = json(await runProgram(networked, probe, ['resolve', 'no-such-host.invalid']));
    assert.equal(got.code, 'host_not_found', got.message);
  });

  t('10,000 cancelled reads leave no wait and no task behind, and the connection still works', async () => {
    await withServer((s) => s.on('data', () => s.write('done')), async (port) => {
      const r = await runProgram(networked, probe, ['cancel_reads', String(port), '10000']);
      assert.equal(r.status, 0, r.stderr);
      const got = json(r);
      assert.equal(got.cancelled, 10000);
      assert.deepEqual(got.after_cancels, { waits: 0, tasks: build.tasks });
      assert.equal(got.reply, 'done');
    });
  });

  t('10,000 cancelled UDP receives leave no wait, no task and no host receive behind, under a 4 MiB cap', async () => {
    const peer = dgram.createSocket('udp4');
    peer.on('message', (m, from) => peer.send(m, from.port, from.address));
    await new Promise((r) => peer.bind(0, '127.0.0.1', r));
    try {
      const capped = host(['-S', 'inherit-network', '-W', 'max-memory-size=4194304']);
      const r = await runProgram(capped, probe, ['cancel_udp_receives', String(peer.address().port), '10000']);
      assert.equal(r.status, 0, r.stderr);
      const got = json(r);
      assert.equal(got.cancelled, 10000);
      assert.deepEqual(got.after_cancels, { waits: 0, tasks: build.tasks });
      // A receive left running on the host would have taken the answer.
      assert.equal(got.reply, 'ping');
    } finally {
      peer.close();
    }
  });

  t('a datagram over 64 KiB is errc::invalid_argument, and the socket still sends', async () => {
    const peer = dgram.createSocket('udp4');
    const got = new Promise((r) => peer.once('message', (m) => r(m.toString())));
    await new Promise((r) => peer.bind(0, '127.0.0.1', r));
    try {
      const out = json(await runProgram(networked, probe, ['udp_too_large', String(peer.address().port)]));
      assert.equal(out.code, 'invalid_argument', out.message);
      assert.equal(await got, 'small');
    } finally {
      peer.close();
    }
  });

  t('closing a UDP socket under a waiting receive ends it with errc::closed, leaving no wait behind', async () => {
    const r = await runProgram(networked, probe, ['udp_close_receive']);
    assert.equal(r.status, 0, r.stderr);
    const got = json(r);
    assert.equal(got.code, 'closed', got.message);
    assert.deepEqual([got.waits, got.tasks], [0, build.tasks]);
  });

  t('connects cut short by a timeout (a full accept queue never answers) leave no wait and no task behind', async () => {
    const r = await runProgram(networked, probe, ['cancel_connects', '20']);
    assert.equal(r.status, 0, r.stderr);
    const got = json(r);
    assert.deepEqual([got.timeouts, got.waits, got.tasks], [20, 0, build.tasks]);
  });

  t('without -S inherit-network, connecting is errc::not_permitted naming the flag', async () => {
    await withServer(() => {}, async (port) => {
      const got = json(await runProgram(host([]), probe, ['connect', String(port)]));
      assert.equal(got.code, 'not_permitted');
      assert.match(got.message, /-S inherit-network/);
    });
  });

  t('without -S allow-ip-name-lookup, resolving is errc::not_permitted naming the flag', async () => {
    const got = json(await runProgram(host(['-S', 'inherit-network']), probe, ['resolve', 'localhost']));
    assert.equal(got.code, 'not_permitted');
    assert.match(got.message, /-S allow-ip-name-lookup/);
  });
}
