// The package's one instance of its wasm module, made on first use.
import loadModule from './wasync_core.js';

let instance;

/**
 * The package's module instance (made on first use). Options apply only when
 * this is the first call: call it before anything else to pass them.
 */
export function load(options) {
  if (instance === undefined) instance = loadModule(options === undefined ? {} : options);
  return instance;
}
