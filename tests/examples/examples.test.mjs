// The examples (examples/), each a standalone CMake project, built as a user
// builds them: wasync is installed from scripts/test.sh's build trees into one
// prefix per host (build/examples/prefix/<host>), each example finds it with
// find_package the way the README says, and runs on every host it targets:
// natively, in Node, in headless Chromium, under wasmtime 36 (WASI preview1)
// and wasmtime 49 (preview2 components). Release builds, and the README's
// first program also with no build type (a consumer's default: unoptimised).
// Builds run two at a time, in the order the tests need them. Kept between
// runs: `cmake --install` leaves files that did not change alone (their times
// too), a file no longer installed is removed from the prefix, so an example
// is rebuilt exactly when what it uses changed.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserSkip, launchBrowser, startServer } from '../support/browser.mjs';
import { freshProject, pack, pageResult, tarballFiles, viteBuild, viteDev, vites } from '../support/npm_consumer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, 'build/examples');
const tools = path.join(root, 'build/tools/bin');
const wasmtime36 = path.join(tools, 'wasmtime');
const wasmtime49 = path.join(tools, 'wasmtime49');
// wasm-tools (preview2 components) on PATH, as a user has it; Debian's emcc
// needs its acorn from /usr/share/nodejs.
const env = {
  ...process.env,
  PATH: `${tools}:${process.env.PATH}`,
  NODE_PATH: ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(':'),
};
const timeout = 300_000;

const prefix = (host) => path.join(work, 'prefix', host);
const wasiToolchain = (host) => `-DCMAKE_TOOLCHAIN_FILE=${prefix(host)}/share/wasync/cmake/wasi.toolchain.cmake`;
// Each host: the tree it is installed from, a library that shows the tree is
// built, and how a project configures against the prefix (README, "Install
// the C++ SDK"): CMAKE_PREFIX_PATH, except under Emscripten, whose toolchain
// file looks for packages only under its find roots.
const hosts = {
  native: { tree: 'build/native', built: 'native/libwasync_native.a',
    configure: () => ['cmake', [`-DCMAKE_PREFIX_PATH=${prefix('native')}`]] },
  web: { tree: 'build/em-exc', built: 'bindings/libwasync_bind.a',
    configure: () => ['emcmake', ['cmake', `-DCMAKE_FIND_ROOT_PATH=${prefix('web')}`]] },
  wasi: { tree: 'build/wasi', built: 'wasi/p1/libwasync_wasi.a',
    configure: () => ['cmake', [`-DCMAKE_PREFIX_PATH=${prefix('wasi')}`, wasiToolchain('wasi')]] },
  wasip2: { tree: 'build/wasip2', built: 'wasi/p2/libwasync_wasip2.a',
    configure: () => ['cmake', [`-DCMAKE_PREFIX_PATH=${prefix('wasip2')}`, wasiToolchain('wasip2')]] },
  wasip3: { tree: 'build/wasip3', built: 'wasi/p3/libwasync_wasip3.a',
    configure: () => ['cmake', [`-DCMAKE_PREFIX_PATH=${prefix('wasip3')}`, wasiToolchain('wasip3')]] },
};
for (const host of Object.values(hosts)) {
  host.skip = !existsSync(path.join(root, host.tree, host.built)) &&
    `${host.tree} has no ${host.built} (scripts/test.sh builds the wasync_libraries target)`;
}

/// Runs a program; resolves with its status and output (never rejects on a failing status).
function run(cmd, args, { input = '', cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});  // a program that exits without reading its input
    child.stdin.end(input);
  });
}

