// Registers a scenario table (tests/web/scenarios/) as node:test tests, once
// per Emscripten build, with the probe module loaded into this Node process.
import { describe, before, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertReleased, loadProbe, raw, skipUnlessBuilt, webBuilds } from './probe.mjs';

const timeout = 20_000;  // per test: a hang fails the test instead of stalling the suite

/// `shared` holds the scenario env's server parts (base, wsBase, server...);
/// a file's before() may fill it in, it is read when each test starts.
export function runInNode(probe, scenarios, shared = {}) {
  for (const build of webBuilds) {
    describe(`${build.name} (${build.dir})`, () => {
      const skip = skipUnlessBuilt(probe, build);
      let mod;
      before(async () => {
        if (!skip) mod = await loadProbe(probe, build);
      });
      afterEach(async () => {
        if (mod) await assertReleased(mod);
      });
      for (const s of scenarios) {
        test(s.name, { skip, timeout }, () =>
          s.run({
            ...shared, mod, call: mod.call, raw, assert, host: 'node',
            sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
            nextTask: () => new Promise((r) => setImmediate(r)),
            log: (line) => console.log(`# ${line}`),
          }));
      }
    });
  }
}
