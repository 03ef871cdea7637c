// Echo benchmark: starts each peer echo server on a free 127.0.0.1 port and runs the
// native load client (build/bench-native/bench/echo_load) against it, one at a time,
// the client pinned to one core and the server to the other. Prints one JSON row
// {bench, impl, value, unit} per figure; scripts/bench.mjs collects them.
// A server whose build output or interpreter is absent is skipped with "not built".
// Each figure is the best of WASYNC_ECHO_RUNS (2) runs of WASYNC_ECHO_SECONDS (1.5) seconds, so
// a burst of other work on the machine costs a run, not the row. WASYNC_ECHO_PIN=0: no pinning.
// Usage: node bench/net/echo_bench.mjs [--impl name,name...]

import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p) => join(ROOT, p);
const SECONDS = Number(process.env.WASYNC_ECHO_SECONDS ?? 1.5);
const RUNS = Number(process.env.WASYNC_ECHO_RUNS ?? 2);
const LOAD = at('build/bench-native/bench/echo_load');
const WASMTIME_P1 = at('build/tools/bin/wasmtime'); // 36 LTS: preview1 sockets (setup.sh)
// Current wasmtime (49) for the preview2 components, as setup.sh links it on the p2 branch.
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
];

const PINNED = process.env.WASYNC_ECHO_PIN !== '0' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
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

/** Starts a server on a free port (a new port if the first was taken); resolves once it echoes. */
async function startServer(server, mode) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort(mode === 'udp');
    const [cmd, args] = pin(1, ...server[mode](String(port)));
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let exited = false;
    child.once('exit', () => (exited = true));
    const until = Date.now() + 15_000;
    while (!exited && Date.now() < until) {
      if (await (mode === 'udp' ? udpAnswers(port) : tcpAnswers(port))) return { child, port };
      await sleep(50);
    }
    child.kill('SIGKILL');
    console.error(`${server.impl} (${mode}) did not start on port ${port}: ${stderr.trim() || 'no echo'}`);
  }
  return null;
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

function runLoad(port, mode, c) {
  const loadArgs = ['--port', String(port), '--conns', String(c.conns), '--size', String(c.size),
    '--duration', String(SECONDS), ...(mode === 'udp' ? ['--udp'] : [])];
  const [cmd, args] = pin(0, LOAD, loadArgs);
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  if (r.status !== 0) throw new Error(`echo_load ${loadArgs.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
  return JSON.parse(r.stdout);
}

function bestLoad(port, mode, c) {
  let best;
  for (let i = 0; i < RUNS; i++) {
    const r = runLoad(port, mode, c);
    if (!best || r.requests_per_s > best.requests_per_s) best = r;
  }
  return best;
}

if (!existsSync(LOAD)) {
  console.error(`echo bench: ${LOAD} not built (scripts/build.sh --bench)`);
  process.exit(1);
}
const implArg = process.argv.indexOf('--impl');
const only = implArg > 0 ? process.argv[implArg + 1].split(',') : SERVERS.map((s) => s.impl);
let failed = false;
for (const server of SERVERS.filter((s) => only.includes(s.impl))) {
  const missing = server.needs.filter((p) => !existsSync(p.startsWith('/') ? p : at(p)));
  if (missing.length > 0) {
    console.error(`${server.impl}: not built (${missing.join(', ')} absent); row skipped`);
    continue;
  }
  for (const mode of ['tcp', 'udp']) {
    if (!server[mode]) continue;
    const started = await startServer(server, mode);
    if (!started) {
      failed = true;
      continue;
    }
    try {
      for (const c of mode === 'tcp' ? TCP_CASES : UDP_CASES) {
        const r = bestLoad(started.port, mode, c);
        if (mode === 'tcp') {
          emit(`tcp_echo_${c.name}`, server.impl, r.requests_per_s, 'req/s');
          if (c.size === 64 && c.conns === 1) {
            emit('tcp_rtt_64B_1conn_p50', server.impl, r.p50_us, 'µs');
            emit('tcp_rtt_64B_1conn_p99', server.impl, r.p99_us, 'µs');
          }
        } else {
          emit(`udp_echo_${c.name}`, server.impl, r.requests_per_s, 'datagrams/s');
          if (r.lost > 0) console.error(`${server.impl}: ${r.lost} datagrams lost and re-sent (${c.name})`);
        }
      }
    } catch (err) {
      console.error(`${server.impl} (${mode}): ${err.message}`);
      failed = true;
    } finally {
      await stop(started.child);
    }
  }
}
process.exitCode = failed ? 1 : 0;
