// The WASI timers + stdin demo (demos/wasi/upcase.cpp) under every WASI host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts, runProgram } from './wasi_support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Components come from build/wasip2 and build/wasip3.
const demoOf = (host) => path.join(root, host.buildDir, 'demos/wasi/upcase.wasm');
const stamped = (out) => out.trim().split('\n').map((l) => l.replace(/^\[\s*\d+\.\d{3}\] /, ''));

for (const host of hosts) {
  const demo = demoOf(host);
  const skip = host.skip || (!existsSync(demo) && `${demo} not built (scripts/test.sh builds it)`);
  // wasi:cli/exit 0.2 carries only success or failure (exit-with-code is unstable,
  // behind -S cli-exit-with-code): under preview2 every failure exits with 1.
  const idleStatus = host.binaryStatus ? 1 : 2;

  test(`upcase echoes each line upper-cased and exits 0 at the end of input [${host.name}]`, { skip }, async () => {
    const r = await runProgram(host, demo, ['5'], { input: ['hello\n', 100, 'wa', 100, 'sync\n\nlast'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(stamped(r.stdout), ['HELLO', 'WASYNC', '', 'LAST']);
  });

  test(`upcase prints idle and exits ${idleStatus} after the idle time without input [${host.name}]`, { skip }, async () => {
    const r = await runProgram(host, demo, ['0.3'], { input: ['one\n', 1000, 'too late\n'] });
    assert.equal(r.status, idleStatus, r.stderr);
    assert.deepEqual(stamped(r.stdout), ['ONE', 'idle']);
    const idleAt = Number(/\[\s*(\d+\.\d+)\] idle/.exec(r.stdout)[1]);
    assert.ok(idleAt >= 0.3 && idleAt < 0.45, `idle reported at ${idleAt} s`);
  });
}
