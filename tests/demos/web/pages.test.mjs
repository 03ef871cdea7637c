// The browser demos in headless Chromium, as a person would use them: each
// page is clicked through and what it shows (statuses, messages, lanes, frame
// gaps, error texts) is checked, with no console errors. A screenshot of each
// demo goes to build/screenshots/ (docs/screenshots/ holds committed ones).
// Runs against both exception builds (build/em-noexc and build/em-exc).
import { test, before, after, afterEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSkip, launchBrowser } from '../../support/browser.mjs';
import { closedPort } from '../../web/support/servers.mjs';
import { startServer, itemBehaviour } from '../../../demos/web/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shots = path.join(root, 'build/screenshots');

for (const build of ['em-noexc', 'em-exc']) {
  const site = path.join(root, 'build', build, 'demos/web/site');
  const skip = browserSkip || (!existsSync(path.join(site, 'wasync_demos.js')) && `${site} not built (scripts/test.sh builds web_demos)`);

  describe(`browser demos (${build})`, { skip, timeout: 60_000 }, () => {
    let server;
    let browser;
    let page;

    before(async () => {
      mkdirSync(shots, { recursive: true });
      server = await startServer({ root: site });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });
    afterEach(async () => {
      if (!page) return;
      assert.deepEqual(page.errors, [], 'console errors');
      await page.close();
      page = null;
    });

    async function open(file) {
      page = await browser.openPage(server.url + file);
      await page.setViewportSize({ width: 1400, height: 900 });
      // Demo pages say when their module is loaded and their buttons work.
      if (file) await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 15_000 });
      return page;
    }
    const text = (sel) => page.textContent(sel);
    const shot = (name) => page.screenshot({ path: path.join(shots, build === 'em-noexc' ? `${name}.png` : `${name}-${build}.png`) });
    async function errorText() {
      return page.evaluate(() => {
        const box = document.getElementById('error');
        return box.hidden ? null : box.textContent;
      });
    }
    async function waitForError() {
      await page.waitForSelector('#error:not([hidden])', { timeout: 15_000 });
      return errorText();
    }
    const leftovers = () => page.evaluate(() => import('./demo_api.mjs').then((m) => m.default.wasyncDebug()));

    test('the index links every demo and says what wasync is and how to install it', async () => {
      await open('');
      const links = await page.$$eval('a.card', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['fan_out.html', 'chat.html', 'timeline.html', 'responsiveness.html']);
      const body = await text('main');
      assert.match(body, /C\+\+20 coroutine runtime/);
      assert.match(body, /npm start/);
      for (const href of links) {
        const res = await fetch(server.url + href);
        assert.equal(res.status, 200, href);
      }
      await shot('index');
    });

    test('the index\'s install commands are the README\'s: no placeholder, find_package from an installed prefix', async () => {
      await open('');
      const install = (await page.$$eval('pre.install', (ps) => ps.map((p) => p.textContent))).join('\n');
      assert.doesNotMatch(install, /<[^>]*repository[^>]*>/);
      assert.match(install, /find_package\(wasync/);
      const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
      for (const line of install.split('\n').filter((l) => /^(emcmake )?cmake -S \. /.test(l))) {
        assert.ok(readme.includes(line.trim()), `README has: ${line}`);
      }
    });

    test('every page fits a 390 px phone: a viewport tag, and nothing wider than the screen but the source panes\' own scrolling', async () => {
      for (const file of ['', 'fan_out.html', 'chat.html', 'timeline.html', 'responsiveness.html']) {
        page = await browser.openPage(server.url + file);
        await page.setViewportSize({ width: 390, height: 844 });
        if (file) await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 15_000 });
        assert.equal(await page.getAttribute('meta[name=viewport]', 'content'), 'width=device-width, initial-scale=1', file);
        const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
        assert.ok(widths.page <= widths.view, `${file || 'index'}: the page is ${widths.page} px wide in a ${widths.view} px viewport`);
        await shot(`narrow-${file.replace('.html', '') || 'index'}`);
        assert.deepEqual(page.errors, [], file);
        await page.close();
      }
      page = null;
    });

    test('every demo page shows its C++ source highlighted', async () => {
      for (const [file, source] of [['fan_out.html', 'fan_out.cpp'], ['chat.html', 'chat.cpp'],
        ['timeline.html', 'timeline.cpp'], ['responsiveness.html', 'responsiveness.cpp']]) {
        await open(file);
        await page.waitForSelector('pre.source .keyword');
        assert.match(await text('pre.source'), /co_await/, file);
        assert.equal(await page.getAttribute('pre.source', 'data-src'), `src/${source}`);
        assert.deepEqual(page.errors, [], file);
        await page.close();
      }
      page = null;
    });

    test('fan-out: every request ends as the server made it (ok, 500, reset, timeout)', async () => {
      await open('fan_out.html');
      await page.click('#start');
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'), null, { timeout: 20_000 });
      const cells = await page.$$eval('.request', (cs) => cs.map((c) => ({ state: c.dataset.state, text: c.textContent })));
      assert.equal(cells.length, 40);
      const expected = { ok: 'ok', fail: 'http_error', reset: 'network_error', slow: 'timeout' };
      cells.forEach((c, id) => assert.equal(c.state, expected[itemBehaviour(id).kind], `request #${id}: ${c.text}`));
      assert.match(cells[7].text, /500/);
      assert.match(await text('#status'), /28 ok, 8 failed, 4 timed out/);
      assert.equal(await errorText(), null);
      await shot('fan_out');
    });

    test('fan-out: Cancel stops every request still queued or in flight and releases the C++ tasks', async () => {
      await open('fan_out.html');
      await page.click('#start');
      await page.waitForSelector('.request[data-state=ok]');
      await page.click('#cancel');
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Cancelled'));
      const states = await page.$$eval('.request', (cs) => cs.map((c) => c.dataset.state));
      assert.ok(states.includes('cancelled'), states.join());
      assert.ok(!states.includes('queued') && !states.includes('fetching'), states.join());
      assert.match(await text('#status'), /Cancelled after .* \d+ ok, \d+ cancelled/);
      assert.deepEqual(await leftovers(), { tasks: 0, calls: 0, values: 0, ops: 0 });
    });

    test('fan-out: an invalid URL is an error in the page', async () => {
      await open('fan_out.html');
      await page.fill('#url', 'not a url');
      await page.click('#start');
      assert.match(await waitForError(), /invalid_argument: not an http\(s\) URL: "not a url"/);
    });

    test('fan-out: a server that is down is an error in the page', async () => {
      await open('fan_out.html');
      const url = `http://127.0.0.1:${await closedPort()}/api/items`;
      await page.fill('#url', url);
      await page.fill('#count', '5');
      await page.click('#start');
      assert.match(await waitForError(), new RegExp(`No request reached the server at ${url}`));
      assert.match(await text('#status'), /0 ok, 5 failed/);
    });

    test('chat: messages echo back, and after the server drops the connection it reconnects', async () => {
      await open('chat.html');
      await page.click('#connect');
      await page.waitForSelector('#state[data-state=connected]');
      await page.fill('#message', 'hello from C++');
      await page.click('#send');
      await page.waitForSelector('#log li[data-kind=received]:has-text("hello from C++")');
      await page.click('#drop');
      await page.waitForSelector('#log li[data-kind=error]:has-text("connection lost")');
      await page.fill('#message', 'typed while reconnecting');
      await page.click('#send');
      await page.waitForSelector('#log li[data-kind=received]:has-text("typed while reconnecting")');
      const log = await page.$$eval('#log li', (ls) => ls.map((l) => `${l.dataset.kind} ${l.textContent}`));
      const connects = log.filter((l) => l.startsWith('status connected to'));
      assert.equal(connects.length, 2, log.join('\n'));
      assert.ok(log.some((l) => /^status reconnecting in \d+ ms$/.test(l)), log.join('\n'));
      assert.equal(await errorText(), null);
      await shot('chat');
      await page.click('#disconnect');
      await page.waitForSelector('#state[data-state=stopped]');
      assert.equal(await errorText(), null);
      assert.deepEqual(await leftovers(), { tasks: 0, calls: 0, values: 0, ops: 0 });
    });

    test('chat: a refused connection is retried, then an error in the page', async () => {
      await open('chat.html');
      await page.fill('#url', `ws://127.0.0.1:${await closedPort()}/ws`);
      await page.click('#connect');
      assert.match(await waitForError(), /The chat stopped: network_error: /);
      const log = await page.$$eval('#log li', (ls) => ls.map((l) => l.textContent));
      assert.equal(log.filter((l) => l.startsWith('could not connect')).length, 3, log.join('\n'));
      assert.match(log.at(-1), /gave up after 4 failed attempts/);
    });

    test('chat: sending before connecting is an error in the page', async () => {
      await open('chat.html');
      await page.fill('#message', 'too early');
      await page.click('#send');
      assert.match(await waitForError(), /Not sent: invalid_state: the chat is not running/);
    });

    test('timeline: one lane per task, with its waits and how it ended', async () => {
      await open('timeline.html');
      await page.click('#run');
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Finished'), null, { timeout: 20_000 });
      const lanes = await page.$$eval('.lane', (ls) => ls.map((l) => ({
        name: l.querySelector('.name').textContent,
        outcome: l.querySelector('.outcome').textContent,
        states: [...new Set([...l.querySelectorAll('.seg')].map((s) => s.dataset.state))],
      })));
      const by = Object.fromEntries(lanes.map((l) => [l.name, l]));
      assert.deepEqual(Object.keys(by).sort(), ['crunch (CPU slices)', 'fetch item 1', 'fetch item 3 (timeout)',
        'fetch item 7 (500)', 'sleeper (cancelled)', 'ticker (timers)', 'websocket echo']);
      assert.equal(by['ticker (timers)'].outcome, 'done');
      assert.equal(by['fetch item 1'].outcome, 'done');
      assert.equal(by['websocket echo'].outcome, 'done');
      assert.equal(by['fetch item 7 (500)'].outcome, 'failed');
      assert.equal(by['fetch item 3 (timeout)'].outcome, 'timeout');
      assert.equal(by['sleeper (cancelled)'].outcome, 'cancelled');
      assert.ok(by['ticker (timers)'].states.includes('waiting:timer'));
      assert.ok(by['fetch item 1'].states.includes('waiting:fetch'));
      assert.ok(by['websocket echo'].states.includes('waiting:socket'));
      assert.ok(by['crunch (CPU slices)'].states.includes('running'));
      assert.match(await text('#status'), /Finished: \d+ events, 3 of 7 tasks failed or cancelled/);
      // The observer's own order: each task's first event is spawned, its last finished.
      const events = await page.evaluate(() => import('./demo_api.mjs').then((m) => m.default.timelineEvents(0)));
      const perTask = new Map();
      for (const e of events) perTask.set(e.task, [...(perTask.get(e.task) ?? []), e]);
      assert.equal(perTask.size, 7);
      for (const [, list] of perTask) {
        assert.equal(list[0].kind, 'spawned', list[0].name);
        assert.equal(list.at(-1).kind, 'finished', `${list[0].name}: ${list.map((e) => e.kind).join(' ')}`);
        assert.equal(list.filter((e) => e.kind === 'finished').length, 1, list[0].name);
      }
      await shot('timeline');
    });

    test('responsiveness: frames keep coming while the job runs as a task, not while it blocks', async () => {
      await open('responsiveness.html');
      await page.fill('#limit', '3000000');
      const run = async (button, how) => {
        await page.click(button);
        await page.waitForSelector(`tr[data-how="${how}"]`, { timeout: 30_000 });
        return page.$eval(`tr[data-how="${how}"]`, (r) => ({
          primes: Number(r.querySelector('.primes').textContent),
          gap: parseFloat(r.querySelector('.gap').textContent),
          ms: parseFloat(r.querySelector('.ms').textContent),
          frames: Number(r.querySelector('.frames').textContent),
        }));
      };
      const task = await run('#cooperative', 'wasync task');
      const blocking = await run('#blocking', 'blocking');
      const show = (r) => `${r.ms} ms, ${r.frames} frames, longest gap ${r.gap} ms`;
      console.log(`primes below 3,000,000: as a wasync task ${show(task)}; blocking ${show(blocking)}`);
      assert.equal(task.primes, 216816);
      assert.equal(blocking.primes, task.primes);
      // Frames keep coming (at least 20 per second on average, a smooth 60 when
      // the machine is idle) and no gap comes near the blocking one; blocking,
      // the page paints at most once before the job ends.
      assert.ok(task.frames >= task.ms / 50, `as a task: ${show(task)}`);
      assert.ok(task.gap < 250 && task.gap * 3 < blocking.gap, `as a task: ${show(task)}; blocking: ${show(blocking)}`);
      assert.ok(blocking.frames <= 2 && blocking.gap > 0.8 * blocking.ms, `blocking: ${show(blocking)}`);
      await shot('responsiveness');
    });

    test('responsiveness: a bad limit is an error in the page', async () => {
      await open('responsiveness.html');
      await page.fill('#limit', '1');
      await page.click('#cooperative');
      assert.match(await waitForError(), /invalid_argument: limit must be 2-50,000,000/);
    });
  });
}
