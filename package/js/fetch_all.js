// fetchAll: many URLs with a concurrency limit and a per-request timeout.
import { load } from './core.js';

/**
 * Fetches every URL (at most `options.concurrency` at once, each within
 * `options.timeoutMs`) and resolves with one outcome per URL, in order.
 * Aborting `options.signal` cancels every request still running.
 */
export async function fetchAll(urls, options) {
  return (await load()).fetchAll(urls, options);
}
