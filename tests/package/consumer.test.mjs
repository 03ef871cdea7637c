// A user's view of the npm package: `npm pack dist/npm` ships the package's
// files, its own README and LICENSE; the tarball installs offline into a fresh project; Node imports it; strict tsc
// checks a TypeScript consumer against its types; Vite 7 and Vite 8 (dev
// server and build, no config) serve an app that imports it, and a plain
// <script type="module"> page does, in headless Chromium.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { browserSkip, launchBrowser, startServer } from '../support/browser.mjs';
import { freshProject, pack, pageResult, tarballFiles, viteBuild, viteDev, vites } from '../support/npm_consumer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const skip = !existsSync(path.join(root, 'dist/npm/index.js')) && 'dist/npm missing (scripts/test.sh runs scripts/npm-dist.sh)';

// What the consumers run, in Node and in the browser: sleep, timeout and
// fetchAll against `base`, and (when given) a WebSocket echo at `wsUrl`.
const APP = `import { sleep, timeout, fetchAll, WebSocketClient, WasyncError, load } from 'wasync';
export async function run(base, wsUrl) {
  const t0 = performance.now();
  await sleep(20);
  const slept = performance.now() - t0 >= 19;
  const timedOut = await timeout((signal) => sleep(1000, { signal }), 10).catch((e) => [e instanceof WasyncError, e.code]);
  const aborted = await sleep(1000, { signal: AbortSignal.timeout(10) }).catch((e) => [e.name, e.code]);
  const fetched = await fetchAll([base + '/data', base + '/missing'], { concurrency: 2, timeoutMs: 5000 });
  let echo = null;
  if (wsUrl) {
    const ws = await WebSocketClient.connect(wsUrl);
    await ws.send('ping');
    echo = await ws.receive();
    await ws[Symbol.asyncDispose]();
  }
  const bad = await sleep('x').catch((e) => e.name + ': ' + e.message);
  return {
    slept, timedOut, aborted, fetched: fetched.map((f) => [f.ok, f.status, f.text, f.headers['x-from']]), echo, bad,
    debug: (await load()).wasyncDebug(),
  };
}
`;

const expected = (echo) => ({
  slept: true,
  timedOut: [true, 'timeout'],
  aborted: ['TimeoutError', 'cancelled'],
  fetched: [[true, 200, 'data ☃', 'the test'], [true, 404, 'nothing here', 'the test']],
  echo,
  bad: 'TypeError: sleep(): argument ms must be a number, not string',
  debug: { tasks: 0, calls: 0, values: 0, ops: 0 },
});

function routes(req, res) {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/data') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-from': 'the test' });
    res.end('data ☃');
    return true;
  }
  if (url.pathname === '/missing') {
    res.writeHead(404, { 'x-from': 'the test' });
    res.end('nothing here');
    return true;
  }
  return false;
}

