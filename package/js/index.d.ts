// wasync for JavaScript: the runtime's async capabilities, in wasm.
import type { CallOptions, LoadOptions, WasyncError, WsClosed } from './wasync_core.js';

export type { CallOptions, LoadOptions, WasyncErrorCode, WsClosed } from './wasync_core.js';
export { WasyncError } from './wasync_core.js';

declare global {
  // Declared by lib esnext.disposable too (the same declaration merges): a
  // consumer on an older lib still type-checks WebSocketClient.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/** What load() resolves with: the package's API and a leak check. */
export interface Wasync {
  readonly sleep: typeof sleep;
  readonly timeout: typeof timeout;
  readonly fetchAll: typeof fetchAll;
  readonly WebSocketClient: typeof WebSocketClient;
  readonly WasyncError: typeof WasyncError;
  /** Live C++ tasks, calls awaiting C++, JS values held by C++ and pending JS operations (leak checks). */
  wasyncDebug(): { tasks: number; calls: number; values: number; ops: number };
}

/**
 * Instantiates the package's wasm module (once; it is also made on first use
 * of any function). Options apply only when this is the first call: call it
 * before anything else to pass them.
 */
export declare function load(options?: LoadOptions): Promise<Wasync>;

/**
 * Resolves after `ms` milliseconds; aborting `options.signal` rejects with its
 * reason (code "cancelled").
 * @example await sleep(100, { signal: AbortSignal.timeout(50) }); // rejects: TimeoutError
 */
export declare function sleep(ms: number, options?: CallOptions): Promise<void>;

/**
 * Settles like `work` (a promise, or a function given an AbortSignal that
 * returns one) unless `ms` milliseconds pass first: then it rejects with a
 * WasyncError, code "timeout", and aborts the function's signal with it.
 * @example const res = await timeout((signal) => fetch(url, { signal }), 2000);
 */
export declare function timeout<T>(
  work: PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>),
  ms: number,
  options?: CallOptions,
): Promise<T>;

export interface FetchAllOptions extends CallOptions {
  /** Requests in flight at once (default 6). */
  concurrency?: number;
  /** Limit for each request, headers and body together (default: none). */
  timeoutMs?: number;
  /** Every request's method (default "GET"). */
  method?: string;
  /** Header fields every request sends: an object, [name, value] pairs or a Headers. */
  headers?: Record<string, string> | Iterable<readonly [string, string]>;
  /** The body every request sends (a string as UTF-8). */
  body?: string | Uint8Array | ArrayBuffer;
}

/** A response arrived, with any HTTP status (2xx or not). */
export interface FetchResponse {
  url: string;
  ok: true;
  status: number;
  statusText: string;
  /** Names lower-case; a field sent twice has its values joined by ", ". */
  headers: Record<string, string>;
  /** The body as it came. */
  bytes: Uint8Array;
  /** The body as UTF-8 text. */
  text: string;
  error?: undefined;
}

/** No response: the request failed (code "timeout", "network_error", "invalid_argument", ...). */
export interface FetchFailure {
  url: string;
  ok: false;
  error: WasyncError;
  status?: undefined;
  statusText?: undefined;
  headers?: undefined;
  bytes?: undefined;
  text?: undefined;
}

/** One request's outcome: `ok` tells a response from a failure. */
export type FetchOutcome = FetchResponse | FetchFailure;

/**
 * Sends a request to every URL (at most `options.concurrency` at once, default
 * 6, each within `options.timeoutMs`, all with `options.method`,
 * `options.headers` and `options.body`) and resolves with one outcome per URL,
 * in order. Aborting `options.signal` cancels every request still running.
 * @example
 * for (const r of await fetchAll(urls, { concurrency: 4, timeoutMs: 5000 }))
 *   console.log(r.url, r.ok ? r.status : r.error.code);
 */
export declare function fetchAll(urls: readonly string[], options?: FetchAllOptions): Promise<FetchOutcome[]>;

/**
 * A WebSocket whose messages are read with `for await`; `await using` closes it.
 * @example
 * await using ws = await WebSocketClient.connect('wss://example.org/feed');
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
  /** Messages until the connection closes; aborting `options.signal` ends the wait with its reason. */
  messages(options?: CallOptions): AsyncGenerator<string | Uint8Array, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<string | Uint8Array, void, undefined>;
  /** Closes the connection (code 1000 by default) and resolves with how it ended. */
  close(code?: number, reason?: string, options?: CallOptions): Promise<WsClosed>;
  /** Closes the connection (code 1000) unless close() did. */
  [Symbol.asyncDispose](): Promise<void>;
}
