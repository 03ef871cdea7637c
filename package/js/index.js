// wasync for JavaScript: the runtime's async capabilities, in wasm.
export { load } from './core.js';
export { sleep, timeout } from './sleep.js';
export { fetchAll } from './fetch_all.js';
export { WebSocketClient } from './websocket.js';
