// What the component hosts (the preview2 reactor, the WASI 0.3 host) get from
// the host is freed: the demos move far more bytes than their linear memory
// may hold (wasmtime 49 -W max-memory-size) and keep serving, without
// trapping in cabi_realloc. UDP datagrams, TCP streams (one long, many short,
// many reset) and a fetch body read chunk by chunk. And what the host keeps
// for the guest: each reset's stream error (a wasi:io/error, ~24 KB in
// wasmtime) is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram, wasmtime49, noWasmtime49 } from './wasi_support.mjs';
import { freePort, resetClient, startServer } from '../net/net_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const capBytes = 32 * 1024 * 1024;
const mb = (n) => n * 1024 * 1024;
const builds = [
  { name: 'preview2', dir: 'build/wasip2', flags: ['-S', 'http'], demos: ['udp_echo', 'tcp_echo', 'http_get'] },
  { name: 'WASI 0.3', dir: 'build/wasip3', flags: ['-S', 'p3', '-S', 'http'], demos: ['udp_echo', 'tcp_echo', 'http_get'] },
];

/** Sends `bytes` in 64 KiB pieces and resolves once as many came back. */
function echoThrough(port, bytes) {
  return new Promise((resolve, reject) => {
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let back = 0;
    const c = net.connect(port, '127.0.0.1');
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(piece.length, bytes - sent);
        sent += n;
        if (!c.write(n === piece.length ? piece : piece.subarray(0, n))) return c.once('drain', pump);
      }
    };
    c.on('connect', pump);
    c.on('data', (d) => {
      back += d.length;
      if (back >= bytes) { c.end(); resolve(back); }
    });
    c.on('error', reject);
  });
}

for (const build of builds) {
  const demo = (name) => path.join(root, build.dir, `demos/net/${name}.wasm`);
  const skip = noWasmtime49 || (!build.demos.map(demo).every(existsSync) && `${build.dir} not built (scripts/test.sh builds it)`);
  const capped = {
    command: (name, args) =>
      [wasmtime49, 'run', ...build.flags, '-W', `max-memory-size=${capBytes}`, '-S', 'inherit-network', demo(name), ...args],
  };
  const t = (name, fn, demoNeeded) => test(`${name} [${build.name}]`, {
    skip: skip || (!build.demos.includes(demoNeeded) && `no ${demoNeeded} on ${build.name} yet`), timeout: 120_000,
  }, fn);

  t('udp_echo echoes 3,000 datagrams of 60 KB (180 MB) under a 32 MiB memory cap', async () => {
    const port = await freePort();
    const server = await startServer(capped, 'udp_echo', [String(port)]);
    const peer = dgram.createSocket('udp4');
    try {
      await new Promise((r) => peer.bind(0, '127.0.0.1', r));
      const data = Buffer.alloc(60_000, 0x5a);
      let echoed = 0;
      for (let i = 0; i < 3000; ++i) {
        const back = new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no echo of datagram ${i} (${echoed} came back)`)), 5000);
          peer.once('message', (m) => { clearTimeout(timer); resolve(m); });
        });
        peer.send(data, port, '127.0.0.1');
        if ((await back).equals(data)) ++echoed;
      }
      assert.equal(echoed, 3000);
    } finally {
      peer.close();
      await server.stop();
    }
  }, 'udp_echo');


  t('tcp_echo echoes 256 MB on one connection, then 64 KiB on each of 1,000 more, under a 32 MiB memory cap', async () => {
    const port = await freePort();
    const server = await startServer(capped, 'tcp_echo', [String(port)]);
    try {
      assert.equal(await echoThrough(port, mb(256)), mb(256));
      for (let round = 0; round < 20; ++round) {
        const got = await Promise.all(Array.from({ length: 50 }, () => echoThrough(port, 64 * 1024)));
        assert.ok(got.every((n) => n === 64 * 1024));
      }
    } finally {
      await server.stop();
    }
  }, 'tcp_echo');

  t('tcp_echo keeps serving under a 32 MiB memory cap after 2,000 clients reset mid-echo', async () => {
    const port = await freePort();
    const server = await startServer(capped, 'tcp_echo', [String(port)]);
    try {
      const reset = () => new Promise((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => c.write(Buffer.alloc(32 * 1024, 1)));
        c.once('data', () => { c.resetAndDestroy(); resolve(); });
        c.on('error', resolve);
      });
      for (let round = 0; round < 40; ++round) await Promise.all(Array.from({ length: 50 }, reset));
      assert.equal(await echoThrough(port, mb(1)), mb(1));
    } finally {
      await server.stop();
    }
  }, 'tcp_echo');

  t("tcp_echo: 10,000 client resets leave wasmtime's memory flat", async () => {
    const port = await freePort();
    const server = await startServer(capped, 'tcp_echo', [String(port)]);
    const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
    const resets = async (n) => {
      for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: 50 }, () => resetClient(port)));
    };
    try {
      await resets(2000);
      const before = rssMiB();
      await resets(10_000);
      const grown = rssMiB() - before;
      assert.ok(grown < 24, `wasmtime grew by ${grown.toFixed(1)} MiB over 10,000 resets`);
    } finally {
      await server.stop();
    }
  }, 'tcp_echo');

  t('http_get streams a 256 MB response body to stdout under a 32 MiB memory cap', async () => {
    const chunk = Buffer.alloc(mb(1), 0x62);
    const origin = http.createServer((req, res) => {
      res.setHeader('Content-Length', String(mb(256)));
      let left = 256;
      const more = () => {
        while (left > 0) {
          --left;
          if (!res.write(chunk)) return res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    await new Promise((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const r = await runProgram(capped, 'http_get', [`http://127.0.0.1:${origin.address().port}/big`],
        { binary: true, timeoutMs: 100_000 });
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      assert.equal(r.stdout.length, mb(256));
    } finally {
      origin.closeAllConnections();
      origin.close();
    }
  }, 'http_get');
}
