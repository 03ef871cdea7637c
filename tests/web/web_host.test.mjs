// The web host on Node's event loop: microtask drains, one timer, the drain budget.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const probePath = path.join(root, 'build/em-noexc/tests/web/web_host_probe.mjs');
const skip = !existsSync(probePath) && `${probePath} not built (scripts/test.sh builds it)`;

let mod;
const lines = [];
const waiters = [];
function onLine(line) {
  lines.push(line);
  for (const w of waiters.splice(0)) if (!w(line)) waiters.push(w);
}
function nextLine(prefix) {
  const seen = lines.find((l) => l.startsWith(prefix));
  if (seen) {
    lines.splice(lines.indexOf(seen), 1);
    return Promise.resolve(seen);
  }
  return new Promise((resolve) =>
    waiters.push((l) => {
      if (!l.startsWith(prefix)) return false;
      lines.splice(lines.indexOf(l), 1);
      resolve(l);
      return true;
    }),
  );
}

before(async () => {
  if (skip) return;
  const factory = (await import(pathToFileURL(probePath).href)).default;
  mod = await factory({ print: onLine, printErr: (l) => process.stderr.write(l + '\n') });
});

test('timers fire in deadline order close to their deadlines', { skip }, async () => {
  mod._probe_timers();
  await nextLine('done timers');
  const fired = lines.splice(0).filter((l) => l.startsWith('timer '));
  assert.deepEqual(fired.map((l) => l.split(' ')[1]), ['10', '20', '30']);
  for (const l of fired) {
    const late = Number(l.split(' ')[3]);
    assert.ok(late >= -1 && late < 15, `timer woke ${late} ms after its deadline`);
  }
});

test('a 100-step chain of zero-delay sleeps takes under 5 ms (no setTimeout clamping)', { skip }, async () => {
  mod._probe_chain(100);
  const ms = Number((await nextLine('done chain')).split(' ')[2]);
  assert.ok(ms < 5, `100 zero-delay sleeps took ${ms} ms`);
});

test('C++ continuations run in the same microtask checkpoint as JS promise continuations', { skip }, async () => {
  const order = [];
  const seen = nextLine('cpp 1').then(() => order.push('cpp'));
  Promise.resolve().then(() => order.push('js before'));
  mod._probe_note(1);
  await Promise.resolve();
  await seen;
  order.push('after');
  assert.deepEqual(order, ['js before', 'cpp', 'after']);
});

test('work readied in one synchronous JS call costs one drain crossing', { skip }, async () => {
  const before = mod.wasyncDrainCount();
  const t0 = performance.now();
  mod._probe_spawn_many(1000);
  await new Promise((r) => setImmediate(r));
  // On a loaded machine the batch may outlast the 4 ms drain budget and
  // rightly continue in a macrotask; only then may it take more crossings.
  while (mod._probe_live_tasks() > 0) await new Promise((r) => setImmediate(r));
  const took = performance.now() - t0;
  const crossings = mod.wasyncDrainCount() - before;
  if (crossings > 1) assert.ok(took >= 4, `${crossings} drain crossings for a batch that took only ${took} ms`);
});

test('a long C++ job split by the drain budget keeps JS timers running', { skip }, async () => {
  // 300 slices of 1 ms of busy work: 300 ms in all. Without a budget the JS loop
  // would be blocked the whole time; with it, JS gets a turn every few ms.
  let last = performance.now();
  let longestGap = 0;
  let ticks = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, 0);
  const t0 = performance.now();
  mod._probe_cpu(300, 1.0);
  await nextLine('done cpu');
  clearInterval(tick);
  const total = performance.now() - t0;
  console.log(`# cpu job ${total.toFixed(0)} ms, JS interval ran ${ticks} times, longest gap ${longestGap.toFixed(1)} ms`);
  assert.ok(total >= 300, 'the job really took 300 ms');
  assert.ok(ticks >= 20, `JS timers ran only ${ticks} times during a 300 ms job`);
  assert.ok(longestGap < 30, `longest gap without a JS turn: ${longestGap} ms`);
});
