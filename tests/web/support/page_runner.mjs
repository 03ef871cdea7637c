// Browser side of browser.test.mjs: loads probe modules into the page and runs
// a scenario (tests/web/scenarios/) given as source text. Assertions are
// recorded, not checked: Node replays them with node:assert, so both hosts
// judge a scenario by the same assertions.
import { attach, lineOptions, raw, waitReleased } from './probe_api.mjs';

const modules = new Map();

/// Loads the Emscripten probe at `url` under `key`.
export async function load(key, url) {
  const factory = (await import(url)).default;
  const printed = lineOptions();
  modules.set(key, attach(await factory({ print: printed.print, printErr: (l) => console.warn(l) }), printed));
}

// The parts of an error node:assert's rejects() compares.
const plainError = (e) => ({ name: e?.name, message: e?.message ?? String(e), code: e?.code });

/// assert.<method>(...args) calls become { method, args } records.
function recorder(records) {
  return new Proxy({}, {
    get: (_, method) => method === 'rejects'
      ? async (promise, expected, message) => {
        let outcome;
        try {
          await promise;
          outcome = { resolved: true };
        } catch (e) {
          outcome = { error: plainError(e) };
        }
        records.push({ method, args: [outcome, expected, message] });
      }
      : (...args) => records.push({ method, args }),
  });
}

/**
 * Runs the scenario whose `run` method's source is `src` against module `key`.
 * `env` carries the servers' addresses; `serverOps` names the server
 * observations the page reaches through window.wasyncServer(op, arg).
 * Returns { records, thrown, left }: the assertions made, what the scenario
 * threw (if anything), and what the module still held afterwards.
 */
export async function run(key, src, env, serverOps) {
  const mod = modules.get(key);
  const records = [];
  const server = Object.fromEntries(serverOps.map((op) => [op, (arg) => window.wasyncServer(op, arg)]));
  const scenario = (0, eval)(`({ ${src} })`).run;
  let thrown;
  try {
    await scenario({
      ...env, mod, call: mod.call, raw, server, assert: recorder(records), host: 'chromium',
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      nextTask: () => new Promise((r) => setTimeout(r, 0)),
      log: (line) => console.log(line),
    });
  } catch (e) {
    thrown = { ...plainError(e), stack: e?.stack };
  }
  return { records, thrown, left: await waitReleased(mod) };
}
