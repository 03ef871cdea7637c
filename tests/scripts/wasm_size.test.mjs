// scripts/wasm-size.mjs: sections and function bodies of a wasm module, named from its name section.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, owner, wasmBytes } from '../../scripts/wasm-size.mjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const section = (id, bytes) => [id, bytes.length, ...bytes];
const name = (s) => [s.length, ...Buffer.from(s)];

// One imported function, two defined ones (bodies of 2 and 4 bytes), names for the defined ones.
const module = Buffer.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 0, 0]),
  ...section(2, [1, ...name('env'), ...name('f'), 0x00, 0]),
  ...section(3, [2, 0, 0]),
  ...section(10, [2, 2, 0, 0x0b, 4, 0, 0x01, 0x01, 0x0b]),
  ...section(0, [...name('name'), 1, 9, 2, 1, ...name('ab'), 2, ...name('cd')]),
]);

test('every function body is counted with its name and the index after the imports', () => {
  const a = analyze(module);
  assert.equal(a.total, module.length);
  assert.deepEqual(a.functions, [
    { index: 1, size: 3, name: 'ab' },
    { index: 2, size: 5, name: 'cd' },
  ]);
  assert.deepEqual(a.sections.map((s) => s.name), ['type', 'import', 'function', 'code', 'custom "name"']);
  assert.equal(a.sections.reduce((n, s) => n + s.size, 8), module.length);
});

test('the wasm inside an Emscripten SINGLE_FILE module is found', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasm-size-'));
  const file = path.join(dir, 'm.mjs');
  writeFileSync(file, `var wasmBinaryFile="data:application/octet-stream;base64,${module.toString('base64')}";`);
  assert.deepEqual(wasmBytes(file), module);
});

test('functions are grouped by who wrote them', () => {
  assert.equal(owner('wasync::event_loop::run_turn(wasync::time_point)'), 'wasync runtime');
  assert.equal(owner('wasync::fetch(wasync::fetch_request) (.resume)'), 'wasync web host');
  assert.equal(owner('std::__2::to_string(int)'), 'libc++/libc++abi');
  assert.equal(owner('wasync_bind_fn_get'), 'wasync bindings');
  assert.equal(owner('dlmalloc'), 'malloc');
  assert.equal(owner('printf_core'), 'libc and the rest');
  assert.equal(owner('(anonymous namespace)::program(int) (.resume)'), 'program');
});
