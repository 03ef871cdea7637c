// wasync for JavaScript: the runtime's async capabilities, in wasm.
import type { CallOptions, FetchAllOptions, FetchOutcome, LoadOptions, WasyncCoreModule, WsClosed } from './wasync_core.js';

export type { CallOptions, FetchAllOptions, FetchFailure, FetchOutcome, LoadOptions, WasyncError, WsClosed } from './wasync_core.js';

/**
 * The package's module instance (made on first use). Options apply only when
 * this is the first call: call it before anything else to pass them.
 */
export declare function load(options?: LoadOptions): Promise<WasyncCoreModule>;

/**
 * Resolves after `ms` milliseconds; aborting `options.signal` rejects with code "cancelled".
 * @example await sleep(100, { signal: AbortSignal.timeout(50) }); // rejects: cancelled
 */
export declare function sleep(ms: number, options?: CallOptions): Promise<void>;

/**
 * Settles like `work` (a promise, or a function given an AbortSignal that
 * returns one) unless `ms` milliseconds pass first: then it rejects with code
 * "timeout" and aborts the function's signal.
 * @example const res = await timeout((signal) => fetch(url, { signal }), 2000);
 */
export declare function timeout<T>(
  work: PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>),
  ms: number,
  options?: CallOptions,
): Promise<T>;

/**
 * Fetches every URL (at most `options.concurrency` at once, default 6, each
 * within `options.timeoutMs`) and resolves with one outcome per URL, in order.
 * Aborting `options.signal` cancels every request still running.
 * @example
 * for (const r of await fetchAll(urls, { concurrency: 4, timeoutMs: 5000 }))
 *   console.log(r.url, r.ok ? r.status : r.error?.code);
 */
export declare function fetchAll(urls: readonly string[], options?: FetchAllOptions & CallOptions): Promise<FetchOutcome[]>;

/**
 * A WebSocket whose messages are read with `for await`.
 * @example
 * const ws = await WebSocketClient.connect('wss://example.org/feed');
 * await ws.send('hello');
 * for await (const message of ws) console.log(message);
 */
export declare class WebSocketClient implements AsyncIterable<string | Uint8Array> {
  private constructor();
  /** Opens a connection; rejects with code "network_error" when it cannot. */
  static connect(url: string, options?: { protocols?: readonly string[] } & CallOptions): Promise<WebSocketClient>;
  /** The subprotocol the server chose ("" when none). */
  readonly protocol: string;
  /** Sends text or bytes, waiting while too much is queued. */
  send(data: string | Uint8Array, options?: CallOptions): Promise<void>;
  /** The next message; undefined once the connection closed cleanly. */
  receive(options?: CallOptions): Promise<string | Uint8Array | undefined>;
  /** Messages until the connection closes; aborting `options.signal` ends the wait with code "cancelled". */
  messages(options?: CallOptions): AsyncGenerator<string | Uint8Array, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<string | Uint8Array, void, undefined>;
  /** Closes the connection (code 1000 by default) and resolves with how it ended. */
  close(code?: number, reason?: string, options?: CallOptions): Promise<WsClosed>;
}
