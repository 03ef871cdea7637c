// The npm package's package.json, written into dist/npm by scripts/npm-dist.sh.
// dist/npm is the package's root (npm pack ./dist/npm, npm publish ./dist/npm), so
// the tarball's README is the package's own (package/README.md, for JS users),
// not the repository's. The repository's package.json is for working on
// wasync (private: its scripts and devDependencies); the package takes its
// name, version, license, engines and peer dependencies from it, and says
// what it is to JS users in its own words.
//   node scripts/lib/npm_manifest.mjs <repository package.json> <out>
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/// The package's manifest from the repository's `repo` (parsed package.json).
export function packageManifest(repo) {
  return {
    name: repo.name,
    version: repo.version,
    description: 'Cancellable async for JavaScript on a C++ coroutine runtime in WebAssembly: sleep and timeout ' +
      'with AbortSignal, fetchAll with a concurrency limit, a WebSocket client read with for await',
    type: 'module',
    license: repo.license,
    engines: repo.engines,
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      './wasync_core.wasm': './wasync_core.wasm',
      './package.json': './package.json',
    },
    types: './index.d.ts',
    // README.md, LICENSE and package.json are always packed.
    files: ['*.js', '*.d.ts', '*.wasm'],
    sideEffects: false,
    peerDependencies: repo.peerDependencies,
    peerDependenciesMeta: repo.peerDependenciesMeta,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  writeFileSync(to, `${JSON.stringify(packageManifest(JSON.parse(readFileSync(from, 'utf8'))), null, 2)}\n`);
}
