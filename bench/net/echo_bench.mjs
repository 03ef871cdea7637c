// Echo benchmark: starts each peer echo server on a free 127.0.0.1 port and runs the
// native load client (build/bench-native/bench/echo_load) against one at a time.
// Prints one JSON row {bench, impl, value, unit} per figure; scripts/bench.mjs collects them.
// A server whose build output or interpreter is absent is skipped with "not built".
// Each figure is the best of WASYNC_ECHO_RUNS (3) runs of WASYNC_ECHO_SECONDS (1) seconds, the
// servers taking turns, so a burst of other work on the machine costs a run, not a row.
// WASYNC_ECHO_PIN=1 pins the client to core 0 and the server to core 1; off by default: on this
// VM every cross-core wake-up then costs ~25 µs of round trip, which is the VM, not the server.
// Usage: node bench/net/echo_bench.mjs [--impl name,name...]

import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cpuTicks, startServer, stop, TICK_US } from './server_process.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p) => join(ROOT, p);
const SECONDS = Number(process.env.WASYNC_ECHO_SECONDS ?? 1);
const RUNS = Number(process.env.WASYNC_ECHO_RUNS ?? 3);
const LOAD = at('build/bench-native/bench/echo_load');
const WASMTIME_P1 = at('build/tools/bin/wasmtime'); // 36 LTS: preview1 sockets (setup.sh)
// Current wasmtime (49) for the preview2 and WASI 0.3 components (setup.sh).
const WASMTIME_P2 = process.env.WASYNC_WASMTIME_P2 ?? at('build/tools/bin/wasmtime49');

const TCP_CASES = [
  { size: 64, conns: 1, name: '64B_1conn' },
  { size: 64, conns: 50, name: '64B_50conn' },
  { size: 1024, conns: 1, name: '1KiB_1conn' },
  { size: 1024, conns: 50, name: '1KiB_50conn' },
];
const UDP_CASES = [
  { size: 64, conns: 1, name: '64B_1sock' },
  { size: 64, conns: 50, name: '64B_50sock' },
];