async function mustRun(cmd, args, options) {
  const r = await run(cmd, args, { timeoutMs: 240_000, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r;
}

// At most two builds at a time (the CI machine has two cores), first come first served.
const slots = { free: 2, waiting: [] };
async function inSlot(work) {
  if (slots.free === 0) await new Promise((resolve) => slots.waiting.push(resolve));
  else --slots.free;
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else ++slots.free;
  }
}

/// The files of `dir`, recursively.
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/// Installs the host's tree into its prefix; files the tree no longer installs go.
async function installOnce(host) {
  const tree = path.join(root, hosts[host].tree);
  await mustRun('cmake', ['--install', tree, '--prefix', prefix(host)]);
  const installed = new Set(readFileSync(path.join(tree, 'install_manifest.txt'), 'utf8').split('\n'));
  for (const file of filesUnder(prefix(host))) {
    if (!installed.has(file)) rmSync(file);
  }
}

const installs = new Map();
function install(host) {
  if (!installs.has(host)) installs.set(host, installOnce(host));
  return installs.get(host);
}

const builds = new Map();
/// The example's build directory for the host and build type ('' = none), built once;
/// `defines` (named by `tag`) go to the configure step.
function build(example, host, type = 'Release', { defines = [], tag = '' } = {}) {
  const dir = path.join(work, example, `${host}${tag}-${type || 'default'}`);
  if (!builds.has(dir)) {
    const done = inSlot(async () => {
      await install(host);
      // Configured once: the build reconfigures by itself when the project or the package changes.
      if (!existsSync(path.join(dir, 'build.ninja'))) {
        const [cmd, args] = hosts[host].configure();
        await mustRun(cmd, [...args, ...defines, '-S', path.join(root, 'examples', example), '-B', dir, '-G', 'Ninja',
          ...(type ? [`-DCMAKE_BUILD_TYPE=${type}`] : [])]);
      }
      await mustRun('cmake', ['--build', dir]);
      return dir;
    });
    done.catch(() => {});  // its test reports the failure
    builds.set(dir, done);
  }
  return builds.get(dir);
}

/// A test of `example` on `host`; its builds start now, so they run while earlier tests do.
function exampleTest(name, { example, host, types = ['Release'], skip, configure }, body) {
  skip ||= hosts[host].skip;
  const dirs = skip ? [] : types.map((type) => build(example, host, type, configure));
  test(name, { skip, timeout }, async () => body(...(await Promise.all(dirs))));
}

// ---- Chromium: one browser, one server for everything under build/examples ----
let chromium;
function browser() {
  chromium ??= (async () => {
    const server = await startServer({ root: work });
    const b = await launchBrowser();
    return { server, browser: b, page: await b.openPage(`${server.url}/`) };
  })();
  return chromium;
}
after(async () => {
  if (!chromium) return;
  const { server, browser: b } = await chromium;
  await b.close();
  await server.close();
});

/// Runs an Emscripten program (wasync_host_program's .mjs) in the page: its lines and exit status.
async function runInPage(file) {
  const { page } = await browser();
  const out = await page.evaluate(async (url) => {
    const lines = [];
    const errors = [];
    const status = await new Promise((resolve, reject) => {
      import(url).then((m) => m.default({
        print: (l) => lines.push(l),
        printErr: (l) => errors.push(l),
        onExit: resolve,
        onAbort: reject,
      })).catch((e) => (e && e.name === 'ExitStatus' ? resolve(e.status) : reject(e)));
    });
    return { lines, errors, status };
  }, `/${path.relative(work, file)}`);
  assert.deepEqual(page.errors.splice(0), [], 'no console errors in the page');
  return out;
}

// ---- hello: the README's first program, unchanged, on every host ----
const helloOut = 'a ready, b ready\nslow: timeout: deadline exceeded\n';

test("the README's first program is examples/hello/main.cpp", () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const first = readme.match(/```cpp\n([\s\S]*?)```/);
  assert.ok(first, 'README.md has a C++ block');
  assert.equal(first[1], readFileSync(path.join(root, 'examples/hello/main.cpp'), 'utf8'));
});

// Release builds are optimised and stripped: far below the unoptimised sizes
// (about 1.2 MB under WASI, 320 KB under Emscripten).
// WASI 0.3 components skip wasm-opt (Debian's Binaryen cannot read the exception handling their run export uses).
const releaseSizeLimit = { web: 200_000, wasi: 150_000, wasip2: 150_000, wasip3: 250_000 };
function assertReleaseSize(host, file) {
  const size = statSync(file).size;
  assert.ok(size < releaseSizeLimit[host], `${path.basename(file)} is ${size} bytes (Release, want < ${releaseSizeLimit[host]})`);
}

