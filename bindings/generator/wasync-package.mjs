#!/usr/bin/env node
// wasync-package: finishes a module built by wasync_add_module (NAME.js,
// NAME.wasm and NAME.d.ts in one folder) and makes it a publishable npm
// package. cmake/wasync_module.cmake runs it after each link.
//
//   node wasync-package.mjs --js dir/NAME.js
//       NAME.js becomes a plain ES module: the CommonJS/AMD export tail
//       Emscripten's MODULARIZE output ends with goes (bundlers warn about
//       `module` and `exports` in an ES module). Harmless to run twice.
//   node wasync-package.mjs --js dir/NAME.js --package npm-name --version x.y.z --out pkg-dir
//       [--license SPDX-id] [--license-file file] [--description text] [--readme file]
//       Also writes pkg-dir: package.json, NAME.js, NAME.wasm, NAME.d.ts,
//       README.md (the given one, or a stub) and LICENSE (when given a file).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class PackageError extends Error {}

// Where the wasync bindings begin in NAME.js (emit.mjs's first line).
const BINDINGS = '\n// ---- wasync bindings for the ';
// Emscripten's UMD tail: from the CommonJS test to the bindings.
const UMD_TAIL = /\nif \(typeof exports === 'object' && typeof module === 'object'\)[^]*$/;

/// The module's JS without Emscripten's CommonJS/AMD exports.
export function esmGlue(text, file = 'the module') {
  const at = text.indexOf(BINDINGS);
  if (at < 0) throw new PackageError(`${file}: no wasync bindings in it (not built by wasync_add_module?)`);
  const head = text.slice(0, at).replace(UMD_TAIL, '');
  if (/\bmodule\.exports\b|\bdefine\(\[/.test(head)) {
    throw new PackageError(`${file}: Emscripten's output ends in a way wasync-package does not know (CommonJS exports left)`);
  }
  return head + text.slice(at);
}

const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/// package.json of module `name` as npm package `pkg`.
export function packageJson({ name, pkg, version, license, licenseFile, description }) {
  if (!NPM_NAME.test(pkg) || pkg.length > 214) throw new PackageError(`"${pkg}" is not a valid npm package name`);
  if (!SEMVER.test(version)) throw new PackageError(`version "${version}" is not x.y.z (semver)`);
  return {
    name: pkg,
    version,
    description: description || `${name}: C++ functions as JavaScript (wasync)`,
    // An SPDX id; with only a file, npm's wording for "read that file".
    license: license || (licenseFile ? 'SEE LICENSE IN LICENSE' : 'UNLICENSED'),
    type: 'module',
    // types first: TypeScript takes the first condition that matches.
    exports: {
      '.': { types: `./${name}.d.ts`, default: `./${name}.js` },
      // The .wasm by name, so it can be fetched or imported ?url (Vite), or handed to load({ wasm }).
      [`./${name}.wasm`]: `./${name}.wasm`,
      './package.json': './package.json',
    },
    types: `./${name}.d.ts`,
    files: [`${name}.js`, `${name}.wasm`, `${name}.d.ts`],
    // Importing the module runs nothing: load() instantiates it.
    sideEffects: false,
    engines: { node: '>=20' },
  };
}

/// A README for a package that has none of its own: what it is and how to load it.
export function readmeStub({ name, pkg, description, dts }) {
  const fns = [...dts.matchAll(/^ {2}([a-zA-Z_$][\w$]*)\((.*)\): (.*);$/gm)]
    .filter((m) => m[1] !== 'wasyncDebug')
    .map((m) => `- \`${m[1]}(${m[2]}): ${m[3]}\``);
  return `# ${pkg}

${description || 'C++ functions as JavaScript, built with wasync.'}

\`\`\`sh
npm install ${pkg}
\`\`\`

\`\`\`js
import load from '${pkg}';

const ${name.replace(/[^A-Za-z0-9_$]/g, '_')} = await load();  // instantiates ${name}.wasm once
\`\`\`

${fns.length ? `## Functions\n\n${fns.join('\n')}\n\nTypes: \`${name}.d.ts\`. ` : ''}Async functions return Promises and take \`{ signal }\` (an AbortSignal) last;
a C++ error rejects with a \`WasyncError\` (exported) whose \`code\` names it.

It runs in Node 20+ and in browsers, with or without a bundler: \`${name}.wasm\` is
fetched from next to \`${name}.js\`. Elsewhere, pass its URL or bytes:
\`load({ wasm })\` (with Vite, \`import wasm from '${pkg}/${name}.wasm?url'\`).
`;
}

/// Writes the package folder `out` for the module whose JS is `js`.
export function writePackage({ js, pkg, version, out, license, licenseFile, description, readme }) {
  const dir = path.dirname(js);
  const name = path.basename(js, '.js');
  const meta = packageJson({ name, pkg, version, license, licenseFile, description });
  mkdirSync(out, { recursive: true });
  // Only what this writes: a file left from an earlier build goes.
  const keep = new Set([...meta.files, 'package.json', 'README.md', ...(licenseFile ? ['LICENSE'] : [])]);
  for (const f of readdirSync(out)) if (!keep.has(f)) rmSync(path.join(out, f), { recursive: true, force: true });
  writeFileSync(path.join(out, `${name}.js`), esmGlue(readFileSync(js, 'utf8'), js));
  copyFileSync(path.join(dir, `${name}.wasm`), path.join(out, `${name}.wasm`));
  const dts = readFileSync(path.join(dir, `${name}.d.ts`), 'utf8');
  writeFileSync(path.join(out, `${name}.d.ts`), dts);
  writeFileSync(path.join(out, 'README.md'), readme ? readFileSync(readme, 'utf8') : readmeStub({ name, pkg, description, dts }));
  if (licenseFile) copyFileSync(licenseFile, path.join(out, 'LICENSE'));
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

function main(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new PackageError(`bad argument ${argv[i]}`);
    opts[argv[i].slice(2)] = argv[i + 1];
  }
  if (!opts.js) throw new PackageError('--js is required');
  writeFileSync(opts.js, esmGlue(readFileSync(opts.js, 'utf8'), opts.js));
  if (opts.package === undefined) return;
  for (const k of ['version', 'out']) if (!opts[k]) throw new PackageError(`--${k} is required with --package`);
  writePackage({
    js: opts.js, pkg: opts.package, version: opts.version, out: opts.out, license: opts.license,
    licenseFile: opts['license-file'], description: opts.description, readme: opts.readme,
  });
}

if (process.argv[1]?.endsWith('wasync-package.mjs')) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    console.error(`wasync-package: ${e.message}`);
    process.exit(1);
  }
}
