import { types } from 'node:util';

// Hostile JS values for the bindings' property tests: a seeded PRNG, values
// whose getters answer differently on every read (and log what they
// answered), Proxies whose traps throw, and settling with a deadline.

/// mulberry32: small, fast and seedable; the seed goes into every failure message.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (xs) => xs[int(0, xs.length - 1)], chance: (p) => next() < p };
}

const TEXT_UNITS = ['a', 'Z', '0', ' ', 'é', '☃', '😀', '\u0000', '\ud800', '\udfff'];
/// A string of `n` UTF-16 units, lone surrogates included.
export function randomText(r, n) {
  let s = '';
  while (s.length < n) s += r.pick(TEXT_UNITS);
  return s.slice(0, n);
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/// What a string is after a round trip through UTF-8 (lone surrogates become U+FFFD).
export const viaUtf8 = (s) => decoder.decode(encoder.encode(s));

// A shifty value answers every read anew (from `answer(readNumber)`) and
// logs the first answer per key; materialize() rebuilds the value a single
// read of everything saw, and `reads` says whether any key was read twice.
const SHIFTY = Symbol('shifty');
class ReadLog {
  constructor() {
    this.first = new Map();
    this.count = new Map();
  }
  read(key, answer) {
    const n = (this.count.get(key) ?? 0) + 1;
    this.count.set(key, n);
    const v = answer(n);
    if (n === 1) this.first.set(key, v);
    return v;
  }
  rereads() {
    return [...this.count].filter(([, n]) => n > 1).map(([k]) => k);
  }
}

/// An object whose listed keys are getters: answers(key)(readNumber) makes each answer.
export function shiftyRecord(keys, answers) {
  const log = new ReadLog();
  const o = {};
  for (const k of keys) Object.defineProperty(o, k, { get: () => log.read(k, answers(k)), enumerable: true });
  Object.defineProperty(o, SHIFTY, { value: { log, kind: 'record', keys } });
  return o;
}

/// A Proxy of an array whose length and elements answer anew on every read.
export function shiftyArray(length, element) {
  const log = new ReadLog();
  const info = { log, kind: 'array' };
  return new Proxy([], {
    get(target, p) {
      if (p === SHIFTY) return info;
      if (p === 'length') return log.read('length', length);
      if (typeof p === 'string' && /^\d+$/.test(p)) return log.read(p, element(Number(p)));
      return Reflect.get(target, p);
    },
  });
}

/// Keys read more than once, anywhere inside `v`.
export function rereads(v, path = '') {
  const info = v !== null && typeof v === 'object' ? v[SHIFTY] : undefined;
  if (!info) return [];
  const own = info.log.rereads().map((k) => `${path}.${k}`);
  const nested = [...info.log.first].flatMap(([k, x]) => rereads(x, `${path}.${k}`));
  return [...own, ...nested];
}

/// The plain value a single read of every key of `v` saw (UNREAD where nothing read it).
export const UNREAD = Symbol('unread');
export function materialize(v) {
  const info = v !== null && typeof v === 'object' ? v[SHIFTY] : undefined;
  if (!info) return Array.isArray(v) ? v.map(materialize) : v;
  const at = (k) => (info.log.first.has(k) ? materialize(info.log.first.get(k)) : UNREAD);
  if (info.kind === 'record') return Object.fromEntries(info.keys.map((k) => [k, at(k)]));
  const n = at('length');
  if (n === UNREAD || !Number.isInteger(n) || n < 0 || n > 1e7) return { length: n };
  return Array.from({ length: n }, (_, i) => at(String(i)));
}

/// An error whose identity a test can check, and a Proxy whose traps (those in `throwing`) throw it.
export function throwingProxy(target, throwing, tag) {
  const error = new Error(`trap ${tag}`);
  const handler = {};
  for (const trap of throwing) {
    handler[trap] = () => {
      throw error;
    };
  }
  return { proxy: new Proxy(target, handler), error };
}
export const TRAPS = ['get', 'has', 'getPrototypeOf', 'ownKeys', 'getOwnPropertyDescriptor', 'apply', 'set', 'defineProperty'];

/// How a call ended: { value } or { error } (thrown or rejected), or { hung } past `ms`.
export async function outcome(call, ms = 2000) {
  let p;
  try {
    p = call();
  } catch (error) {
    return { error };
  }
  if (!types.isPromise(p)) return { value: p };  // no Proxy trap runs
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ value }), (error) => ({ error })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
