// What C++ and the JS libraries agree on comes from one file,
// web/bridge/constants.json: the generator makes the C++ header and the JS
// library from it, the build runs the generator, and a built module carries
// exactly those values (Module.wasyncConst). No JS library spells them itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProbe, root, skipUnlessBuilt, webBuilds } from './support/probe.mjs';

const spec = JSON.parse(readFileSync(path.join(root, 'web/bridge/constants.json'), 'utf8'));
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// The values as JS sees them: enums and constants by name, structs as byte offsets.
function expectedJs() {
  return Object.fromEntries(spec.items.map((item) => {
    if (item.kind !== 'struct') return [item.js, Object.fromEntries(item.values.map(([n, v]) => [camel(n), v]))];
    const layout = Object.fromEntries(item.fields.map(([n], i) => [camel(n), 4 * i]));
    return [item.js, { ...layout, sizeof: 4 * item.fields.length }];
  }));
}

for (const build of webBuilds) {
  test(`a built module carries the constants of web/bridge/constants.json (${build.name})`,
    { skip: skipUnlessBuilt('web_io_probe', build) }, async () => {
      const mod = await loadProbe('web_io_probe', build);
      assert.deepEqual(JSON.parse(JSON.stringify(mod.wasyncConst)), expectedJs());
    });
}

test('the generator makes a C++ header that declares every item, and a JS library that defines them', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'wasync-constants-'));
  try {
    const hpp = path.join(out, 'wasync/js_constants.hpp');
    const js = path.join(out, 'js_constants.js');
    execFileSync(process.execPath, [path.join(root, 'web/bridge/gen_constants.mjs'),
      path.join(root, 'web/bridge/constants.json'), hpp, js]);
    const header = readFileSync(hpp, 'utf8');
    for (const item of spec.items) {
      const name = item.cpp.split('::').pop();
      if (item.kind === 'struct') {
        assert.match(header, new RegExp(`struct ${name} \\{`));
        assert.match(header, new RegExp(`static_assert\\(sizeof\\(${name}\\) == ${4 * item.fields.length}\\);`));
        for (const [field, type] of item.fields) assert.match(header, new RegExp(`  ${type} ${field};`));
      } else {
        for (const [n, v] of item.values) {
          assert.match(header, item.kind === 'enum' ? new RegExp(`  ${n} = ${v},`) : new RegExp(`${item.underlying} ${n} = ${v};`));
        }
      }
    }
    let defined;
    globalThis.LibraryManager = { library: {} };
    globalThis.mergeInto = (_, library) => {
      defined = library;
    };
    new Function(readFileSync(js, 'utf8'))();
    assert.deepEqual(defined.$wasyncConst, expectedJs());
  } finally {
    delete globalThis.LibraryManager;
    delete globalThis.mergeInto;
    rmSync(out, { recursive: true, force: true });
  }
});

test('the JS libraries and the bindings runtime name the shared constants, never their numbers', () => {
  // A status, type tag, reply field or fixed id written as a number next to
  // what it stands for: `status === 2`, `reply + 12`, `return 5;` in a type switch.
  const files = [
    ...readdirSync(path.join(root, 'web/js')).map((f) => path.join(root, 'web/js', f)),
    path.join(root, 'bindings/js/bind_runtime.js'),
  ];
  const mirrored = /(status|reply|slot|type)\w*\s*(===|!==|\+)\s*\d|return [1-9];|\breturn 2;/;
  const offenders = [];
  for (const f of files.filter((f) => f.endsWith('.js'))) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (mirrored.test(line)) offenders.push(`${path.relative(root, f)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
