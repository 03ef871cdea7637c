// The core scenarios give the same trace on every host they ship to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { wasmtime, wasmtime49, noWasmtime49 } from '../wasi/wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const expected = readFileSync(path.join(root, 'tests/scenarios/core_scenarios.expected'), 'utf8');
const runWasm = path.join(root, 'scripts/run-wasm.mjs');
const wasiScenarios = path.join(root, 'build/wasi/tests/core_scenarios.wasm');
const wasip2Scenarios = path.join(root, 'build/wasip2/tests/core_scenarios.wasm');
const wasip3Scenarios = path.join(root, 'build/wasip3/tests/core_scenarios.wasm');
const noWasmtime = !existsSync(wasmtime) && `${wasmtime} missing (scripts/setup.sh installs wasmtime)`;

const hosts = [
  { name: 'native', cmd: [path.join(root, 'build/native/tests/core_scenarios')] },
  { name: 'native without exceptions', cmd: [path.join(root, 'build/native-noexc/tests/core_scenarios')] },
  { name: 'Emscripten in Node', cmd: [process.execPath, runWasm, path.join(root, 'build/em-noexc/tests/core_scenarios.mjs')] },
  { name: 'Emscripten with wasm exceptions in Node', cmd: [process.execPath, runWasm, path.join(root, 'build/em-exc/tests/core_scenarios.mjs')] },
  { name: 'WASI under node:wasi', cmd: [process.execPath, runWasm, wasiScenarios] },
  { name: 'WASI under wasmtime', cmd: [wasmtime, 'run', wasiScenarios], skip: noWasmtime },
  { name: 'WASI under wasmtime -S preview2=n', cmd: [wasmtime, 'run', '-S', 'preview2=n', wasiScenarios], skip: noWasmtime },
  { name: 'WASI preview2 component under wasmtime 49', cmd: [wasmtime49, 'run', wasip2Scenarios], skip: noWasmtime49 },
  { name: 'WASI 0.3 component under wasmtime 49 -S p3', cmd: [wasmtime49, 'run', '-S', 'p3', wasip3Scenarios],
    skip: noWasmtime49 },
];

for (const host of hosts) {
  const artifact = host.cmd.find((a) => /core_scenarios(\.mjs|\.wasm)?$/.test(a));
  const skip = host.skip || (!existsSync(artifact) && `${artifact} not built (scripts/test.sh builds it)`);
  test(`core scenarios match the expected trace: ${host.name}`, { skip }, () => {
    const r = spawnSync(host.cmd[0], host.cmd.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.stderr, '', 'no stderr output');
    assert.equal(r.status, 0, `exit status (signal ${r.signal})`);
    assert.equal(r.stdout, expected);
  });
}
