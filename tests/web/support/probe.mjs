// Loads a web probe module (built by scripts/test.sh) for node:test files, and
// checks that it released everything: no live tasks, no JS values or ops left.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function probePath(name) {
  return path.join(root, 'build/em-noexc/tests/web', `${name}.mjs`);
}

/// A skip reason when the probe is not built, else false.
export function skipUnlessBuilt(name) {
  const p = probePath(name);
  return !existsSync(p) && `${p} not built (scripts/test.sh builds it)`;
}

class Raw {
  constructor(n) {
    this.n = n;
  }
}
/// A probe argument passed as a plain int instead of a table id.
export const raw = (n) => new Raw(n);

export async function loadProbe(name) {
  const factory = (await import(pathToFileURL(probePath(name)).href)).default;
  const mod = await factory({ print: (l) => console.log(l), printErr: (l) => process.stderr.write(l + '\n') });
  // call(name, ...args): JS values go in as table ids, raw(n) as a plain
  // int; the returned id comes back as its value (a Promise for async probes).
  mod.call = (fn, ...args) =>
    mod.wasyncJsTake(mod[`_probe_${fn}`](...args.map((a) => (a instanceof Raw ? a.n : mod.wasyncJsPut(a)))));
  return mod;
}

/// Waits until the module holds no live task, JS value or pending op.
export async function assertReleased(mod, what = '') {
  const deadline = Date.now() + 2000;
  for (;;) {
    const stats = { tasks: mod._probe_live_tasks(), ...mod.wasyncJsStats() };
    if (stats.tasks === 0 && stats.values === 0 && stats.ops === 0) return;
    if (Date.now() > deadline) assert.deepEqual(stats, { tasks: 0, values: 0, ops: 0 }, `resources left ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
