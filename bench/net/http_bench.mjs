// HTTP benchmark: starts each peer HTTP server on a free 127.0.0.1 port and loads
// one at a time with wrk (Debian's package, installed by scripts/setup.sh): GET /
// and POST /echo of 1 KiB, over 50 keep-alive connections, one wrk thread.
// Prints JSON rows {bench, impl, value, unit}: requests/s, p99 latency (µs) and
// server CPU per request (µs of user + system time of the server process, read
// from /proc/PID/stat: a figure the rest of the machine's load does not skew).
// Each figure is the best of WASYNC_HTTP_RUNS (3) runs of WASYNC_HTTP_SECONDS (2)
// seconds, the servers taking turns. A server whose build output or
// interpreter is absent is skipped with "not built".
// Usage: node bench/net/http_bench.mjs [--impl name,name...]
//
// To add a server: a row in SERVERS, {impl, needs (files that must exist),
// command(port) -> [cmd, args], pid(child) (optional: the process doing the
// serving, when `cmd` is a wrapper)}.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cpuTicks, startServer, stop, TICK_US } from './server_process.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const at = (p) => join(ROOT, p);
const SECONDS = Number(process.env.WASYNC_HTTP_SECONDS ?? 2);
const RUNS = Number(process.env.WASYNC_HTTP_RUNS ?? 3);
const CONNECTIONS = 50;
const WRK = process.env.WASYNC_WRK ?? '/usr/bin/wrk';
const WASMTIME_P1 = at('build/tools/bin/wasmtime'); // 36 LTS: preview1 sockets (setup.sh)
const WASMTIME_49 = at('build/tools/bin/wasmtime49'); // wasi:http components under `wasmtime serve`

/** What each server answers: the demo's routes (demos/net/http_serve.cpp), mirrored by the peers. */
export const SERVERS = [
  {
    impl: 'node',
    needs: [],
    command: (port) => [process.execPath, [at('bench/node/http_server.mjs'), port]],
  },
  {
    impl: 'python-asyncio',
    needs: [],
    command: (port) => ['python3', [at('bench/python/http_server.py'), port]],
  },
  {
    impl: 'uvloop',
    needs: ['build/tools/bin/python-uvloop'],
    command: (port) => [at('build/tools/bin/python-uvloop'), [at('bench/python/http_server.py'), port, '--uvloop']],
  },
  {
    impl: 'wasync-native',
    needs: ['dist/native/http_serve'],
    command: (port) => [at('dist/native/http_serve'), [port]],
  },
  {
    impl: 'wasync-wasip1',
    needs: ['build/tools/bin/wasmtime', 'dist/wasi/http_serve.wasm'],
    command: (port) => [
      WASMTIME_P1,
      ['run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, at('dist/wasi/http_serve.wasm'), '--preopened'],
    ],
  },
  // wasmtime serve's own HTTP server in front of the component, as deployed:
  // preview2 instantiates per request (its default), WASI 0.3 sends up to 16
  // requests at a time to an instance, each a task of its loop.
  {
    impl: 'wasync-wasip2-serve',
    needs: ['build/tools/bin/wasmtime49', 'dist/wasip2/http_serve.wasm'],
    command: (port) => [WASMTIME_49, ['serve', '-S', 'cli', '--addr', `127.0.0.1:${port}`, at('dist/wasip2/http_serve.wasm')]],
  },
  {
    impl: 'wasync-wasip3-serve',
    needs: ['build/tools/bin/wasmtime49', 'dist/wasip3/http_serve.wasm'],
    command: (port) => [WASMTIME_49, ['serve', '-S', 'cli', '--addr', `127.0.0.1:${port}`, at('dist/wasip3/http_serve.wasm')]],
  },
];

const CASES = [
  { name: 'get_50conn', path: '/', script: null },
  {
    name: 'post_echo_1KiB_50conn',
    path: '/echo',
    script: 'wrk.method = "POST"\nwrk.body = string.rep("x", 1024)\nwrk.headers["Content-Type"] = "application/octet-stream"\n',
  },
];

function emit(bench, impl, value, unit) {
  console.log(JSON.stringify({ bench, impl, value: Number(value.toFixed(1)), unit }));
}

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Whether GET / on `port` answers 200. */
function answers(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let text = '';
    c.setTimeout(500);
    c.once('connect', () => c.write('GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n'));
    c.on('data', (d) => {
      text += d;
      if (text.includes('\r\n\r\n')) {
        c.destroy();
        resolve(text.startsWith('HTTP/1.1 200'));
      }
    });
    c.once('error', () => resolve(false));
    c.once('timeout', () => {
      c.destroy();
      resolve(false);
    });
  });
}