const helloHosts = [
  { on: 'natively', host: 'native', run: (dir) => run(path.join(dir, 'hello'), []) },
  { on: 'in Node (the installed runner)', host: 'web',
    run: (dir) => run(process.execPath, [path.join(prefix('web'), 'share/wasync/scripts/run-wasm.mjs'), path.join(dir, 'hello.mjs')]) },
  { on: 'in Chromium', host: 'web', skip: browserSkip, run: async (dir) => {
    const out = await runInPage(path.join(dir, 'hello.mjs'));
    assert.deepEqual(out.errors, []);
    return { status: out.status, stdout: out.lines.map((l) => `${l}\n`).join(''), stderr: '' };
  } },
  { on: 'under wasmtime 36 (WASI preview1)', host: 'wasi', run: (dir) => run(wasmtime36, ['run', path.join(dir, 'hello.wasm')]) },
  { on: 'under wasmtime 49 (WASI preview2 component)', host: 'wasip2',
    run: (dir) => run(wasmtime49, ['run', path.join(dir, 'hello.wasm')]) },
  { on: 'under wasmtime 49 -S p3 (WASI 0.3 component)', host: 'wasip3',
    run: (dir) => run(wasmtime49, ['run', '-S', 'p3', path.join(dir, 'hello.wasm')]) },
];
for (const { on, host, skip, run: runHello } of helloHosts) {
  for (const [type, label] of [['Release', 'a Release build'], ['', 'a build with no build type']]) {
    exampleTest(`hello: ${label} against the installed ${host} package runs ${on}`,
      { example: 'hello', host, types: [type], skip }, async (dir) => {
        const r = await runHello(dir);
        assert.equal(r.stdout, helloOut, r.stderr);
        assert.equal(r.status, 0, r.stderr);
        if (type === 'Release' && host !== 'native') {
          assertReleaseSize(host, path.join(dir, host === 'web' ? 'hello.mjs' : 'hello.wasm'));
        }
      });
  }
}

exampleTest('hello: with -DWASYNC_DEFAULT_HOST=wasi the preview2 package makes a preview1 module that runs under wasmtime 36',
  { example: 'hello', host: 'wasip2', configure: { defines: ['-DWASYNC_DEFAULT_HOST=wasi'], tag: '-p1' } }, async (dir) => {
    const r = await run(wasmtime36, ['run', path.join(dir, 'hello.wasm')]);
    assert.equal(r.stdout, helloOut, r.stderr);
    assert.equal(r.status, 0, r.stderr);
  });

test('find_package(wasync COMPONENTS wasip2) against the native prefix fails, naming the hosts the prefix has',
  { skip: hosts.native.skip, timeout }, async () => {
    const dir = path.join(work, 'components');
    await install('native');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'CMakeLists.txt'), 'cmake_minimum_required(VERSION 3.20)\nproject(c LANGUAGES CXX)\n' +
      'find_package(wasync 0.1 REQUIRED COMPONENTS wasip2)\n');
    const r = await run('cmake', ['-S', dir, '-B', path.join(dir, 'build'), `-DCMAKE_PREFIX_PATH=${prefix('native')}`]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr.replace(/\s+/g, ' '), /no host 'wasip2' in \S+, which has: native \(each host is installed into its own prefix/);
  });

// ---- js_module: C++ functions as a JS module (wasync_add_module) ----
const greeterOut = ['Hello, Ada!', '6.5', 'invalid_argument: name is empty', 'cancelled', '0'];

exampleTest('js_module: the module built against the installed web package works from Node',
  { example: 'js_module', host: 'web' }, async (dir) => {
    assert.ok(existsSync(path.join(dir, 'greeter.d.ts')), 'greeter.d.ts generated');
    const r = await run(process.execPath, [path.join(dir, 'main.mjs')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), greeterOut);
  });

exampleTest('js_module: the module built against the installed web package works in a Chromium page',
  { example: 'js_module', host: 'web', skip: browserSkip }, async (dir) => {
    const { server, browser: b } = await browser();
    const page = await b.openPage(`${server.url}/${path.relative(work, dir)}/index.html`);
    try {
      await page.waitForSelector('#out[data-done]', { timeout: 20_000 });
      assert.deepEqual((await page.textContent('#out')).trim().split('\n'), greeterOut);
      assert.deepEqual(page.errors, [], 'no console errors in the page');
    } finally {
      await page.close();
    }
  });

