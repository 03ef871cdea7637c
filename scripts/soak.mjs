// Soak: the echo and HTTP servers under mixed hostile load for a while (not
// part of npm test). Each server that is built runs at once, each with its own
// load: 1,000 idle connections held from start to end, clients that reset
// mid-exchange, tricklers (one byte a second; for HTTP an endless request
// head), random-byte fuzz, and honest clients whose answers are checked. For
// each server: the process's RSS (VmRSS from /proc) and open fds before the
// load, under it, and after it (idle connections closed, a few seconds to
// settle) and ten times along the way, the honest clients' successes and
// latencies, and its stderr lines.
//
//   node scripts/soak.mjs [--minutes 10 | --seconds S] [--idle 1000] [--only echo-native,http-wasip1,...]
//
// Servers (built by scripts/test.sh): echo-native (build/native), echo-wasip1
// (wasmtime 36 -S preview2=n, preopened listener), echo-wasip2 (wasmtime 49),
// http-native and http-wasip1 (demos/net/http_serve natively and on wasmtime
// 36's preopened listener).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);
const wasmtime36 = at('build/tools/bin/wasmtime');
const wasmtime49 = at('build/tools/bin/wasmtime49');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const seconds = Number(option('seconds', Number(option('minutes', 10)) * 60));
const idleCount = Number(option('idle', 1000));
const only = option('only', '').split(',').filter(Boolean);

const servers = [
  { name: 'echo-native', kind: 'echo', file: at('build/native/demos/net/tcp_echo'), command: (f, port) => [f, String(port)] },
  {
    name: 'echo-wasip1',
    kind: 'echo',
    file: at('build/wasi/demos/net/tcp_echo.wasm'),
    needs: wasmtime36,
    command: (f, port) => [wasmtime36, 'run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, f, '--preopened'],
  },
  {
    name: 'echo-wasip2',
    kind: 'echo',
    file: at('build/wasip2/demos/net/tcp_echo.wasm'),
    needs: wasmtime49,
    command: (f, port) => [wasmtime49, 'run', '-S', 'inherit-network', f, String(port)],
  },
  { name: 'http-native', kind: 'http', file: at('build/native/demos/net/http_serve'), command: (f, port) => [f, String(port)] },
  {
    name: 'http-wasip1',
    kind: 'http',
    file: at('build/wasi/demos/net/http_serve.wasm'),
    needs: wasmtime36,
    command: (f, port) => [wasmtime36, 'run', '-S', 'preview2=n', '-S', `tcplisten=127.0.0.1:${port}`, f, '--preopened'],
  },
].filter((s) => (only.length === 0 || only.includes(s.name)));

// --- measuring a process -------------------------------------------------------

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
const fdCount = (pid) => readdirSync(`/proc/${pid}/fd`).length;
const snapshot = (pid) => ({ rssKiB: rssKiB(pid), fds: fdCount(pid) });

// --- small helpers -------------------------------------------------------------

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const random = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
const pick = (n) => Math.floor(Math.random() * n);

/** Connects; resolves to the socket, or null on failure. */
function connect(port, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { c.destroy(); resolve(null); }, timeoutMs);
    c.once('connect', () => { clearTimeout(timer); resolve(c); });
    c.once('error', () => { clearTimeout(timer); resolve(null); });
  });
}

/** Reads from `c` until `done(buffer)` is true, the peer closes, or timeoutMs. */
function readUntil(c, done, timeoutMs) {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = (ok) => {
      clearTimeout(timer);
      c.off('data', onData);
      c.off('close', onClose);
      resolve({ ok, buf });
    };
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      if (done(buf)) finish(true);
    };
    const onClose = () => finish(done(buf));
    const timer = setTimeout(() => finish(false), timeoutMs);
    c.on('data', onData);
    c.on('close', onClose);
  });
}

/** A complete HTTP/1.1 response with Content-Length at the front of `buf`: its length, or 0. */
function responseLength(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return 0;
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
  const total = end + 4 + (m ? Number(m[1]) : 0);
  return buf.length >= total ? total : 0;
}