const startHttpServer = (server) =>
  startServer({ name: server.impl, command: server.command, freePort, answers, cwd: ROOT, logName: 'wasync-http' });

/** A wrk duration ("812.00us", "1.20ms", "2.00s") in µs. */
function micros(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) throw new Error(`unreadable wrk latency: ${text}`);
  return Number(m[1]) * { us: 1, ms: 1e3, s: 1e6 }[m[2]];
}

/** One wrk run against `port`: { requestsPerS, p99Us, cpuUsPerRequest }. */
function runLoad(port, c, pid, scriptDir) {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency'];
  if (c.script) {
    const file = join(scriptDir, `${c.name}.lua`);
    writeFileSync(file, c.script);
    args.push('-s', file);
  }
  args.push(`http://127.0.0.1:${port}${c.path}`);
  const before = cpuTicks(pid);
  const r = spawnSync(WRK, args, { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  const cpu = (cpuTicks(pid) - before) * TICK_US;
  if (r.status !== 0) throw new Error(`wrk ${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim()}`);
  const out = r.stdout;
  // Any failure makes the figures meaningless: non-2xx answers, socket errors, timeouts.
  if (/Non-2xx or 3xx responses|Socket errors/.test(out)) throw new Error(`wrk reported errors:\n${out}`);
  const total = /(\d+) requests in/.exec(out);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  if (!total || !rate || !p99) throw new Error(`unreadable wrk output:\n${out}`);
  return { requestsPerS: Number(rate[1]), p99Us: micros(p99[1]), cpuUsPerRequest: cpu / Number(total[1]) };
}

if (!existsSync(WRK)) {
  console.error(`http bench: ${WRK} missing (scripts/setup.sh installs wrk)`);
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
const scriptDir = mkdtempSync(join(tmpdir(), 'wasync-wrk-'));
// Every server runs (idle) through the whole bench; the rounds go over the
// servers in turn, so a burst of other load hits one run, not one server.
const running = [];
for (const server of available) {
  const started = await startHttpServer(server);
  if (started) running.push({ server, ...started });
  else failed = true;
}
try {
  for (const c of CASES) {
    const best = new Map();
    for (let round = 0; round < RUNS; round++) {
      for (const { server, port, child } of running) {
        try {
          const r = runLoad(port, c, server.pid?.(child) ?? child.pid, scriptDir);
          const b = best.get(server.impl);
          // Each figure its own best: a run's stall shows in one column, not all three.
          best.set(server.impl, b
            ? { requestsPerS: Math.max(b.requestsPerS, r.requestsPerS), p99Us: Math.min(b.p99Us, r.p99Us),
                cpuUsPerRequest: Math.min(b.cpuUsPerRequest, r.cpuUsPerRequest) }
            : r);
        } catch (err) {
          console.error(`${server.impl} (${c.name}, round ${round + 1}): ${err.message}`);
        }
      }
    }
    for (const { server } of running) {
      if (!best.has(server.impl)) failed = true;
    }
    for (const [impl, r] of best) {
      emit(`http_${c.name}`, impl, r.requestsPerS, 'req/s');
      emit(`http_${c.name}_p99`, impl, r.p99Us, 'µs');
      emit(`http_${c.name}_cpu`, impl, r.cpuUsPerRequest, 'µs/req');
    }
  }
} finally {
  for (const { child } of running) await stop(child);
  rmSync(scriptDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