describe('the packed npm package in a fresh project', { skip }, () => {
  let tmp;
  let app;
  let tarball;
  let wss;
  let wsUrl;

  before(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'wasync-consumer-'));
    tarball = pack(path.join(root, 'dist/npm'), tmp);
    app = path.join(tmp, 'app');
    freshProject(app, tarball);
    writeFileSync(path.join(app, 'app.js'), APP);
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (s) => s.on('message', (d) => s.send(`pong ${d}`)));
    await new Promise((r) => wss.on('listening', r));
    wsUrl = `ws://127.0.0.1:${wss.address().port}`;
  });

  after(async () => {
    if (wss) await new Promise((r) => wss.close(r));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the tarball holds the package\'s files, its README and LICENSE, and package.json only', () => {
    assert.deepEqual(tarballFiles(tarball), [
      'package/LICENSE', 'package/README.md', 'package/core.js', 'package/fetch_all.js', 'package/index.d.ts',
      'package/index.js', 'package/package.json', 'package/sleep.js', 'package/wasync_core.d.ts',
      'package/wasync_core.js', 'package/wasync_core.wasm', 'package/websocket.js',
    ]);
  });

  test('the README npm shows is the package\'s own, for JS users, not the repository\'s', () => {
    const installed = path.join(app, 'node_modules/wasync');
    const readme = readFileSync(path.join(installed, 'README.md'), 'utf8');
    assert.equal(readme, readFileSync(path.join(root, 'package/README.md'), 'utf8'));
    assert.match(readme, /^# wasync\n[^]*npm install wasync[^]*"wasync": "\.\/node_modules\/wasync\/index\.js"/);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.scripts, undefined, 'the repository\'s scripts stay in the repository');
    assert.equal(manifest.version, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    assert.match(readFileSync(path.join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
  });

  test('Node imports it by name and runs calls', async () => {
    const server = http.createServer((req, res) => routes(req, res) || res.end());
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${server.address().port}`;
      writeFileSync(path.join(app, 'node_check.mjs'), `import { run } from './app.js';\nconsole.log(JSON.stringify(await run(process.argv[2])));\n`);
      const out = await new Promise((resolve, reject) => {
        // Async: the HTTP server above answers from this process.
        import('node:child_process').then(({ execFile }) =>
          execFile(process.execPath, ['node_check.mjs', base], { cwd: app }, (e, stdout, stderr) => (e ? reject(new Error(stderr || e.message)) : resolve(stdout))));
      });
      assert.deepEqual(JSON.parse(out), expected(null));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('tsc type-checks a TypeScript consumer against the package types', () => {
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
        skipLibCheck: false, lib: ['es2022', 'dom'], types: [] },
      files: ['use.ts'],
    }));
    writeFileSync(path.join(app, 'use.ts'), `import { sleep, timeout, fetchAll, load, WebSocketClient, WasyncError, type FetchOutcome, type WasyncErrorCode } from 'wasync';
export async function use(): Promise<string> {
  await sleep(1, { signal: AbortSignal.timeout(5) });
  const n: number = await timeout(async (signal: AbortSignal) => (signal.aborted ? 0 : 1), 100);
  const out: FetchOutcome[] = await fetchAll(['http://127.0.0.1/'], {
    concurrency: 2, timeoutMs: 10, method: 'POST', headers: { 'x-a': '1' }, body: new Uint8Array([1]),
  });
  const r = out[0];
  let line = r.url + n;
  if (r.ok) {
    const status: number = r.status;
    const bytes: Uint8Array = r.bytes;
    line += status + r.text + r.headers['content-type'] + bytes.length;
  } else {
    const code: WasyncErrorCode = r.error.code;
    line += code + (r.error instanceof WasyncError);
    // @ts-expect-error: a failure has no status
    const status: number = r.status;
    void status;
  }
  // @ts-expect-error: the module's internals are not part of the API
  (await load()).wsConnect('ws://127.0.0.1/', {});
  const ws = await WebSocketClient.connect('ws://127.0.0.1/', { protocols: ['chat'] });
  for await (const m of ws) if (typeof m === 'string') return m + line;
  await ws[Symbol.asyncDispose]();
  return (await ws.close(1000, 'bye')).reason;
}
`);
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { encoding: 'utf8' });
  });

  describe('in headless Chromium', { skip: browserSkip }, () => {
    let browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      if (browser) await browser.close();
    });

    async function runPage(serverRoot, page) {
      const server = await startServer({ root: serverRoot, routes });
      try {
        const { result, errors } = await pageResult(browser, `${server.url}/${page}`);
        assert.deepEqual(errors, []);
        return result;
      } finally {
        await server.close();
      }
    }

    // The page Vite serves or builds: the test's routes are another origin
    // then, and answer with CORS headers.
    const vitePage = (base) => `<!doctype html><meta charset="utf-8"><title>vite app</title>
<script type="module">import { run } from './app.js'; window.result = run(${base}, ${JSON.stringify(wsUrl)});</script>\n`;
    const crossOrigin = (req, res) => {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', 'x-from');
      return routes(req, res);
    };

    for (const vite of vites) {
      test(`${vite.name}: the dev server, no config, serves an app that imports it`, async () => {
        const api = await startServer({ routes: crossOrigin });
        const dev = await viteDev(vite, app);
        try {
          writeFileSync(path.join(app, 'index.html'), vitePage(JSON.stringify(api.url)));
          const { result, errors } = await pageResult(browser, `${dev.url}/index.html`);
          assert.deepEqual(errors, []);
          assert.deepEqual(result, expected('pong ping'));
          assert.deepEqual(dev.warnings, []);
        } finally {
          await dev.close();
          await api.close();
        }
      });

      test(`${vite.name}: a build, no config, without warnings, ships the wasm and runs`, async () => {
        const outDir = path.join(tmp, `vite${vite.major}-dist`);
        writeFileSync(path.join(app, 'index.html'), vitePage('location.origin'));
        const built = await viteBuild(vite, app, outDir);
        assert.deepEqual(built.warnings, []);
        assert.ok(built.assets.some((f) => /^wasync_core-.*\.wasm$/.test(f)), `the wasm is an emitted asset: ${built.assets}`);
        // Same origin: the page's base is '' and the routes answer next to the files.
        const server = await startServer({ root: outDir, routes });
        try {
          const { result, errors } = await pageResult(browser, `${server.url}/index.html`);
          assert.deepEqual(errors, []);
          assert.deepEqual(result, expected('pong ping'));
        } finally {
          await server.close();
        }
      });
    }

    test('a plain <script type="module"> page imports it from node_modules', async () => {
      writeFileSync(path.join(app, 'plain.html'), `<!doctype html><meta charset="utf-8"><title>plain</title>
<script type="importmap">{ "imports": { "wasync": "./node_modules/wasync/index.js" } }</script>
<script type="module">import { run } from './app.js'; window.result = run(location.origin, ${JSON.stringify(wsUrl)});</script>\n`);
      assert.deepEqual(await runPage(app, 'plain.html'), expected(`pong ping`));
    });
  });
});