/** Each server: the files it needs, and its command line for a port (tcp and/or udp). */
const SERVERS = [
  {
    impl: 'blocking-floor',
    needs: ['build/bench-native/bench/echo_floor'],
    tcp: (port) => [at('build/bench-native/bench/echo_floor'), [port]],
    udp: (port) => [at('build/bench-native/bench/echo_floor'), [port, '--udp']],
  },
  {
    impl: 'node',
    needs: [],
    tcp: (port) => [process.execPath, [at('bench/node/echo_server.mjs'), port]],
    udp: (port) => [process.execPath, [at('bench/node/echo_server.mjs'), port, '--udp']],
  },
  {
    impl: 'python-asyncio',
    needs: [],
    tcp: (port) => ['python3', [at('bench/python/echo_server.py'), port]],
  },
  {
    impl: 'uvloop',
    needs: ['build/tools/bin/python-uvloop'],
    tcp: (port) => [at('build/tools/bin/python-uvloop'), [at('bench/python/echo_server.py'), port, '--uvloop']],
  },
  {
    impl: 'wasync-native',
    needs: ['dist/native/tcp_echo', 'dist/native/udp_echo'],
    tcp: (port) => [at('dist/native/tcp_echo'), [port]],
    udp: (port) => [at('dist/native/udp_echo'), [port]],
  },
  {
    impl: 'wasync-wasip1',
    needs: ['build/tools/bin/wasmtime', 'dist/wasi/echo_server.wasm'],
    tcp: (port) => [
      WASMTIME_P1,
      ['run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, at('dist/wasi/echo_server.wasm'), '--preopened'],
    ],
  },
  {
    impl: 'wasync-wasip2',
    needs: [WASMTIME_P2, 'dist/wasip2/tcp_echo.wasm', 'dist/wasip2/udp_echo.wasm'],
    tcp: (port) => [WASMTIME_P2, ['run', '-S', 'inherit-network', at('dist/wasip2/tcp_echo.wasm'), port]],
    udp: (port) => [WASMTIME_P2, ['run', '-S', 'inherit-network', at('dist/wasip2/udp_echo.wasm'), port]],
  },
  {
    impl: 'wasync-wasip3',
    needs: [WASMTIME_P2, 'dist/wasip3/tcp_echo.wasm', 'dist/wasip3/udp_echo.wasm'],
    tcp: (port) => [WASMTIME_P2, ['run', '-S', 'p3', '-S', 'inherit-network', at('dist/wasip3/tcp_echo.wasm'), port]],
    udp: (port) => [WASMTIME_P2, ['run', '-S', 'p3', '-S', 'inherit-network', at('dist/wasip3/udp_echo.wasm'), port]],
  },
];

const PINNED = process.env.WASYNC_ECHO_PIN === '1' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const pin = (core, cmd, args) => (PINNED ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

function emit(bench, impl, value, unit) {
  console.log(JSON.stringify({ bench, impl, value: Number(value.toFixed(1)), unit }));
}

async function freePort(udp) {
  if (udp) {
    const s = dgram.createSocket('udp4');
    await new Promise((resolve) => s.bind(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise((resolve) => s.close(resolve));
    return port;
  }
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function tcpAnswers(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.setTimeout(500);
    c.once('connect', () => c.write('ping'));
    c.once('data', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
    c.once('timeout', () => {
      c.destroy();
      resolve(false);
    });
  });
}

function udpAnswers(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (ok) => {
      clearTimeout(timer);
      s.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 200);
    s.once('message', () => done(true));
    s.once('error', () => done(false));
    s.send('ping', port, '127.0.0.1');
  });
}

/** Starts a server on a free port; resolves once it echoes. */
const startEchoServer = (server, mode) =>
  startServer({
    name: `${server.impl} (${mode})`,
    command: (port) => pin(1, ...server[mode](port)),
    freePort: () => freePort(mode === 'udp'),
    answers: mode === 'udp' ? udpAnswers : tcpAnswers,
    cwd: ROOT,
    logName: 'wasync-echo',
  });

// Server CPU per request does not depend on how busy the rest of the machine is, unlike
// requests/s: the rows *_cpu report it (user + system time of the server process).
function runLoad(port, mode, c, pid) {
  const loadArgs = ['--port', String(port), '--conns', String(c.conns), '--size', String(c.size),
    '--duration', String(SECONDS), ...(mode === 'udp' ? ['--udp'] : [])];
  const [cmd, args] = pin(0, LOAD, loadArgs);
  const before = cpuTicks(pid);
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  if (r.status !== 0) throw new Error(`echo_load ${loadArgs.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
  const result = JSON.parse(r.stdout);
  result.cpu_us_per_request = ((cpuTicks(pid) - before) * TICK_US) / result.completed;
  return result;
}

if (!existsSync(LOAD)) {
  console.error(`echo bench: ${LOAD} not built (scripts/build.sh --bench)`);
  process.exit(1);
}
const implArg = process.argv.indexOf('--impl');
const only = implArg > 0 ? process.argv[implArg + 1].split(',') : SERVERS.map((s) => s.impl);
const available = SERVERS.filter((server) => {
  if (!only.includes(server.impl)) return false;
  const missing = server.needs.filter((p) => !existsSync(p.startsWith('/') ? p : at(p)));
  if (missing.length > 0) console.error(`${server.impl}: not built (${missing.join(', ')} absent); row skipped`);
  return missing.length === 0;
});

let failed = false;
for (const mode of ['tcp', 'udp']) {
  // Every server of this mode runs (idle) through the whole mode; the rounds go
  // over the servers in turn, so a burst of other load hits one run, not one server.
  const running = [];
  for (const server of available.filter((sv) => sv[mode])) {
    const started = await startEchoServer(server, mode);
    if (started) running.push({ server, ...started });
    else failed = true;
  }
  try {
    for (const c of mode === 'tcp' ? TCP_CASES : UDP_CASES) {
      const best = new Map();
      for (let round = 0; round < RUNS; round++) {
        for (const { server, port, child } of running) {
          try {
            const r = runLoad(port, mode, c, child.pid);
            if (!best.has(server.impl) || r.requests_per_s > best.get(server.impl).requests_per_s) best.set(server.impl, r);
          } catch (err) {
            console.error(`${server.impl} (${mode}, round ${round + 1}): ${err.message}`);
          }
        }
      }
      // A run lost to a stall is only noise; a server that never answered is a failure.
      for (const { server } of running) {
        if (!best.has(server.impl)) failed = true;
      }
      for (const [impl, r] of best) {
        if (mode === 'tcp') {
          emit(`tcp_echo_${c.name}`, impl, r.requests_per_s, 'req/s');
          if (c.conns > 1) emit(`tcp_echo_${c.name}_cpu`, impl, r.cpu_us_per_request, 'µs/req');
          if (c.size === 64 && c.conns === 1) {
            emit('tcp_rtt_64B_1conn_p50', impl, r.p50_us, 'µs');
            emit('tcp_rtt_64B_1conn_p99', impl, r.p99_us, 'µs');
          }
        } else {
          emit(`udp_echo_${c.name}`, impl, r.requests_per_s, 'datagrams/s');
          if (c.conns > 1) emit(`udp_echo_${c.name}_cpu`, impl, r.cpu_us_per_request, 'µs/datagram');
          if (r.lost > 0) console.error(`${impl}: ${r.lost} datagrams lost and re-sent (${c.name})`);
        }
      }
    }
  } finally {
    for (const { child } of running) await stop(child);
  }
}
process.exitCode = failed ? 1 : 0;
