// The README's example (bindings/example) built the way a user builds it:
// against an installed wasync (find_package + wasync_add_module), then run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const build = path.join(root, 'build/em-noexc');
const skip = !existsSync(path.join(build, 'bindings/libwasync_bind.a')) && 'build/em-noexc has no wasync::bind (scripts/test.sh builds it)';

test('the example module builds against an installed wasync and runs in Node', { skip, timeout: 300000 }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wasync-module-'));
  try {
    const env = { ...process.env, NODE_PATH: ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(':') };
    const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = path.join(tmp, 'prefix');
    run('cmake', ['--install', build, '--prefix', prefix]);
    const b = path.join(tmp, 'b');
    run('emcmake', ['cmake', '-S', path.join(root, 'bindings/example'), '-B', b, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
      `-Dwasync_DIR=${path.join(prefix, 'lib/cmake/wasync')}`]);
    run('cmake', ['--build', b]);
    assert.ok(existsSync(path.join(b, 'greeter.d.ts')));
    assert.deepEqual(run(process.execPath, [path.join(b, 'main.mjs')]).trim().split('\n'),
      ['Hello, Ada!', '6.5', 'invalid_argument: name is empty', 'cancelled', '0']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