// ---- js_module as an npm package (wasync_add_module PACKAGE ... VERSION ...) ----
// The package folder the build writes is packed, installed offline into a
// fresh project and run as its users run it: Node (JS and strict
// TypeScript), a plain page with an import map, and Vite 7 and Vite 8, dev
// server and build, no config file; the pages in headless Chromium.
const greeterPackage = '@wasync-example/greeter';
const greeterApp = `import load, { WasyncError } from '${greeterPackage}';
export async function run(options) {
  const g = await load(options);
  const failed = await g.greet('').catch((e) => e);
  const timedOut = await g.greet('Bob', { delayMs: 60000, signal: AbortSignal.timeout(20) }).catch((e) => e);
  const range = await g.greet('Ada', { delayMs: 1, punctuation: 7 }).catch((e) => e.message);
  return [
    (await g.greet('Ada', { delayMs: 10 })).text,
    g.total([1, 2, 3.5]),
    \`\${failed instanceof WasyncError} \${failed.name} \${failed.code}: \${failed.message}\`,
    \`\${timedOut.name} \${timedOut.code}\`,
    range,
    g.wasyncDebug().tasks,
  ];
}
`;
const greeterResult = [
  'Hello, Ada!', 6.5, 'true WasyncError invalid_argument: name is empty', 'TimeoutError cancelled',
  'greet(): argument options.punctuation must be a string or undefined, not number', 0,
];

