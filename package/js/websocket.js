// WebSocketClient: a WebSocket whose messages are read with `for await`.
import { core } from './core.js';

const token = Symbol('WebSocketClient');
// A client dropped without close() releases its socket when collected.
const sockets = new FinalizationRegistry(({ core, id }) => core.wsRelease(id));

export class WebSocketClient {
  #core;
  #id;
  #protocol;
  #released = false;

  /** Use WebSocketClient.connect(). */
  constructor(key, core, opened) {
    if (key !== token) throw new TypeError('use WebSocketClient.connect(url)');
    this.#core = core;
    this.#id = opened.id;
    this.#protocol = opened.protocol;
    sockets.register(this, { core, id: opened.id }, this);
  }

  /** Opens a connection; rejects with code "network_error" when it cannot. */
  static async connect(url, options = {}) {
    const module = await core();
    return new WebSocketClient(token, module, await module.wsConnect(url, options));
  }

  /** The subprotocol the server chose ("" when none). */
  get protocol() {
    return this.#protocol;
  }

  /** Sends text or bytes, waiting while too much is queued. */
  async send(data, options) {
    if (typeof data === 'string') return this.#core.wsSendText(this.#id, data, options);
    if (data instanceof Uint8Array) return this.#core.wsSendBytes(this.#id, data, options);
    throw new TypeError('send(): argument data must be a string or a Uint8Array');
  }

  /** The next message (a string or a Uint8Array); undefined once the connection closed cleanly. */
  async receive(options) {
    const m = await this.#core.wsReceive(this.#id, options);
    if (m === undefined) return undefined;
    return m.text !== undefined ? m.text : m.data;
  }

  /** Messages until the connection closes; aborting `options.signal` ends the wait with code "cancelled". */
  async *messages(options) {
    for (;;) {
      const m = await this.receive(options);
      if (m === undefined) return;
      yield m;
    }
  }

  [Symbol.asyncIterator]() {
    return this.messages();
  }

  /** Closes the connection (code 1000 by default) and resolves with how it ended. */
  async close(code, reason, options) {
    const closed = await this.#core.wsClose(this.#id, code, reason, options);
    if (!this.#released) {
      this.#released = true;
      sockets.unregister(this);
      this.#core.wsRelease(this.#id);
    }
    return closed;
  }

  static {
    // `await using ws = await WebSocketClient.connect(url)` closes it (code
    // 1000) unless close() did; where the runtime has Symbol.asyncDispose.
    if (typeof Symbol.asyncDispose === 'symbol') {
      Object.defineProperty(this.prototype, Symbol.asyncDispose, {
        async value() {
          if (!this.#released) await this.close();
        },
        writable: true,
        configurable: true,
      });
    }
  }
}
