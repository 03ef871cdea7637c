// The npm package's package.json (scripts/lib/npm_manifest.mjs), which
// scripts/npm-dist.sh writes into dist/npm, the package's root.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packageManifest } from '../../scripts/lib/npm_manifest.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repo = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const manifest = packageManifest(repo);

test('the repository is private: only dist/npm is published', () => {
  assert.equal(repo.private, true);
  assert.equal(repo.exports, undefined);
  assert.equal(repo.files, undefined);
});

test('the package takes name, version, license, engines and peer dependencies from the repository', () => {
  for (const key of ['name', 'version', 'license', 'engines', 'peerDependencies', 'peerDependenciesMeta']) {
    assert.deepEqual(manifest[key], repo[key], key);
  }
  for (const key of ['private', 'scripts', 'devDependencies']) assert.equal(manifest[key], undefined, key);
});

test('exports point into the package root, types first, with the wasm as its own subpath', () => {
  assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'default']);
  assert.deepEqual(manifest.exports, {
    '.': { types: './index.d.ts', default: './index.js' },
    './wasync_core.wasm': './wasync_core.wasm',
    './package.json': './package.json',
  });
  assert.equal(manifest.types, './index.d.ts');
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.sideEffects, false);
});
