// A C++ user's project finds an installed wasync with find_package and runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const build = path.join(root, 'build/native');

test('an installed wasync builds and runs a consumer project', { skip: !existsSync(path.join(build, 'build.ninja')) && 'build/native not configured (scripts/test.sh does it)' }, () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wasync-install-'));
  try {
    const prefix = path.join(tmp, 'prefix');
    const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run('cmake', ['--install', build, '--prefix', prefix]);
    run('cmake', ['-S', path.join(root, 'tests/consumer'), '-B', path.join(tmp, 'b'), '-G', 'Ninja', `-DCMAKE_PREFIX_PATH=${prefix}`]);
    run('cmake', ['--build', path.join(tmp, 'b')]);
    assert.equal(run(path.join(tmp, 'b/consumer'), []).trim(), '42');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
