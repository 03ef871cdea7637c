// wasync for JavaScript: the runtime's async capabilities, in wasm.
import { core } from './core.js';
import { fetchAll } from './fetch_all.js';
import { sleep, timeout } from './sleep.js';
import { WebSocketClient } from './websocket.js';
import { WasyncError } from './wasync_core.js';

/**
 * Instantiates the package's wasm module (once; it is also made on first use
 * of any function). Options apply only when this is the first call: call it
 * before anything else to pass them. Resolves with the package's API and a
 * leak check, wasyncDebug().
 */
let api;
export function load(options) {
  api ??= core(options).then((module) =>
    Object.freeze({ sleep, timeout, fetchAll, WebSocketClient, WasyncError, wasyncDebug: () => module.wasyncDebug() }));
  return api;
}

export { sleep, timeout, fetchAll, WebSocketClient, WasyncError };
