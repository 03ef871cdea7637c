// wasync bindings runtime (inlined into every generated module): compiles the
// module's type descriptors into codecs, wraps its exports as JS functions and
// loads the wasm in Node, browsers and bundlers.
//
// A call reads each argument value exactly once, into a snapshot, checking it
// on the way (a TypeError names the argument): the caller's getters and Proxy
// traps run then and only then. It measures the snapshot and writes it into
// wasm memory within that size; no caller code runs in between, so a value
// cannot change under the writer, and a call made from a getter is simply an
// earlier call. Results are read from wasm memory while C++ still holds them,
// again without running caller code. Nothing called from the loop throws.

/**
 * How a failed C++ call reaches JS: `code` is the wasync errc name
 * ("timeout", "invalid_argument", ...), `errc` its number. Each generated
 * module has this class; `instanceof` accepts the errors of any of them (a
 * brand registered with Symbol.for), so a page using two modules, or a module
 * and the wasync package, needs either one.
 */
const wasyncErrorBrand = Symbol.for('wasync.WasyncError');
class WasyncError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
  static [Symbol.hasInstance](v) {
    if (this !== WasyncError) return Function.prototype[Symbol.hasInstance].call(this, v);
    return v !== null && typeof v === 'object' && v[wasyncErrorBrand] === true;
  }
}
Object.defineProperty(WasyncError.prototype, 'name', { value: 'WasyncError', writable: true, configurable: true });
Object.defineProperty(WasyncError.prototype, wasyncErrorBrand, { value: true });