{
  const skip = hosts.web.skip;
  // The project: the tarball installed offline, app.js above, a page for Vite
  // (the bare import; and the .wasm's own export imported ?url) and a plain one.
  const project = skip ? null : (async () => {
    const dir = await build('js_module', 'web');
    const tmp = path.join(work, 'js_module', 'npm-consumer');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const tarball = pack(path.join(dir, 'npm/greeter'), tmp);
    const app = path.join(tmp, 'app');
    freshProject(app, tarball);
    writeFileSync(path.join(app, 'app.js'), greeterApp);
    writeFileSync(path.join(app, 'index.html'), `<!doctype html><meta charset="utf-8"><title>vite app</title>
<script type="module">
import { run } from './app.js';
import wasm from '${greeterPackage}/greeter.wasm?url';
window.result = Promise.all([run(), run({ wasm }).then((r) => r[1])]);
</script>\n`);
    writeFileSync(path.join(app, 'plain.html'), `<!doctype html><meta charset="utf-8"><title>plain</title>
<script type="importmap">{ "imports": { "${greeterPackage}": "./node_modules/${greeterPackage}/greeter.js" } }</script>
<script type="module">import { run } from './app.js'; window.result = run();</script>\n`);
    return { dir, tmp, tarball, app };
  })();
  project?.catch(() => {});  // each test reports the failure

  test('js_module: the package folder holds package.json, the module, its types, a README and nothing else', { skip, timeout }, async () => {
    const { dir, tarball } = await project;
    const files = tarballFiles(tarball);
    assert.deepEqual(files, ['package/README.md', 'package/greeter.d.ts', 'package/greeter.js', 'package/greeter.wasm', 'package/package.json']);
    const meta = JSON.parse(readFileSync(path.join(dir, 'npm/greeter/package.json'), 'utf8'));
    assert.equal(meta.name, greeterPackage);
    assert.equal(meta.version, '1.0.0');
    assert.equal(meta.license, 'MIT');
    assert.equal(meta.type, 'module');
    assert.deepEqual(meta.exports['.'], { types: './greeter.d.ts', default: './greeter.js' });
    assert.equal(meta.exports['./greeter.wasm'], './greeter.wasm');
    assert.equal(meta.sideEffects, false);
    const js = readFileSync(path.join(dir, 'npm/greeter/greeter.js'), 'utf8');
    assert.doesNotMatch(js, /module\.exports|define\(\[|exports\[/, 'no CommonJS/AMD tail');
    assert.match(readFileSync(path.join(dir, 'npm/greeter/README.md'), 'utf8'), /npm install @wasync-example\/greeter[^]*- `greet\(name: string/);
  });

  test('js_module: the installed package runs in Node, by name and with its .wasm export', { skip, timeout }, async () => {
    const { app } = await project;
    writeFileSync(path.join(app, 'node_check.mjs'), `import { run } from './app.js';
const wasm = new URL(import.meta.resolve('${greeterPackage}/greeter.wasm'));
console.log(JSON.stringify([await run(), (await run({ wasm }))[1]]));\n`);
    const r = await run(process.execPath, ['node_check.mjs'], { cwd: app });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [greeterResult, 6.5]);
  });

  test('js_module: strict tsc type-checks a TypeScript consumer of the installed package', { skip, timeout }, async () => {
    const { app } = await project;
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
        skipLibCheck: false, lib: ['es2022', 'dom'], types: [] },
      files: ['use.ts'],
    }));
    writeFileSync(path.join(app, 'use.ts'), `import load, { WasyncError, type Greeting, type WasyncErrorCode } from '${greeterPackage}';
export async function use(): Promise<string> {
  const g = await load();
  const hello: Greeting = await g.greet('Ada', { delayMs: 1, signal: AbortSignal.timeout(100) });
  const sum: number = g.total([1, 2]);
  // @ts-expect-error: total takes numbers
  g.total(['1']);
  try {
    await g.greet('');
  } catch (e) {
    if (e instanceof WasyncError) {
      const code: WasyncErrorCode = e.code;
      // @ts-expect-error: not an errc name
      if (e.code === 'no_such_code') return code;
    }
  }
  return hello.text + sum;
}
`);
    const r = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', app, '--pretty', 'false']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  describe('js_module: the installed package in headless Chromium', { skip: skip || browserSkip }, () => {
    let chrome;
    before(async () => {
      chrome = await launchBrowser();
    });
    after(async () => {
      await chrome?.close();
    });

    test('a plain <script type="module"> page with an import map', { timeout }, async () => {
      const { app } = await project;
      const server = await startServer({ root: app });
      try {
        const { result, errors } = await pageResult(chrome, `${server.url}/plain.html`);
        assert.deepEqual(errors, []);
        assert.deepEqual(result, greeterResult);
      } finally {
        await server.close();
      }
    });

    test('a server that answers the .wasm with an HTML page: load() rejects naming the cause and the fix', { timeout }, async () => {
      const { app } = await project;
      const html = (req, res) => {
        if (!req.url.endsWith('.wasm')) return false;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>app</title>');
        return true;
      };
      const server = await startServer({ root: app, routes: html });
      try {
        const { result } = await pageResult(chrome, `${server.url}/plain.html`);
        assert.fail(`loaded: ${result}`);
      } catch (e) {
        assert.match(e.message, /greeter\.wasm: fetching http:\S+\/greeter\.wasm gave text\/html starting "<!doctype html><title>app<\/title>", not WebAssembly\. The server does not have the file at the URL next to the module and answered with a fallback page: serve the \.wasm next to the \.js, or pass its URL as load\(\{ wasm \}\) \(with Vite: import wasm from '@wasync-example\/greeter\/greeter\.wasm\?url', or optimizeDeps: \{ exclude: \['@wasync-example\/greeter'\] \}\)\./);
      } finally {
        await server.close();
      }
    });

    for (const vite of vites) {
      test(`${vite.name}: the dev server, no config, serves an app that imports it`, { timeout }, async () => {
        const { app } = await project;
        const dev = await viteDev(vite, app);
        try {
          assert.equal(Number(dev.version.split('.')[0]), vite.major);
          const { result, errors } = await pageResult(chrome, `${dev.url}/index.html`);
          assert.deepEqual(errors, []);
          assert.deepEqual(result, [greeterResult, 6.5]);
          assert.deepEqual(dev.warnings, []);
        } finally {
          await dev.close();
        }
      });

      test(`${vite.name}: a build, no config, without warnings, ships the wasm and runs`, { timeout }, async () => {
        const { app, tmp } = await project;
        const outDir = path.join(tmp, `dist-vite${vite.major}`);
        const built = await viteBuild(vite, app, outDir);
        assert.deepEqual(built.warnings, []);
        assert.ok(built.assets.some((f) => /^greeter-.*\.wasm$/.test(f)), `the wasm is an emitted asset: ${built.assets}`);
        const server = await startServer({ root: outDir });
        try {
          const { result, errors } = await pageResult(chrome, `${server.url}/index.html`);
          assert.deepEqual(errors, []);
          assert.deepEqual(result, [greeterResult, 6.5]);
        } finally {
          await server.close();
        }
      });
    }
  });
}

// ---- stdin_workers: standard input, a bounded queue, worker tasks ----
const lines = ['the quick brown fox', 'jumps over', 'the lazy dog', 'one', 'two words', 'a b c d e f g'];

/// Every line handled once, by a worker of the three, with its word count; then the totals.
function assertWorkers(r) {
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.trim().split('\n');
  assert.equal(out.pop(), '6 lines, 19 words, 3 workers');
  const handled = out.map((l) => l.match(/^worker ([123]): (.*) \((\d+) words?\)$/));
  assert.ok(handled.every(Boolean), `unexpected output:\n${r.stdout}`);
  assert.deepEqual(handled.map((m) => m[2]).sort(), [...lines].sort());
  for (const m of handled) assert.equal(Number(m[3]), m[2].split(' ').length, m[0]);
  // The first three lines go to the three waiting workers: they work at once.
  assert.deepEqual(new Set(handled.map((m) => m[1])), new Set(['1', '2', '3']));
}

const input = `${lines.join('\n')}\n`;
for (const { on, host, run: runWorkers } of [
  { on: 'natively', host: 'native', run: (dir) => run(path.join(dir, 'stdin_workers'), [], { input }) },
  { on: 'under wasmtime 36 (WASI preview1)', host: 'wasi',
    run: (dir) => run(wasmtime36, ['run', path.join(dir, 'stdin_workers.wasm')], { input }) },
  { on: "in Node's WASI (the installed runner)", host: 'wasi',
    run: (dir) => run(process.execPath, [path.join(prefix('wasi'), 'share/wasync/scripts/run-wasm.mjs'),
      path.join(dir, 'stdin_workers.wasm')], { input }) },
  { on: 'under wasmtime 49 (WASI preview2 component)', host: 'wasip2',
    run: (dir) => run(wasmtime49, ['run', path.join(dir, 'stdin_workers.wasm')], { input }) },
  { on: 'under wasmtime 49 -S p3 (WASI 0.3 component)', host: 'wasip3',
    run: (dir) => run(wasmtime49, ['run', '-S', 'p3', path.join(dir, 'stdin_workers.wasm')], { input }) },
]) {
  exampleTest(`stdin_workers: built against the installed ${host} package, three workers drain standard input ${on}`,
    { example: 'stdin_workers', host }, async (dir) => assertWorkers(await runWorkers(dir)));
}

// ---- http_component: a handler as a wasi:http component under `wasmtime serve` ----
/// GET `target` on `port`: {status, body}.
function httpGet(port, target) {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let text = '';
    c.on('data', (d) => { text += d; });
    c.on('end', () => resolve({ status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
    c.on('error', reject);
  });
}

for (const host of ['wasip2', 'wasip3']) {
  exampleTest(`http_component: built against the installed ${host} package, wasmtime serve answers through its handler`,
    { example: 'http_component', host }, async (dir) => {
      const port = await closedPort();
      const child = spawn(wasmtime49, ['serve', '-S', 'cli', '--addr', `127.0.0.1:${port}`, path.join(dir, 'http_component.wasm')],
        { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
      try {
        while (!stderr.includes('Serving HTTP on')) {
          assert.equal(child.exitCode, null, `wasmtime serve exited: ${stderr}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const [later, now] = await Promise.all([httpGet(port, '/later'), httpGet(port, '/now?x=1')]);
        assert.deepEqual(now, { status: 200, body: 'hello from GET /now?x=1\n' });
        assert.deepEqual(later, { status: 200, body: 'hello from GET /later\n' });
        assertReleaseSize(host, path.join(dir, 'http_component.wasm'));
      } finally {
        child.kill('SIGKILL');
      }
    });
}

// ---- tcp_client: a line client, against a server that answers in capitals ----
async function capitalsServer() {
  const server = net.createServer((socket) => {
    let pending = '';
    socket.on('data', (d) => {
      pending += d;
      for (let i; (i = pending.indexOf('\n')) >= 0; pending = pending.slice(i + 1)) {
        socket.write(`${pending.slice(0, i).toUpperCase()}\n`);
      }
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/// A port nothing listens on.
async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

for (const { on, host, cmd } of [
  { on: 'natively', host: 'native', cmd: (dir) => [path.join(dir, 'tcp_client'), []] },
  { on: 'under wasmtime 49 (WASI preview2 component)', host: 'wasip2',
    cmd: (dir) => [wasmtime49, ['run', '-S', 'inherit-network', '-S', 'allow-ip-name-lookup', path.join(dir, 'tcp_client.wasm')]] },
  { on: 'under wasmtime 49 -S p3 (WASI 0.3 component)', host: 'wasip3',
    cmd: (dir) => [wasmtime49, ['run', '-S', 'p3', '-S', 'inherit-network', '-S', 'allow-ip-name-lookup',
      path.join(dir, 'tcp_client.wasm')]] },
]) {
  exampleTest(`tcp_client: built against the installed ${host} package, it talks to a TCP server ${on}`,
    { example: 'tcp_client', host }, async (dir) => {
      const server = await capitalsServer();
      try {
        const [program, args] = cmd(dir);
        const r = await run(program, [...args, 'localhost', String(server.address().port), 'hello', 'two words']);
        assert.equal(r.stdout, 'hello -> HELLO\ntwo words -> TWO WORDS\n', r.stderr);
        assert.equal(r.status, 0, r.stderr);
      } finally {
        server.close();
      }
    });

  exampleTest(`tcp_client: built against the installed ${host} package, a refused connection is one line on stderr ${on}`,
    { example: 'tcp_client', host }, async (dir) => {
      const [program, args] = cmd(dir);
      const port = await closedPort();
      const r = await run(program, [...args, '127.0.0.1', String(port), 'hello']);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^tcp_client: connection_refused: connect to 127\\.0\\.0\\.1:${port}: connection refused\\n$`, 'i'));
      assert.equal(r.status, 1);
    });
}

// ---- add_subdirectory (FetchContent_MakeAvailable does the same) ----
// wasync's CMake functions are called from the consumer's folders, which never
// saw the variables of wasync's own: a preview2 component needs its adapter
// and an Emscripten program its Node shim all the same. The preview2 tree is
// built and run (build/examples-subdirectory is kept: a rerun only rebuilds
// what changed); the Emscripten one is configured and its link command read.
const subdirectory = path.join(root, 'tests/examples/subdirectory');

/// Starts now, after the examples' builds: the result of `work` in a slot.
function scheduled(work) {
  const done = inSlot(work);
  done.catch(() => {});  // its test reports the failure
  return done;
}

{
  const skip = !existsSync(wasmtime49) && `${wasmtime49} missing (scripts/setup.sh)`;
  const dir = path.join(root, 'build/examples-subdirectory/wasip2');
  const built = !skip && scheduled(async () => {
    await mustRun('cmake', ['-S', subdirectory, '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
      `-DWASYNC_SOURCE_DIR=${root}`, `-DCMAKE_TOOLCHAIN_FILE=${root}/cmake/wasi.toolchain.cmake`, '-DWASYNC_WASI_PREVIEW2=ON']);
    // Linked afresh: a component step that failed once leaves the core module
    // behind, which Ninja takes as up to date when the command is back to one
    // it ran before.
    rmSync(path.join(dir, 'hello.wasm'), { force: true });
    await mustRun('cmake', ['--build', dir, '-j', '2', '--target', 'hello']);
  });
  test('add_subdirectory: the first program builds with wasync as a subproject into a preview2 component and runs under wasmtime 49',
    { skip, timeout }, async () => {
      await built;
      const r = await run(wasmtime49, ['run', path.join(dir, 'hello.wasm')]);
      assert.equal(r.stdout, helloOut, r.stderr);
      assert.equal(r.status, 0, r.stderr);
    });
}

{
  const dir = path.join(root, 'build/examples-subdirectory/web');
  const commands = scheduled(async () => {
    await mustRun('emcmake', ['cmake', '-S', subdirectory, '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
      `-DWASYNC_SOURCE_DIR=${root}`]);
    return (await mustRun('ninja', ['-C', dir, '-t', 'commands', 'hello'])).stdout;
  });
  test('add_subdirectory: under Emscripten the first program links as an ES module with the Node shim',
    { timeout }, async () => {
      const all = await commands;
      const link = all.split('\n').find((c) => /-o hello\.mjs\b/.test(c));
      assert.ok(link, `no link step for hello.mjs in:\n${all}`);
      assert.match(link, /-sMODULARIZE=1/);
      const shim = link.match(/--extern-pre-js=(\S+)/);
      assert.ok(shim && existsSync(shim[1]), `the link names an existing Node shim: ${link}`);
      assert.match(link, /--js-library=\S+\/web\/js\/loop\.js/);
    });
}
