// Random task programs (random_programs.cpp): the same seeds give the same
// trace with and without exceptions and under ASan+UBSan, and leave nothing
// alive but the tasks of programs whose awaits form a cycle (reported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seeds = ['1', '20000'];
const builds = [
  { name: 'exceptions on', dir: 'build/native' },
  { name: 'exceptions off', dir: 'build/native-noexc' },
  // Cyclic programs leave their tasks alive on purpose: leaks are counted by the program.
  { name: 'ASan+UBSan', dir: 'build/native-asan', env: { ASAN_OPTIONS: 'detect_leaks=0:halt_on_error=1', UBSAN_OPTIONS: 'halt_on_error=1' } },
];

function runBuild(b) {
  const exe = path.join(root, b.dir, 'tests/random_programs');
  return spawnSync(exe, seeds, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...b.env } });
}

const missing = builds.map((b) => path.join(root, b.dir, 'tests/random_programs')).find((f) => !existsSync(f));
test('random task programs give one trace in both exception modes and under sanitizers, and leak nothing', {
  skip: missing && `${missing} not built (scripts/test.sh builds it)`,
}, () => {
  const runs = builds.map(runBuild);
  runs.forEach((r, i) => assert.equal(r.status, 0, `${builds[i].name}: exit ${r.status} (signal ${r.signal}); ${r.stderr.slice(-2000)}`));
  const reference = runs[0];
  assert.equal(reference.stdout.split('\n== seed').length - 1 + 1, Number(seeds[1]), 'every seed traced');
  assert.doesNotMatch(reference.stdout, /^LEAK/m);
  for (let i = 1; i < runs.length; ++i) {
    assert.equal(runs[i].stdout, reference.stdout, `${builds[i].name}: same trace as ${builds[0].name}`);
    assert.equal(runs[i].stderr, reference.stderr, `${builds[i].name}: same reports as ${builds[0].name}`);
  }
});
