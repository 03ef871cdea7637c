#!/usr/bin/env node
// wasync-bindgen: from a module's declaration header (functions marked
// WASYNC_EXPORT, structs marked WASYNC_RECORD), writes the C++ glue, the JS
// wrapper and the TypeScript declarations. cmake/wasync_module.cmake runs it.
//
//   node wasync-bindgen.mjs --name NAME --api api.hpp --cpp out.cpp --js out.post.js --dts out.d.ts
//     [--include "path as the glue includes it" (default: the absolute path of api.hpp)]
//     [--npm-package NAME [--npm-dir DIR]]  (the module's npm package and its folder there:
//                                            where a dev server that moved the module finds the .wasm)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BindError, buildModel, parseHeader } from './parse.mjs';
import { emitCpp, emitDts, emitJs } from './emit.mjs';

/// Generates the three outputs for `name` from the header text.
export function generate(name, text, { source, include, npm }) {
  const model = buildModel(name, parseHeader(text, source), source);
  return {
    cpp: emitCpp(model, { include, source }),
    js: emitJs(model, { source, npm }),
    dts: emitDts(model, { source }),
  };
}

function main(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new BindError(`bad argument ${argv[i]}`);
    opts[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ['name', 'api']) if (!opts[k]) throw new BindError(`--${k} is required`);
  const api = path.resolve(opts.api);
  const out = generate(opts.name, readFileSync(api, 'utf8'), {
    source: path.basename(api),
    include: opts.include ?? api,
    npm: opts['npm-package'] ? { name: opts['npm-package'], dir: opts['npm-dir'] ?? '' } : undefined,
  });
  for (const [k, text] of Object.entries(out)) {
    if (!opts[k]) continue;
    mkdirSync(path.dirname(path.resolve(opts[k])), { recursive: true });
    writeFileSync(opts[k], text);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('wasync-bindgen.mjs')) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BindError)) throw e;
    console.error(`wasync-bindgen: ${e.message}`);
    process.exit(1);
  }
}
