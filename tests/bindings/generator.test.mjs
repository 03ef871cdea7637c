// wasync-bindgen: the fixture header's TypeScript declarations match the
// expected file byte for byte; tsc accepts a consumer that uses them and
// rejects exactly the misuses in another; bad declarations fail clearly.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../bindings/generator/wasync-bindgen.mjs';
import { ERRC_NAMES } from '../../bindings/generator/emit.mjs';
import { esmGlue, packageJson, writePackage } from '../../bindings/generator/wasync-package.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixtureHeader = path.join(here, 'fixture/fixture_api.hpp');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

const gen = (text) => generate('m', text, { source: 'api.hpp', include: 'api.hpp' });

test('the fixture header generates exactly the expected .d.ts', () => {
  const out = generate('fixture', readFileSync(fixtureHeader, 'utf8'), { source: 'fixture_api.hpp', include: fixtureHeader });
  assert.equal(out.dts, readFileSync(path.join(here, 'fixture/fixture.d.ts'), 'utf8'));
});

function runTsc() {
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(here, 'types/tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    return { code: 0, out: '' };
  } catch (e) {
    return { code: e.status, out: e.stdout };
  }
}

test('tsc type-checks a consumer of the fixture declarations and rejects exactly its misuses', () => {
  const { code, out } = runTsc();
  const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
  assert.equal(code === 0, false, 'tsc must fail on the misuse file');
  assert.deepEqual(errors.filter((l) => !l.includes('misuses_fixture.ts(')), [], 'the correct consumer type-checks');
  const misuse = readFileSync(path.join(here, 'types/misuses_fixture.ts'), 'utf8').split('\n');
  const expected = misuse.flatMap((l, i) => (l.includes('// expect error') ? [i + 1] : []));
  const reported = [...new Set(errors.map((l) => Number(/misuses_fixture\.ts\((\d+),/.exec(l)?.[1])))];
  assert.deepEqual(reported.sort((a, b) => a - b), expected);
});

describe('declarations the generator refuses, with the reason and line', () => {
  const cases = [
    ['a pointer parameter', 'WASYNC_EXPORT int f(int* p);', /api\.hpp:1: pointers cannot cross/],
    ['a reference parameter of an async function', 'WASYNC_EXPORT wasync::task<int> f(const std::string& s);', /takes its parameters by value/],
    ['a non-const reference', 'WASYNC_EXPORT int f(std::string& s);', /only const references/],
    ['a default argument', 'WASYNC_EXPORT int f(int a = 1);', /default arguments are not supported/],
    ['an unknown type', 'WASYNC_EXPORT int f(widget w);', /unknown type widget/],
    ['a task parameter', 'WASYNC_EXPORT int f(wasync::task<int> t);', /task<T> is only a return type/],
    ['an unnamed parameter', 'WASYNC_EXPORT int f(int);', /needs a name/],
    ['two functions with one JS name', 'WASYNC_EXPORT int do_it();\nWASYNC_EXPORT int doIt();', /api\.hpp:2: two exported functions are named doIt/],
    ['a record with a member function', 'struct WASYNC_RECORD r { int a; int f(); };', /member functions are not supported/],
    ['an empty record', 'struct WASYNC_RECORD r {};', /record r has no fields/],
    ['an unsupported template', 'WASYNC_EXPORT int f(std::map<int> m);', /unsupported type std::map/],
    ['a span of anything but const bytes', 'WASYNC_EXPORT int f(std::span<int> s);', /std::span<const std::byte>/],
  ];
  for (const [what, text, pattern] of cases) {
    test(what, () => assert.throws(() => gen(text), (e) => e.name === 'Error' && pattern.test(e.message)));
  }
});

test('namespaces qualify the glue, snake_case becomes camelCase, comments become TSDoc', () => {
  const out = gen(`
    namespace outer::inner {
    /// Says hello.
    WASYNC_EXPORT std::string say_hello(std::string_view user_name);  // not a doc
    }
    /* not exported */ int helper(int x);`);
  assert.match(out.cpp, /::outer::inner::say_hello\(std::move\(user_name\)\)/);
  assert.match(out.dts, /\/\*\* Says hello\. \*\/\n {2}sayHello\(userName: string\): string;/);
  assert.doesNotMatch(out.dts, /helper/);
});

test('WasyncErrorCode names exactly what wasync::to_string(errc) returns for a failure', () => {
  const source = readFileSync(path.join(root, 'runtime/src/error.cpp'), 'utf8');
  const body = source.slice(source.indexOf('const char* to_string(errc code)'));
  const names = [...body.slice(0, body.indexOf('\n}\n')).matchAll(/"([a-z_]+)"/g)].map((m) => m[1]).filter((n) => n !== 'ok');
  assert.deepEqual([...ERRC_NAMES].sort(), [...new Set(names)].sort());
});

test('a module in an npm package knows its .wasm under node_modules; one outside knows none', () => {
  const text = 'WASYNC_EXPORT int f(int a);';
  const where = (npm) => /const wasyncBindWhere = (.*);/.exec(generate('m', text, { source: 'api.hpp', include: 'api.hpp', npm }).js)[1];
  assert.equal(where(undefined), "{ wasm: new URL('./m.wasm', import.meta.url), file: 'm.wasm' }");
  assert.equal(where({ name: '@me/m', dir: '' }), `{ wasm: new URL('./m.wasm', import.meta.url), file: 'm.wasm', pkg: "@me/m", npm: "@me/m/m.wasm" }`);
  assert.match(where({ name: 'wasync', dir: 'dist/npm' }), /npm: "wasync\/dist\/npm\/m\.wasm"/);
});

describe('wasync-package', () => {
  const emscripten = `var wasyncFactory = (() => { return (function(m) { return m; }); })();
if (typeof exports === 'object' && typeof module === 'object')
  module.exports = wasyncFactory;
else if (typeof define === 'function' && define['amd'])
  define([], function() { return wasyncFactory; });
else if (typeof exports === 'object')
  exports["wasyncFactory"] = wasyncFactory;
// ---- wasync bindings for the m module, generated by wasync-bindgen from api.hpp: do not edit.
export default load;
`;
  test('the glue loses Emscripten\'s CommonJS/AMD tail and nothing else, once', () => {
    const esm = esmGlue(emscripten);
    assert.equal(esm, emscripten.replace(/\nif \(typeof exports[^]*?(?=\n\/\/ ---- wasync)/, ''));
    assert.doesNotMatch(esm, /module\.exports|exports\[|define\(/);
    assert.equal(esmGlue(esm), esm);
  });
  test('an output it does not know, or not wasync\'s, is refused rather than shipped', () => {
    assert.throws(() => esmGlue(emscripten.replace('if (typeof exports', 'if (typeof window !== 1 && typeof exports')), /CommonJS exports left/);
    assert.throws(() => esmGlue('export default 1;\n', 'x.js'), /x\.js: no wasync bindings/);
  });
  test('package.json: ES module, types first, the .wasm as a subpath, files, sideEffects, engines, license', () => {
    const p = packageJson({ name: 'greeter', pkg: '@me/greeter', version: '1.2.3', license: 'MIT' });
    assert.deepEqual(p.exports, {
      '.': { types: './greeter.d.ts', default: './greeter.js' },
      './greeter.wasm': './greeter.wasm',
      './package.json': './package.json',
    });
    assert.deepEqual(Object.keys(p.exports['.']), ['types', 'default']);
    assert.equal(p.type, 'module');
    assert.deepEqual(p.files, ['greeter.js', 'greeter.wasm', 'greeter.d.ts']);
    assert.equal(p.sideEffects, false);
    assert.deepEqual(p.engines, { node: '>=20' });
    assert.equal(p.license, 'MIT');
    assert.equal(packageJson({ name: 'g', pkg: 'g', version: '0.1.0', licenseFile: 'L' }).license, 'SEE LICENSE IN LICENSE');
    assert.equal(packageJson({ name: 'g', pkg: 'g', version: '0.1.0' }).license, 'UNLICENSED');
  });
  test('the package folder: the module as an ES module, its wasm and types, LICENSE, a README listing the functions; nothing stale', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'wasync-package-'));
    try {
      const built = path.join(tmp, 'build');
      mkdirSync(built);
      const out = generate('greeter', 'struct WASYNC_RECORD g { int n; };\n/// Greets.\nWASYNC_EXPORT wasync::task<g> greet(std::string name);',
        { source: 'api.hpp', include: 'api.hpp' });
      writeFileSync(path.join(built, 'greeter.js'), emscripten.replace(/\/\/ ---- wasync bindings[^]*/, out.js));
      writeFileSync(path.join(built, 'greeter.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
      writeFileSync(path.join(built, 'greeter.d.ts'), out.dts);
      writeFileSync(path.join(tmp, 'LICENSE.txt'), 'the license text\n');
      const pkg = path.join(tmp, 'pkg');
      mkdirSync(pkg);
      writeFileSync(path.join(pkg, 'stale.js'), '');
      writePackage({ js: path.join(built, 'greeter.js'), pkg: 'greeter', version: '0.2.0', out: pkg, licenseFile: path.join(tmp, 'LICENSE.txt') });
      assert.deepEqual(readdirSync(pkg).sort(), ['LICENSE', 'README.md', 'greeter.d.ts', 'greeter.js', 'greeter.wasm', 'package.json']);
      assert.equal(readFileSync(path.join(pkg, 'LICENSE'), 'utf8'), 'the license text\n');
      assert.equal(JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).license, 'SEE LICENSE IN LICENSE');
      assert.doesNotMatch(readFileSync(path.join(pkg, 'greeter.js'), 'utf8'), /module\.exports/);
      assert.match(readFileSync(path.join(pkg, 'README.md'), 'utf8'), /^# greeter\n[^]*npm install greeter[^]*- `greet\(name: string, options\?: CallOptions\): Promise<G>`/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
  test('a bad package name or version is refused', () => {
    assert.throws(() => packageJson({ name: 'g', pkg: 'Greeter', version: '1.0.0' }), /"Greeter" is not a valid npm package name/);
    assert.throws(() => packageJson({ name: 'g', pkg: 'g', version: '1.0' }), /version "1\.0" is not x\.y\.z/);
  });
});
