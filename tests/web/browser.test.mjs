// The web host in headless Chromium: the core scenarios, and the web_host,
// JS interop, fetch and WebSocket scenario tables that web_host.test.mjs,
// js_interop.test.mjs, fetch.test.mjs and websocket.test.mjs run in Node,
// against both exception builds. The page, the probes and the HTTP routes share
// one 127.0.0.1 origin (no CORS); the WebSocket server has its own port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { browserSkip, launchBrowser, startServer } from '../support/browser.mjs';
import { fetchScenarios } from './scenarios/fetch.mjs';
import { jsInteropScenarios } from './scenarios/js_interop.mjs';
import { webHostScenarios } from './scenarios/web_host.mjs';
import { websocketScenarios } from './scenarios/websocket.mjs';
import { root, skipUnlessBuilt, webBuilds } from './support/probe.mjs';
import { closedPort, httpRoutes, startWsServer } from './support/servers.mjs';

const timeout = 30_000;
const tables = [
  { probe: 'web_host_probe', scenarios: webHostScenarios },
  { probe: 'web_io_probe', scenarios: jsInteropScenarios },
  { probe: 'web_io_probe', scenarios: fetchScenarios },
  { probe: 'web_io_probe', scenarios: websocketScenarios },
];

const { routes, observed } = httpRoutes();
let server;
let wss;
let browser;
let page;
const env = {};
before(async () => {
  if (browserSkip) return;
  server = await startServer({ root, routes });
  wss = await startWsServer();
  Object.assign(env, { base: server.url, wsBase: wss.url, closedPort: await closedPort() });
  const ops = { ...observed, ...wss.observed };
  browser = await launchBrowser();
  page = await browser.openPage(`${server.url}/`);
  await page.exposeFunction('wasyncServer', (op, arg) => ops[op](arg));
});
after(async () => {
  await browser?.close();
  await wss?.close();
  await server?.close();
});

/// Checks the scenario's recorded assertions with node:assert, in order.
async function replay({ records, thrown, left }) {
  for (const { method, args } of records) {
    if (method !== 'rejects') {
      assert[method](...args);
      continue;
    }
    const [outcome, expected, message] = args;
    await assert.rejects(async () => {
      if (outcome.error) throw Object.assign(new Error(outcome.error.message), outcome.error);
    }, expected, message);
  }
  if (thrown) assert.fail(`the scenario threw in the page: ${thrown.stack || thrown.message}`);
  assert.deepEqual(left, { tasks: 0, values: 0, ops: 0, calls: 0 }, 'resources left in the page');
}

const expected = readFileSync(path.join(root, 'tests/scenarios/core_scenarios.expected'), 'utf8');

for (const build of webBuilds) {
  const coreScenarios = path.join(build.dir, 'tests/core_scenarios.mjs');
  const coreSkip = browserSkip || (!existsSync(path.join(root, coreScenarios)) && `${coreScenarios} not built (scripts/test.sh builds it)`);
  test(`Chromium, ${build.name}: core scenarios match the expected trace`, { skip: coreSkip, timeout }, async () => {
    const out = await page.evaluate(async (url) => {
      const lines = [];
      const errors = [];
      await new Promise((resolve, reject) => {
        import(url).then((m) => m.default({
          print: (l) => lines.push(l),
          printErr: (l) => errors.push(l),
          onExit: resolve,
          onAbort: reject,
        })).catch((e) => (e && e.name === 'ExitStatus' ? resolve() : reject(e)));
      });
      return { stdout: lines.map((l) => l + '\n').join(''), errors };
    }, `/${coreScenarios}`);
    assert.deepEqual(out.errors, []);
    assert.equal(out.stdout, expected);
    assert.deepEqual(page.errors.splice(0), []);
  });

  const runProbe = path.join(build.dir, 'tests/run_probe.mjs');
  const runSkip = browserSkip || (!existsSync(path.join(root, runProbe)) && `${runProbe} not built (scripts/test.sh builds it)`);
  for (const [mode, want] of [
    ['value', { lines: ['main done', 'leftover cleanup'], errors: [], status: 3 }],
    ['fails', { lines: [], errors: ['wasync: main task failed: user 1000: broken'], status: 1 }],
  ]) {
    test(`Chromium, ${build.name}: run(main) in mode ${mode} exits with main's status after its leftovers`,
      { skip: runSkip, timeout }, async () => {
        const out = await page.evaluate(async ([url, arg]) => {
          const lines = [];
          const errors = [];
          const status = await new Promise((resolve, reject) => {
            import(url).then((m) => m.default({
              arguments: [arg],
              print: (l) => lines.push(l),
              printErr: (l) => errors.push(l),
              onExit: resolve,
              onAbort: reject,
            })).catch((e) => (e && e.name === 'ExitStatus' ? resolve(e.status) : reject(e)));
          });
          return { lines, errors, status };
        }, [`/${runProbe}`, mode]);
        assert.deepEqual(out, want);
        assert.deepEqual(page.errors.splice(0), []);
      });
  }

  for (const { probe, scenarios } of tables) {
    const skip = browserSkip || skipUnlessBuilt(probe, build);
    const key = `${build.dir}/${probe}`;
    let loaded;
    for (const s of scenarios) {
      test(`Chromium, ${build.name}: ${s.name}`, { skip, timeout }, async () => {
        loaded ??= page.evaluate(([k, url]) => import('/tests/web/support/page_runner.mjs').then((r) => r.load(k, url)),
          [key, `/${build.dir}/tests/web/${probe}.mjs`]);
        await loaded;
        const ops = Object.keys({ ...observed, sawRequest: 0, serverSawClose: 0 });
        await replay(await page.evaluate(([k, src, e, o]) => import('/tests/web/support/page_runner.mjs').then((r) => r.run(k, src, e, o)),
          [key, s.run.toString(), env, ops]));
        assert.deepEqual(page.errors.splice(0), [], 'no console errors in the page');
      });
    }
  }
}