function wasyncBindApi(mod, spec) {
  // Exports are called as Module._name, looked up at each call: Emscripten
  // replaces its lazy stub there with the wasm export on the first call.
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let u8 = null;
  let dv = null;
  let pos = 0;
  let end = 0;  // writes stay below it: the end of the argument buffer being written
  const views = () => {
    if (u8 !== mod['HEAPU8']) {
      u8 = mod['HEAPU8'];
      dv = new DataView(u8.buffer);
    }
  };
  const refs = () => {
    const p = dv.getUint32(pos, true);
    const n = dv.getUint32(pos + 4, true);
    pos += 8;
    return [p, n];
  };
  // An argument buffer's size travels as a wasm32 size.
  const MAX_ARGS = 0x7fffffff;
  // Brand checks and lengths through the intrinsics: a value's own properties
  // (or a Proxy's traps) cannot misstate them, and reading them runs no JS.
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
  const typedArrayLength = Object.getOwnPropertyDescriptor(typedArrayProto, 'length').get;
  const isUint8Array = (v) => ArrayBuffer.isView(v) && typedArrayTag.call(v) === 'Uint8Array';

  // take(v) reads a value once and returns its snapshot, or BAD with what was
  // wrong in `bad` (the containers add their step of the path on the way out):
  // the value "must be <what>, <got>", where got defaults to "not <its type>".
  const BAD = Symbol('bad');
  let bad = null;
  const fail = (what, v, got) => {
    bad = { what, v, got, path: [], orUndefined: false };
    return BAD;
  };
  // A codec: min (fewest bytes a value takes), fixed (the bytes every value
  // takes, or -1), take, size and put (of a snapshot), get (a result).
  // An integer's type given but out of its range is shown as it is ("got -1").
  const outOfRange = (v, what) => {
    if (typeof v === 'bigint' && what.startsWith('a bigint')) return `got ${v}n`;
    return typeof v === 'number' && what.startsWith('an integer') ? `got ${v}` : undefined;
  };
  const scalar = (size, valid, what, put, get) =>
    ({ min: size, fixed: size, take: (v) => (valid(v) ? v : fail(what, v, outOfRange(v, what))), size: () => size, put, get });
  const BASE_CODECS = {
    i32: scalar(4, (v) => typeof v === 'number' && (v | 0) === v, 'an integer in -2147483648..2147483647',
      (v) => { dv.setInt32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getInt32(pos - 4, true); }),
    u32: scalar(4, (v) => typeof v === 'number' && v >>> 0 === v, 'an integer in 0..4294967295',
      (v) => { dv.setUint32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getUint32(pos - 4, true); }),
    f64: scalar(8, (v) => typeof v === 'number', 'a number',
      (v) => { dv.setFloat64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getFloat64(pos - 8, true); }),
    i64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v, 'a bigint in -9223372036854775808..9223372036854775807',
      (v) => { dv.setBigInt64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigInt64(pos - 8, true); }),
    u64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asUintN(64, v) === v, 'a bigint in 0..18446744073709551615',
      (v) => { dv.setBigUint64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigUint64(pos - 8, true); }),
    bool: scalar(1, (v) => typeof v === 'boolean', 'a boolean',
      (v) => { u8[pos++] = v ? 1 : 0; }, () => u8[pos++] === 1),
    void: scalar(0, () => true, 'nothing', () => {}, () => undefined),
    str: {
      min: 4,
      fixed: -1,
      take: (v) => (typeof v === 'string' ? v : fail('a string', v)),
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      size: (s) => 4 + 3 * s.length,
      put: (s) => {
        const n = s.length === 0 ? 0 : encoder.encodeInto(s, u8.subarray(pos + 4, Math.min(pos + 4 + 3 * s.length, end))).written;
        dv.setUint32(pos, n, true);
        pos += 4 + n;
      },
      get: () => {
        const [p, n] = refs();
        return n === 0 ? '' : decoder.decode(u8.subarray(p, p + n));
      },
    },
    bytes: {
      min: 4,
      fixed: -1,
      take: (v) => (isUint8Array(v) ? v : fail('a Uint8Array', v)),
      // Measured after every getter ran: a later one may have shrunk or detached its buffer.
      size: (s) => 4 + typedArrayLength.call(s),
      put: (s) => {
        const n = typedArrayLength.call(s);
        if (pos + 4 + n > end) throw new Error('wasync bindings: bytes outgrew their measured size');
        dv.setUint32(pos, n, true);
        if (n > 0) u8.set(s, pos + 4);
        pos += 4 + n;
      },
      // One copy out of wasm memory, owned by JS.
      get: () => {
        const [p, n] = refs();
        return u8.slice(p, p + n);
      },
    },
    any: {
      min: 4,
      fixed: 4,
      take: (v) => v,
      size: () => 4,
      put: (v) => {
        dv.setInt32(pos, mod['wasyncJsPut'](v), true);
        pos += 4;
      },
      get: () => {
        pos += 4;
        return mod['wasyncJsTake'](dv.getInt32(pos - 4, true));
      },
    },
  };
  const records = {};
  const codecOf = (d) => {
    if (typeof d === 'string') return BASE_CODECS[d];
    const [kind, inner] = d;
    if (kind === 'rec') return records[inner];
    const c = codecOf(inner);
    if (kind === 'opt') {
      return {
        min: 1,
        fixed: -1,
        take: (v) => {
          if (v === undefined) return undefined;
          const s = c.take(v);
          if (s === BAD && bad.path.length === 0) bad.orUndefined = true;
          return s;
        },
        size: (s) => (s === undefined ? 1 : 1 + c.size(s)),
        put: (s) => {
          if (s === undefined) {
            u8[pos++] = 0;
          } else {
            u8[pos++] = 1;
            c.put(s);
          }
        },
        get: () => (u8[pos++] === 1 ? c.get() : undefined),
      };
    }
    // Bounds an array's length before its elements are read.
    const maxCount = Math.floor((MAX_ARGS - 4) / c.min);
    return {
      min: 4,
      fixed: -1,
      take: (v) => {
        if (!Array.isArray(v)) return fail('an array', v);
        const n = v.length;
        if (!Number.isInteger(n) || n < 0 || n > maxCount) {
          return fail(`an array of at most ${maxCount} elements`, v, `got one of length ${typeof n === 'number' ? n : typeof n}`);
        }
        const out = new Array(n);
        for (let i = 0; i < n; i++) {
          const s = c.take(v[i]);
          if (s === BAD) {
            bad.path.push(`[${i}]`);
            return BAD;
          }
          out[i] = s;
        }
        return out;
      },
      size: (s) => {
        if (c.fixed >= 0) return 4 + s.length * c.fixed;
        let total = 4;
        for (let i = 0; i < s.length; i++) total += c.size(s[i]);
        return total;
      },
      put: (s) => {
        dv.setUint32(pos, s.length, true);
        pos += 4;
        for (let i = 0; i < s.length; i++) c.put(s[i]);
      },
      get: () => {
        const n = dv.getUint32(pos, true);
        pos += 4;
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = c.get();
        return out;
      },
    };
  };
  // spec.records lists each record after the records its fields use.
  for (const [name, fields] of Object.entries(spec.records)) {
    const cs = fields.map(([, d]) => codecOf(d));
    const keys = fields.map(([k]) => k);
    const what = `an object (${name})`;
    const fixed = cs.every((c) => c.fixed >= 0) ? cs.reduce((t, c) => t + c.fixed, 0) : -1;
    records[name] = {
      min: cs.reduce((t, c) => t + c.min, 0),
      fixed,
      take: (v) => {
        if (v === null || typeof v !== 'object') return fail(what, v);
        const out = new Array(cs.length);
        for (let i = 0; i < cs.length; i++) {
          const s = cs[i].take(v[keys[i]]);
          if (s === BAD) {
            bad.path.push(`.${keys[i]}`);
            return BAD;
          }
          out[i] = s;
        }
        return out;
      },
      size: (s) => {
        if (fixed >= 0) return fixed;
        let total = 0;
        for (let i = 0; i < cs.length; i++) total += cs[i].size(s[i]);
        return total;
      },
      put: (s) => {
        for (let i = 0; i < cs.length; i++) cs[i].put(s[i]);
      },
      get: () => {
        const o = {};
        for (let i = 0; i < cs.length; i++) o[keys[i]] = cs[i].get();
        return o;
      },
    };
  }

  const describe = (v) => {
    if (v === null) return 'null';
    try {
      if (Array.isArray(v)) return 'an array';
    } catch (e) {
      // A revoked Proxy.
    }
    return typeof v;
  };
  const badArgument = (fn, i) => {
    const b = bad;
    bad = null;
    const where = fn.params[i][0] + b.path.reverse().join('');
    const got = b.got !== undefined ? b.got : `not ${describe(b.v)}`;
    return new TypeError(`${fn.js}(): argument ${where} must be ${b.what}${b.orUndefined ? ' or undefined' : ''}, ${got}`);
  };
  // Reads every argument exactly once, checking it: the caller's code
  // (getters, Proxy traps) runs here and nowhere else. The snapshots replace
  // the arguments in `args`, the wrapper's own array.
  const snapshot = (fn, args) => {
    for (let i = 0; i < fn.codecs.length; i++) {
      const s = fn.codecs[i].take(args[i]);
      if (s === BAD) throw badArgument(fn, i);
      args[i] = s;
    }
  };

  // Arguments C++ copies out before running any code of its own (so before
  // it can call JS, and JS this module again) share one buffer.
  let scratchPtr = 0;
  let scratchSize = 0;
  const scratch = (n) => {
    if (n > scratchSize || scratchPtr === 0) {
      if (scratchPtr) mod['_wasync_bind_free'](scratchPtr);
      scratchSize = Math.max(n, 2 * scratchSize, 1024);
      scratchPtr = mod['_wasync_bind_alloc'](scratchSize);
      if (scratchPtr === 0) scratchSize = 0;
    }
    return scratchPtr;
  };
  // Measures the snapshot and writes it into wasm memory, `encoded` bytes
  // long, at the address returned: the scratch buffer, or a buffer of the
  // call's own for a function with views (C++ reads them while it runs). No
  // JS but this runs from measuring to writing.
  let encoded = 0;
  const write = (fn, args) => {
    let size = fn.fixed;
    if (size < 0) {
      size = 0;
      for (let i = 0; i < fn.codecs.length; i++) size += fn.codecs[i].size(args[i]);
      if (size > MAX_ARGS) throw new TypeError(`${fn.js}(): the arguments take ${size} bytes, more than wasm32 memory holds`);
    }
    const ptr = fn.owned ? mod['_wasync_bind_alloc'](size || 1) : scratch(size);
    if (ptr === 0) throw new RangeError(`${fn.js}(): out of wasm memory for ${size} bytes of arguments`);
    views();
    pos = ptr;
    end = ptr + size;
    for (let i = 0; i < fn.codecs.length; i++) fn.codecs[i].put(args[i]);
    encoded = pos - ptr;
    return ptr;
  };
  // How C++ answers, as web/bridge/constants.json lays it out (Module.wasyncConst).
  const C = mod['wasyncConst'];
  const REPLY = C.reply;
  const REPLY_OK = C.replyStatus.ok;
  const REPLY_PENDING = C.replyStatus.pending;
  const OWNED_ARGS = C.callFlags.ownedArgs;
  // The Error for the js_error_reply at `at` (the same fields promises.js reads).
  const readError = (at) => {
    const f = C.errorReply;
    const text = (p, n) => (n === 0 ? '' : decoder.decode(u8.subarray(p, p + n)));
    const code = text(dv.getUint32(at + f.code, true), dv.getUint32(at + f.codeSize, true));
    const e = new WasyncError(text(dv.getUint32(at + f.message, true), dv.getUint32(at + f.messageSize, true)) || code, code);
    e.errc = dv.getInt32(at + f.errc, true);
    return e;
  };

  // Signals: real AbortSignals only (the aborted getter's brand check throws
  // for anything else). Listening and aborting go through the web host's
  // Promise library (Module.wasyncCalls), as for every call JS awaits.
  const abortedGetter = typeof AbortSignal === 'function'
    ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get : undefined;
  const isAbortSignal = (s) => {
    if (s === null || typeof s !== 'object' || abortedGetter === undefined) return false;
    try {
      return typeof abortedGetter.call(s) === 'boolean';
    } catch (e) {
      return false;
    }
  };

  // Reads a call's answer (js_reply: status, data, size, held) at `reply`:
  // PENDING for an async call still running (its op id in `pendingOp`), else
  // its value (or throws its error). Only an answer C++ keeps something alive
  // for costs a call to release it; `owned`, the call's own argument buffer,
  // is freed here unless C++ kept it.
  const PENDING = Symbol('pending');
  let pendingOp = 0;
  const answer = (fn, reply, owned) => {
    views();
    const status = dv.getUint32(reply + REPLY.status, true);
    const data = dv.getUint32(reply + REPLY.data, true);
    if (status === REPLY_PENDING) {
      pendingOp = data;
      return PENDING;
    }
    const held = dv.getUint32(reply + REPLY.held, true) !== 0;
    try {
      if (status !== REPLY_OK) throw readError(data);
      pos = data;
      return fn.ret.get();
    } finally {
      if (held) mod['_wasync_bind_release']();
      if (owned) mod['_wasync_bind_free'](owned);
    }
  };
  const EMPTY = Object.freeze({});
  // Writes the snapshot, runs C++ on it and reads the answer.
  const invoke = (fn, key, args, async) => {
    const ptr = write(fn, args);
    const reply = async ? mod[key](fn.owned ? OWNED_ARGS : 0, ptr, encoded) : mod[key](ptr, encoded);
    return answer(fn, reply, fn.owned ? ptr : 0);
  };
  const start = (fn, key, args) => {
    const value = invoke(fn, key, args, true);
    if (value !== PENDING) return Promise.resolve(value);
    const call = mod['wasyncCalls'].create(fn.read);
    mod['wasyncCalls'].track(pendingOp, call);
    return call.promise;
  };
  const startAbortable = (fn, key, args, signal) => {
    const calls = mod['wasyncCalls'];
    if (abortedGetter.call(signal)) return Promise.reject(calls.abortReason(signal));
    const call = calls.create(fn.read);
    // Listening before C++ starts: a signal that refuses rejects the call with
    // nothing started; one aborted during C++'s first step aborts the call as
    // soon as C++ named it (track).
    try {
      calls.watch(call, signal);
    } catch (e) {
      throw new TypeError(`${fn.js}(): options.signal must be an AbortSignal`, { cause: e });
    }
    let value;
    try {
      value = invoke(fn, key, args, true);
    } catch (e) {
      calls.unwatch(call);
      throw e;
    }
    if (value !== PENDING) {
      calls.unwatch(call);
      call.resolve(value);
      return call.promise;
    }
    calls.track(pendingOp, call);
    return call.promise;
  };
  const asyncWrapper = (fn) => {
    const key = '_' + fn.sym;
    const n = fn.codecs.length;
    return (...args) => {
      try {
        const options = fn.bag ? args[n - 1] : args[n];
        let signal;
        if (options !== undefined) {
          if (options === null || typeof options !== 'object') throw new TypeError(`${fn.js}(): options must be an object`);
          signal = options.signal;
          if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError(`${fn.js}(): options.signal must be an AbortSignal`);
        } else if (fn.bag) {
          args[n - 1] = EMPTY;
        }
        snapshot(fn, args);
        return signal === undefined ? start(fn, key, args) : startAbortable(fn, key, args, signal);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  };
  const syncWrapper = (fn) => {
    const key = '_' + fn.sym;
    const n = fn.codecs.length;
    return (...args) => {
      if (fn.bag && args[n - 1] === undefined) args[n - 1] = EMPTY;
      snapshot(fn, args);
      return invoke(fn, key, args, false);
    };
  };

  const api = {};
  for (const f of spec.functions) {
    const codecs = f.params.map(([, d]) => codecOf(d));
    const fixed = codecs.every((c) => c.fixed >= 0) ? codecs.reduce((t, c) => t + c.fixed, 0) : -1;
    const fn = { ...f, codecs, fixed, ret: codecOf(f.ret) };
    // Reads a suspended call's value when C++ completes it (Module.wasyncCalls calls it).
    fn.read = (data) => {
      views();
      pos = data;
      return fn.ret.get();
    };
    api[f.js] = fn.async ? asyncWrapper(fn) : syncWrapper(fn);
  }
  api.wasyncDebug = () => {
    const stats = mod['wasyncJsStats']();
    return { tasks: mod['_wasync_bind_live_tasks'](), calls: stats.calls, values: stats.values, ops: stats.ops };
  };
  return Object.freeze(api);
}

// The wasm module's bytes from a response, or an Error that names the cause
// and the fix: a server that answers with its fallback page (HTML) for a file
// it does not have is the common failure, and WebAssembly's own message
// ("expected magic word 00 61 73 6d") names neither.
async function wasyncBindWasmBytes(response, url, where) {
  const type = response.headers.get('content-type') || 'no content type';
  const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array(0);
  if (response.ok && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return bytes;
  const start = new TextDecoder().decode(bytes.subarray(0, 40)).replace(/\s+/g, ' ').trim();
  const what = !response.ok ? `HTTP ${response.status}` : `${type}${start ? ` starting "${start}"` : ''}, not WebAssembly`;
  const pkg = where.pkg;
  throw new WasyncError(`${where.file}: fetching ${url} gave ${what}. ` +
    `The server does not have the file at the URL next to the module${response.ok ? ' and answered with a fallback page' : ''}: ` +
    'serve the .wasm next to the .js, or pass its URL as load({ wasm })' +
    (pkg ? ` (with Vite: import wasm from '${pkg}/${where.file}?url', or optimizeDeps: { exclude: ['${pkg}'] }).` : '.'),
    'not_found');
}

// Where the .wasm is when the module's own URL fails: a bundler's dev server
// may serve the module from a cache it moved it into (Vite 7 pre-bundles
// dependencies into node_modules/.vite/deps/) but the .wasm only where the
// package is, under the same node_modules. Null when there is nowhere else.
function wasyncBindWasmInPackage(url, where) {
  if (!where.npm || url.protocol === 'file:') return null;
  const at = url.pathname.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const other = new URL(`${url.pathname.slice(0, at)}/node_modules/${where.npm}`, url);
  return other.href === url.href ? null : other;
}

// Fetches the .wasm at `url` (or where its package has it), checking it is
// one; `response` is url's when already fetched.
async function wasyncBindFetchWasm(url, where, response) {
  if (response === undefined) response = await fetch(url);
  try {
    return await wasyncBindWasmBytes(response, url, where);
  } catch (e) {
    const other = url === where.wasm ? wasyncBindWasmInPackage(url, where) : null;
    if (other === null) throw e;
    const second = await fetch(other);
    if (!second.ok) throw e;
    return wasyncBindWasmBytes(second, other, where);
  }
}

// `where`: the .wasm next to the module (wasm: a URL), its file name and, for
// a module in an npm package, its path under node_modules (npm).
async function wasyncBindLoad(factory, spec, where, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('load(): options must be an object');
  const moduleArg = { WasyncError };
  if (options.WebSocket !== undefined) moduleArg['WebSocket'] = options.WebSocket;
  const wasm = options.wasm !== undefined ? options.wasm : where.wasm;
  const isBytes = wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm);
  // A URL given in a browser is fetched as given (relative to the page).
  let url = isBytes || wasm === where.wasm ? wasm : String(wasm);
  const isNode = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
    process.versions !== null && typeof process.versions.node === 'string';
  if (isNode) {
    // Emscripten's Node code path wants CommonJS's require and __dirname,
    // which ES modules lack (declared by the module's --extern-pre-js).
    const nodeModule = 'node:module';
    const { createRequire } = await import(/* webpackIgnore: true */ /* @vite-ignore */ nodeModule);
    require = createRequire(import.meta.url);
    __filename = require('node:url').fileURLToPath(import.meta.url);
    __dirname = require('node:path').dirname(__filename);
    if (!isBytes && url !== where.wasm) url = new URL(url, import.meta.url);
    if (isBytes) moduleArg['wasmBinary'] = wasm;
    else if (url.protocol === 'file:') moduleArg['wasmBinary'] = require('node:fs').readFileSync(url);
    else moduleArg['wasmBinary'] = await wasyncBindFetchWasm(url, where);
    return wasyncBindApi(await factory(moduleArg), spec);
  }
  return new Promise((resolve, reject) => {
    moduleArg['instantiateWasm'] = (imports, receive) => {
      const instantiate = async () => {
        if (isBytes) return WebAssembly.instantiate(wasm, imports);
        // Compiled while it downloads when the server says application/wasm;
        // anything else is read whole and checked.
        const response = await fetch(url);
        const streams = typeof WebAssembly.instantiateStreaming === 'function';
        if (streams && response.ok && /^application\/wasm\b/.test(response.headers.get('content-type') || '')) {
          return WebAssembly.instantiateStreaming(response, imports);
        }
        return WebAssembly.instantiate(await wasyncBindFetchWasm(url, where, response), imports);
      };
      instantiate().then((r) => receive(r.instance, r.module), reject);
      return {};
    };
    factory(moduleArg).then((mod) => resolve(wasyncBindApi(mod, spec)), reject);
  });
}
