// run(main) as the entry point on every host: main's status is the exit
// status, leftovers are cancelled and awaited (their failures reported), a
// failing or deadlocked main exits non-zero with the error on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { wasmtime, wasmtime49, noWasmtime49 } from '../wasi/wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runWasm = path.join(root, 'scripts/run-wasm.mjs');
const built = (p) => path.join(root, p);

// Preview2 components exit 0 or 1 (wasi:cli/exit's exit-with-code is unstable
// in 0.2; WASI 0.3 has it).
const hosts = [
  { name: 'native', cmd: [built('build/native/tests/run_probe')] },
  { name: 'native without exceptions', cmd: [built('build/native-noexc/tests/run_probe')] },
  { name: 'Emscripten in Node', cmd: [process.execPath, runWasm, built('build/em-noexc/tests/run_probe.mjs')] },
  { name: 'Emscripten with wasm exceptions in Node',
    cmd: [process.execPath, runWasm, built('build/em-exc/tests/run_probe.mjs')] },
  { name: 'WASI preview1 under wasmtime 36', cmd: [wasmtime, 'run', built('build/wasi/tests/run_probe.wasm')] },
  { name: 'WASI preview2 under wasmtime 49', cmd: [wasmtime49, 'run', built('build/wasip2/tests/run_probe.wasm')],
    skip: noWasmtime49, binaryStatus: true },
  { name: 'WASI 0.3 under wasmtime 49 -S p3',
    cmd: [wasmtime49, 'run', '-S', 'p3', built('build/wasip3/tests/run_probe.wasm')], skip: noWasmtime49 },
];

function runProbe(host, mode) {
  const r = spawnSync(host.cmd[0], [...host.cmd.slice(1), mode], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined, String(r.error));
  return r;
}
const status = (host, n) => (host.binaryStatus ? Math.min(n, 1) : n);

for (const host of hosts) {
  const artifact = host.cmd.find((a) => /run_probe(\.mjs|\.wasm)?$/.test(a));
  const skip = host.skip || (!existsSync(artifact) && `${artifact} not built (scripts/test.sh builds it)`);

  test(`run: main's value is the exit status, after leftovers were cancelled and cleaned up (${host.name})`,
    { skip }, () => {
      const r = runProbe(host, 'value');
      assert.equal(r.stdout, 'main done\nleftover cleanup\n');
      assert.equal(r.stderr, '');
      assert.equal(r.status, status(host, 3));
    });

  test(`run: a failing main exits 1 with its error on stderr (${host.name})`, { skip }, () => {
    const r = runProbe(host, 'fails');
    assert.match(r.stderr, /main task failed: user 1000: broken/);
    assert.equal(r.status, 1);
  });

  test(`run: a deadlocked main fails with errc::deadlock (${host.name})`, { skip }, () => {
    const r = runProbe(host, 'deadlock');
    assert.match(r.stderr, /main task failed: deadlock: the main task waits on nothing that can wake it/);
    assert.equal(r.status, 1);
  });

  test(`run: a leftover failing during the shutdown is reported, not lost (${host.name})`, { skip }, () => {
    const r = runProbe(host, 'leftover_fails');
    assert.match(r.stderr, /error in task 'stubborn' while shutting down: user 1000: failed while shutting down/);
    assert.equal(r.status, 0);
  });
}
