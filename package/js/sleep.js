// sleep and timeout on wasync timers.
import { core } from './core.js';

/** Resolves after `ms` milliseconds; aborting `options.signal` rejects with its reason (code "cancelled"). */
export async function sleep(ms, options) {
  return (await core()).sleep(ms, options);
}

/**
 * Settles like `work` (a promise, or a function given an AbortSignal that
 * returns one) unless `ms` milliseconds pass first: then it rejects with code
 * "timeout" and aborts the function's signal with that error.
 */
export async function timeout(work, ms, options) {
  const module = await core();
  let controller;
  let promise;
  if (typeof work === 'function') {
    controller = new AbortController();
    promise = new Promise((resolve) => resolve(work(controller.signal)));
  } else if (work !== null && typeof work === 'object' && typeof work.then === 'function') {
    promise = work;
  } else {
    throw new TypeError('timeout(): argument work must be a Promise or a function returning one');
  }
  // C++ waits for the outcome; the value or the original error stays in JS.
  const outcome = Promise.resolve(promise).then((value) => ({ value }), (error) => ({ error, failed: true }));
  let settled;
  try {
    settled = await module.awaitWithin(outcome, ms, options);
  } catch (e) {
    if (controller !== undefined) controller.abort(e);
    throw e;
  }
  if (settled.failed) throw settled.error;
  return settled.value;
}
