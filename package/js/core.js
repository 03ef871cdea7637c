// The package's one instance of its wasm module, made on first use. Internal:
// the package's API wraps it (index.js's load() hands out only that API).
import loadModule from './wasync_core.js';

let instance;

/**
 * The module instance (made on first use). Options apply only when this is
 * the first call.
 */
export function core(options) {
  if (instance === undefined) instance = loadModule(options === undefined ? {} : options);
  return instance;
}
