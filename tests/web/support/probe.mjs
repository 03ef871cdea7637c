// Loads a web probe module (built by scripts/test.sh) into Node for the
// node:test files, from each Emscripten build the tests cover.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { attach, lineOptions, waitReleased } from './probe_api.mjs';

export { raw } from './probe_api.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/// The web tests run against both exception builds (scripts/test.sh builds them).
export const webBuilds = [
  { name: 'exceptions off', dir: 'build/em-noexc' },
  { name: 'exceptions on', dir: 'build/em-exc' },
];

export function probePath(name, build = webBuilds[0]) {
  return path.join(root, build.dir, 'tests/web', `${name}.mjs`);
}

/// A skip reason when the probe is not built, else false.
export function skipUnlessBuilt(name, build = webBuilds[0]) {
  const p = probePath(name, build);
  return !existsSync(p) && `${p} not built (scripts/test.sh builds it)`;
}

export async function loadProbe(name, build = webBuilds[0]) {
  const factory = (await import(pathToFileURL(probePath(name, build)).href)).default;
  const printed = lineOptions();
  const mod = await factory({ print: printed.print, printErr: (l) => process.stderr.write(l + '\n') });
  return attach(mod, printed);
}

/// Fails when the module still holds a live task, JS value, op or call after 2 s.
export async function assertReleased(mod, what = '') {
  assert.deepEqual(await waitReleased(mod), { tasks: 0, values: 0, ops: 0, calls: 0 }, `resources left ${what}`);
}
