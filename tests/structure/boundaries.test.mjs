// Layer boundaries are link dependencies, checked here as includes: runtime/
// is host-agnostic (standard library only), host headers stay in their host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(c|cc|cpp|h|hpp)$/.test(name)) out.push(p);
  }
  return out;
}

function includes(file) {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*#\s*include\s*([<"])([^>"]+)[>"]/gm)].map((m) => ({
    angle: m[1] === '<',
    name: m[2],
  }));
}

// Standard C++ headers have neither a ".h" suffix nor a directory, except the
// coroutine header of older libc++ (Emscripten 3.1.6), which the compat header wraps.
const isStandard = (name) => (!name.includes('/') && !name.endsWith('.h')) || name === 'experimental/coroutine';

test('the core runtime and wasync::http include only the standard library and their own headers', () => {
  const files = ['runtime/include', 'runtime/src', 'http/include', 'http/src'].flatMap((d) => sources(path.join(root, d)));
  assert.ok(files.length > 10, 'found the runtime sources');
  const violations = [];
  for (const f of files) {
    for (const inc of includes(f)) {
      // Private headers next to the sources are included by bare name.
      const ok = inc.angle ? isStandard(inc.name) : inc.name.startsWith('wasync/') || !inc.name.includes('/');
      if (!ok) violations.push(`${path.relative(root, f)}: ${inc.name}`);
    }
  }
  assert.deepEqual(violations, []);
});

// Host code and the tests and benches of that host may include its headers; nothing else.
test('only web/ includes Emscripten headers and only wasi/ includes WASI headers', () => {
  const violations = [];
  for (const dir of ['runtime', 'http', 'native', 'bindings', 'tests', 'bench', 'demos', 'web', 'wasi']) {
    for (const f of sources(path.join(root, dir))) {
      const rel = path.relative(root, f);
      for (const inc of includes(f)) {
        const isHost = (host) => [`${host}/`, `tests/${host}/`, `bench/${host}/`].some((d) => rel.startsWith(d));
        if (/^emscripten/.test(inc.name) && !isHost('web')) violations.push(`${rel}: ${inc.name}`);
        if (/^wasi\//.test(inc.name) && !isHost('wasi')) violations.push(`${rel}: ${inc.name}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the compat header is the only place that names the coroutine library', () => {
  const offenders = sources(path.join(root, 'runtime'))
    .filter((f) => includes(f).some((i) => /coroutine$/.test(i.name)))
    .map((f) => path.relative(root, f));
  assert.deepEqual(offenders, ['runtime/include/wasync/detail/coro.hpp']);
});

// Each host folder and the public headers it owns.
const hosts = {
  native: ['native_host.hpp', 'epoll_reactor.hpp'],
  web: ['web_host.hpp', 'js_promise.hpp', 'js_value.hpp', 'websocket.hpp'],
  'wasi/p1': ['wasi_host.hpp', 'poll_reactor.hpp', 'preopened_listener.hpp'],
  'wasi/p2': ['wasip2_host.hpp', 'pollable_reactor.hpp'],
  'wasi/p3': ['wasip3_host.hpp', 'waitable_reactor.hpp'],
};
const hostOf = (header) => Object.keys(hosts).find((h) => hosts[h].some((name) => header === `wasync/${name}`));

test('the host folders are the ones the layer rules name', () => {
  for (const [host, headers] of Object.entries(hosts))
    for (const h of headers) assert.ok(existsSync(path.join(root, host, 'include/wasync', h)), `${host}/include/wasync/${h}`);
});

test('the core and wasync::http include no host header', () => {
  const violations = ['runtime', 'http']
    .flatMap((d) => sources(path.join(root, d)))
    .flatMap((f) => includes(f).filter((i) => hostOf(i.name)).map((i) => `${path.relative(root, f)}: ${i.name}`));
  assert.deepEqual(violations, []);
});

test('no host includes another host\'s headers', () => {
  const violations = [];
  for (const host of Object.keys(hosts)) {
    for (const f of sources(path.join(root, host))) {
      for (const inc of includes(f)) {
        const owner = hostOf(inc.name);
        if (owner && owner !== host) violations.push(`${path.relative(root, f)}: ${inc.name}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the core and the hosts reach reactors by type, never with dynamic_cast', () => {
  const offenders = ['runtime', 'http', 'native', 'web', 'wasi', 'bindings']
    .flatMap((d) => sources(path.join(root, d)))
    .filter((f) => !f.includes(`${path.sep}gen${path.sep}`) && /\bdynamic_cast\b/.test(readFileSync(f, 'utf8')))
    .map((f) => path.relative(root, f));
  assert.deepEqual(offenders, []);
});

// The public part of a class declaration: from its opening line to its first
// `private:` or `protected:`.
function publicPart(file, opening) {
  const text = readFileSync(path.join(root, file), 'utf8');
  const start = text.indexOf(opening);
  assert.ok(start >= 0, `${file} declares ${opening}`);
  const rest = text.slice(start);
  return rest
    .slice(0, rest.search(/^\s*(private|protected):/m))
    .replace(/\/\/.*$/gm, '');
}

test('a task\'s state is private: task_context shows member functions, no data members', () => {
  const pub = publicPart('runtime/include/wasync/detail/core.hpp', 'class task_context {');
  // A data member is a declaration ending in `;` or `= value;` with no parameter list.
  const fields = pub
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[\w:<>*&\s]+\s+\w+(\s*=\s*[^;(]+)?;$/.test(l) && !/^(using|friend|enum|class|struct)\b/.test(l));
  assert.deepEqual(fields, []);
});

test('the loop keeps its task bookkeeping to itself: no schedule, adopt, forget or observe in its public part', () => {
  const pub = publicPart('runtime/include/wasync/event_loop.hpp', 'class event_loop {');
  assert.deepEqual(pub.match(/\b(schedule|adopt|forget|observe)\s*\(/g) ?? [], []);
});