// --- the load --------------------------------------------------------------------

/** Runs `body` in a loop until `stop.now`, pausing `pauseMs` between rounds. */
async function loop(stop, pauseMs, body) {
  while (!stop.now) {
    try {
      await body();
    } catch {
      // a hostile client's own failure is part of the load
    }
    await sleep(pauseMs);
  }
}

/** Honest clients: byte-exact echoes of 1 B..64 KiB, or GET / and POST /echo on a keep-alive connection. */
async function honest(server, stats, stop) {
  let c = null;
  await loop(stop, 20, async () => {
    if (!c || c.destroyed) c = await connect(server.port);
    if (!c) return void ++stats.honestFailed;
    const start = performance.now();
    let ok;
    if (server.kind === 'echo') {
      const data = random(1 + pick(64 * 1024));
      c.write(data);
      const r = await readUntil(c, (b) => b.length >= data.length, 5000);
      ok = r.ok && r.buf.equals(data);
    } else {
      const body = random(pick(4096)).toString('hex');
      const post = pick(2) === 0;
      c.write(post ? `POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        : 'GET / HTTP/1.1\r\nHost: soak\r\n\r\n');
      const r = await readUntil(c, (b) => responseLength(b) > 0, 5000);
      ok = r.ok && r.buf.subarray(0, 12).toString() === 'HTTP/1.1 200' && (!post || r.buf.toString().endsWith(body));
    }
    if (ok) {
      ++stats.honestOk;
      stats.latencies.push(performance.now() - start);
    } else {
      ++stats.honestFailed;
      c.destroy();
      c = null;
    }
  });
  c?.destroy();
}

/** Clients that send a little, wait for the first byte back (or 200 ms), then reset. */
async function resetter(server, stats, stop) {
  await loop(stop, 5, async () => {
    const c = await connect(server.port);
    if (!c) return;
    c.on('error', () => {});
    c.write(server.kind === 'echo' ? random(1 + pick(8192)) : 'POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\nabc');
    await readUntil(c, (b) => b.length > 0, 200);
    c.resetAndDestroy();
    ++stats.resets;
  });
}

/** Random bytes (for HTTP, half the time a request with random bytes spliced in); then close or reset. */
async function fuzzer(server, stats, stop) {
  await loop(stop, 10, async () => {
    const c = await connect(server.port);
    if (!c) return;
    c.on('error', () => {});
    let data = random(1 + pick(8192));
    if (server.kind === 'http' && pick(2) === 0) {
      const request = Buffer.from('GET / HTTP/1.1\r\nHost: soak\r\nContent-Length: 10\r\n\r\n0123456789');
      const cut = pick(request.length);
      data = Buffer.concat([request.subarray(0, cut), data.subarray(0, 64), request.subarray(cut)]);
    }
    c.write(data);
    await readUntil(c, () => false, 300);
    if (pick(2) === 0) c.resetAndDestroy();
    else c.end();
    ++stats.fuzzed;
  });
}

/** Sends one byte a second for as long as the server keeps the connection; then starts over. */
async function trickler(server, stats, stop) {
  const head = Buffer.from(`GET / HTTP/1.1\r\nHost: soak\r\nX-Trickle: ${'a'.repeat(100_000)}`);
  await loop(stop, 100, async () => {
    const c = await connect(server.port);
    if (!c) return;
    c.on('error', () => {});
    let closed = false;
    c.once('close', () => { closed = true; });
    for (let i = 0; !stop.now && !closed; i = (i + 1) % head.length) {
      c.write(server.kind === 'echo' ? Buffer.from('t') : head.subarray(i, i + 1));
      await sleep(1000);
    }
    if (closed && !stop.now) ++stats.tricklersClosedByServer;
    c.destroy();
  });
}

async function openIdle(port, n) {
  const idle = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => connect(port, 10_000)));
    for (const c of batch) if (c) { c.on('error', () => {}); idle.push(c); }
  }
  return idle;
}

// --- one server ----------------------------------------------------------------

async function soak(server) {
  server.port = await freePort();
  const [cmd, ...args] = server.command(server.file, server.port);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrLines = 0;
  let lastLine = '';
  child.stderr.setEncoding('utf8').on('data', (d) => {
    const lines = d.split('\n').filter(Boolean);
    stderrLines += lines.length;
    if (lines.length) lastLine = lines.at(-1);
  });
  for (let i = 0; ; ++i) {  // up when it answers
    const c = await connect(server.port, 500);
    if (c) { c.destroy(); break; }
    if (i > 200 || child.exitCode !== null) throw new Error(`${server.name} did not start`);
    await sleep(50);
  }
  await sleep(300);
  const stats = { honestOk: 0, honestFailed: 0, latencies: [], resets: 0, fuzzed: 0, tricklersClosedByServer: 0 };
  const before = snapshot(child.pid);
  const idle = await openIdle(server.port, idleCount);
  const stop = { now: false };
  const workers = [
    ...Array.from({ length: 2 }, () => honest(server, stats, stop)),
    ...Array.from({ length: 4 }, () => resetter(server, stats, stop)),
    ...Array.from({ length: 4 }, () => fuzzer(server, stats, stop)),
    ...Array.from({ length: 50 }, () => trickler(server, stats, stop)),
  ];
  // RSS ten times along the way: a leak climbs, a cache levels off.
  const series = [];
  for (let i = 0; i < 10; ++i) {
    await sleep(seconds * 100);
    if (child.exitCode !== null) break;
    series.push(rssKiB(child.pid));
  }
  const loaded = snapshot(child.pid);
  const idleAlive = idle.filter((c) => !c.destroyed).length;
  stop.now = true;
  await Promise.all(workers);
  for (const c of idle) c.destroy();
  await sleep(3000);
  const alive = child.exitCode === null && child.signalCode === null;
  const after = alive ? snapshot(child.pid) : { rssKiB: NaN, fds: NaN };
  child.kill('SIGKILL');
  const sorted = stats.latencies.sort((a, b) => a - b);
  const q = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1) : '-');
  return { server: server.name, alive, before, loaded, after, series, idle: `${idleAlive}/${idle.length}`, ...stats,
    p50: q(0.5), p99: q(0.99), stderrLines, lastLine };
}

// --- main ----------------------------------------------------------------------

const runnable = servers.filter((s) => {
  const missing = [s.file, s.needs].filter((f) => f && !existsSync(f));
  if (missing.length) console.log(`${s.name}: skipped (${missing.join(', ')} missing; scripts/test.sh builds it)`);
  return missing.length === 0;
});
console.log(`soak: ${runnable.map((s) => s.name).join(', ')} for ${seconds} s each (at once), ${idleCount} idle connections each`);
const results = await Promise.all(runnable.map(soak));
const mb = (k) => (k / 1024).toFixed(1);
for (const r of results) {
  console.log(`\n${r.server}${r.alive ? '' : '  ** DIED **'}`);
  console.log(`  RSS MB   before ${mb(r.before.rssKiB)}  under load ${mb(r.loaded.rssKiB)}  after ${mb(r.after.rssKiB)}`);
  console.log(`  RSS MB   along the way ${r.series.map(mb).join(' ')}`);
  console.log(`  fds      before ${r.before.fds}  under load ${r.loaded.fds}  after ${r.after.fds}`);
  console.log(`  honest   ${r.honestOk} ok, ${r.honestFailed} failed, latency p50 ${r.p50} ms p99 ${r.p99} ms`);
  console.log(`  hostile  ${r.resets} resets, ${r.fuzzed} fuzzed, ${r.tricklersClosedByServer} tricklers closed by the server, idle still open ${r.idle}`);
  console.log(`  stderr   ${r.stderrLines} lines${r.lastLine ? `, last: ${r.lastLine.slice(0, 160)}` : ''}`);
}
process.exit(results.every((r) => r.alive && r.honestFailed === 0) ? 0 : 1);
