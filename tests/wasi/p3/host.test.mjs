// The WASI 0.3 host under wasmtime 49 -S p3: an idle loop hands the wait to
// the runtime (the run export returns WAIT; nothing spins), every timer
// shares one host wait that an earlier deadline cancels and re-arms,
// cancelled waits leave nothing behind (under a memory cap), and a busy loop
// still lets I/O in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noWasmtime49, runProgram, wasmtime49 } from '../wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const probe = path.join(root, 'build/wasip3/tests/wasi/p3/p3_probe.wasm');
const skip = noWasmtime49 || (!existsSync(probe) && `${probe} not built (scripts/test.sh builds it)`);
const t = (name, fn) => test(name, { skip, timeout: 120_000 }, fn);
// Enough for the probe's stack (1 MiB) and heap: a leak per cancelled wait would not fit.
const capped = (args) => ['run', '-S', 'p3', '-W', 'max-memory-size=2097152', probe, ...args];
const host = { command: (wasm, args) => [wasmtime49, ...capped(args)] };

/** Runs the probe under bash's `times`: its output and the CPU seconds it used. */
function timed(args) {
  const quoted = [wasmtime49, ...capped(args)].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted}; status=$?; times >&2; exit $status`], { encoding: 'utf8' });
  // `times`: the shell's user and system time, then its children's.
  const children = r.stderr.trim().split('\n').at(-1);
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
  return { ...r, cpu: seconds };
}

t('a sleeping program returns WAIT to the runtime: 300 ms of sleep take one callback and almost no CPU', () => {
  const awake = timed(['idle', '0']);  // also leaves wasmtime's compiled code in its cache
  const asleep = timed(['idle', '300']);
  for (const r of [awake, asleep]) assert.equal(r.status, 0, r.stderr);
  const counters = JSON.parse(asleep.stdout);
  // One host wait for the one deadline, one callback when it ends: a loop
  // that spun (YIELD, or polling the set) would take a callback per turn.
  assert.equal(counters.timer_waits, 1, asleep.stdout);
  assert.ok(counters.callbacks <= 2, asleep.stdout);
  // Spinning for 300 ms would cost about 300 ms of CPU.
  assert.ok(asleep.cpu - awake.cpu < 0.1, `sleeping 300 ms cost ${asleep.cpu} s of CPU, not sleeping ${awake.cpu} s`);
});

t('an earlier deadline cancels the host wait armed for the last one: 10,000 times, nothing left, under a 2 MiB cap', async () => {
  // One line at a time, each after the program answered the last: the
  // program then waits for it, which is when its host re-arms.
  const lines = 10_000;
  const child = spawn(wasmtime49, capped(['rearm']), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sent = 0;
  let answered = 0;
  const send = () => (++sent <= lines ? child.stdin.write('x\n') : child.stdin.end());
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;  // printf's "ok\n" may come in two pieces
    for (const oks = stdout.split('ok\n').length - 1; answered < oks; ++answered) send();
  });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const status = new Promise((resolve) => child.on('close', resolve));
  send();
  assert.equal(await status, 0, stderr);
  const c = JSON.parse(stdout.split('\n').at(-2));
  // A line may come before the program waits for it: most do not.
  assert.ok(c.timer_waits >= lines / 2, JSON.stringify(c));
  // Every wait but the armed one was cancelled for an earlier deadline.
  assert.equal(c.timer_cancels, c.timer_waits - 1, JSON.stringify(c));
  assert.equal(c.watched, 0, JSON.stringify(c));
  assert.ok(c.live_frames < 10, JSON.stringify(c));
});

t('stdin reads cut short by a timeout keep one read in flight and lose no input', async () => {
  // The lines go once the program has timed out 200 reads (then it reads them).
  const child = spawn(wasmtime49, capped(['stdin_cancel', '200']), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    if (!stdout.includes('timeouts') && (stdout + d).includes('timeouts')) child.stdin.end('first\nsecond\n');
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0, stderr);
  assert.equal(stdout, 'timeouts 200, watched 0\nline first\nline second\n');
});

t('a task that never waits does not starve I/O: a line that comes meanwhile is read while it runs', async () => {
  // The loop returns YIELD every so many busy turns: wasmtime moves stdin's
  // bytes only while the guest is out.
  const r = await runProgram(host, probe, ['busy', '50000000'], { input: [300, 'x\n'] });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'line while busy\n');
});
