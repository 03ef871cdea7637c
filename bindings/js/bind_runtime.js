// wasync bindings runtime (inlined into every generated module): compiles the
// module's type descriptors into codecs, holds what the module's wrappers
// share, and loads the wasm in Node, browsers and bundlers. The wrappers
// themselves, one function per export with its own parameters, are generated
// (bindings/generator/emit.mjs) into this function's scope at the marked line.
//
// A call reads each argument value exactly once, into a snapshot, checking it
// on the way (a TypeError names the argument): the caller's getters and Proxy
// traps run then and only then. Numbers and booleans are passed to the wasm
// function as its own parameters; the rest is measured and written into wasm
// memory within that size; no caller code runs in between, so a value cannot
// change under the writer, and a call made from a getter is simply an earlier
// call. The wasm function returns a number result itself (NaN: read the
// reply); other results are read from wasm memory while C++ still holds
// them, again without running caller code. Nothing called from the loop throws.

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
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // Views of wasm memory, renewed when it grew (growing detaches the old buffer).
  let u8 = mod['HEAPU8'];
  let dv = new DataView(u8.buffer);
  const views = () => {
    if (u8.length === 0) {
      u8 = mod['HEAPU8'];
      dv = new DataView(u8.buffer);
    }
  };
  let pos = 0;
  let end = 0;  // writes stay below it: the end of the argument buffer being written
  let bufferEnd = 0;  // the end of the memory that buffer owns (end or beyond)
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

  // Strings are written as UTF-8 straight into the argument buffer. Short
  // ASCII ones by a loop; the rest by TextEncoder.encodeInto, which in
  // Chromium costs a fixed ~0.2 µs a call (and as much again for each new
  // view it is given: the view is kept while the buffer is the same) and
  // ~0.45 ns a character, against ~1.5-2 ns for the loop; Node's costs ~35 ns,
  // less than its loop from a dozen characters on.
  const ASCII_LOOP_MAX = wasyncBindInNode() ? 16 : 128;
  let encodeView = null;
  let encodeStart = -1;
  let encodeEnd = -1;
  const encodeAt = (s, at) => {
    if (at !== encodeStart || bufferEnd !== encodeEnd || encodeView.length === 0) {
      encodeView = u8.subarray(at, bufferEnd);
      encodeStart = at;
      encodeEnd = bufferEnd;
    }
    return encoder.encodeInto(s, encodeView).written;
  };
  const putText = (s, at) => {
    const n = s.length;
    if (n <= ASCII_LOOP_MAX) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        u8[at + i] = c;
      }
      if (i === n) return n;
    }
    return encodeAt(s, at);
  };

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
  // Scalars also say `what` they must be; `direct` turns the wasm function's
  // return value into the result, for types returned that way.
  // An integer's type given but out of its range is shown as it is ("got -1").
  const outOfRange = (v, what) => {
    if (typeof v === 'bigint' && what.startsWith('a bigint')) return `got ${v}n`;
    return typeof v === 'number' && what.startsWith('an integer') ? `got ${v}` : undefined;
  };
  const scalar = (size, valid, what, put, get, direct) => ({
    min: size, fixed: size, what, take: (v) => (valid(v) ? v : fail(what, v, outOfRange(v, what))), size: () => size, put, get, direct,
  });
  const same = (v) => v;
  const BASE_CODECS = {
    i32: scalar(4, (v) => typeof v === 'number' && (v | 0) === v, 'an integer in -2147483648..2147483647',
      (v) => { dv.setInt32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getInt32(pos - 4, true); }, same),
    u32: scalar(4, (v) => typeof v === 'number' && v >>> 0 === v, 'an integer in 0..4294967295',
      (v) => { dv.setUint32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getUint32(pos - 4, true); }, same),
    f64: scalar(8, (v) => typeof v === 'number', 'a number',
      (v) => { dv.setFloat64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getFloat64(pos - 8, true); }, same),
    i64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v, 'a bigint in -9223372036854775808..9223372036854775807',
      (v) => { dv.setBigInt64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigInt64(pos - 8, true); }),
    u64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asUintN(64, v) === v, 'a bigint in 0..18446744073709551615',
      (v) => { dv.setBigUint64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigUint64(pos - 8, true); }),
    bool: scalar(1, (v) => typeof v === 'boolean', 'a boolean',
      (v) => { u8[pos++] = v ? 1 : 0; }, () => u8[pos++] === 1, (v) => v === 1),
    void: scalar(0, () => true, 'nothing', () => {}, () => undefined, () => undefined),
    str: {
      min: 4,
      fixed: -1,
      take: (v) => (typeof v === 'string' ? v : fail('a string', v)),
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      size: (s) => 4 + 3 * s.length,
      put: (s) => {
        const n = s.length === 0 ? 0 : putText(s, pos + 4);
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
  // A direct parameter (a number or a boolean) that is not what it must be.
  const badDirect = (fn, i, v) => {
    fn.codecs[i].take(v);
    return badArgument(fn, i);
  };
  // Reads argument i once (the caller's code runs here and nowhere else): its snapshot.
  const take = (fn, i, v) => {
    const s = fn.codecs[i].take(v);
    if (s === BAD) throw badArgument(fn, i);
    return s;
  };

  // Argument buffers. Arguments C++ copies out before running any code of its
  // own (so before it can call JS, and JS this module again) use one reused
  // buffer, `scratch`. A function with views (string_view, bytes_view) reads
  // its arguments while it runs: it is lent the scratch buffer for the call
  // (a call made meanwhile gets a buffer of its own), and when its task
  // suspends, C++ keeps that buffer until the task ends (JS makes a new one).
  let scratchPtr = 0;
  let scratchSize = 0;
  let lent = false;
  // Whether the buffer begin() returned is the call's own (else: scratch).
  let argsOwned = false;
  // A buffer for `size` bytes of arguments; writing starts at `pos`.
  const begin = (fn, size) => {
    if (size > MAX_ARGS) throw new TypeError(`${fn.js}(): the arguments take ${size} bytes, more than wasm32 memory holds`);
    let ptr;
    if (lent) {
      ptr = mod['_wasync_bind_alloc'](size || 1);
      argsOwned = true;
      bufferEnd = ptr + size;
    } else {
      if (size > scratchSize || scratchPtr === 0) {
        if (scratchPtr) mod['_wasync_bind_free'](scratchPtr);
        scratchSize = Math.max(size, 2 * scratchSize, 1024);
        scratchPtr = mod['_wasync_bind_alloc'](scratchSize);
        if (scratchPtr === 0) scratchSize = 0;
      }
      ptr = scratchPtr;
      argsOwned = false;
      lent = fn.views && ptr !== 0;
      bufferEnd = ptr + scratchSize;
    }
    if (ptr === 0) throw new RangeError(`${fn.js}(): out of wasm memory for ${size} bytes of arguments`);
    views();
    pos = ptr;
    end = ptr + size;
    return ptr;
  };

  // How C++ answers, as web/bridge/constants.json lays it out (Module.wasyncConst).
  const C = mod['wasyncConst'];
  const REPLY = C.reply;
  const REPLY_OK = C.replyStatus.ok;
  const REPLY_PENDING = C.replyStatus.pending;
  // Where every answer is, when a wasm function returns NaN.
  const reply = mod['_wasync_bind_reply']();
  const replyStatus = () => {
    views();
    return dv.getUint32(reply + REPLY.status, true);
  };
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
  const calls = mod['wasyncCalls'];
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
  // The signal in an async call's options (read once), or undefined.
  const signalOf = (fn, options) => {
    if (options === null || typeof options !== 'object') throw new TypeError(`${fn.js}(): options must be an object`);
    const signal = options.signal;
    if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError(`${fn.js}(): options.signal must be an AbortSignal`);
    return signal;
  };
  // The call JS awaits, listening to `signal` before C++ starts: a signal
  // that refuses fails the call with nothing started; one aborted during
  // C++'s first step aborts the call as soon as C++ named it (track). An
  // aborted signal fails the call at once, with its reason.
  const watch = (fn, signal) => {
    if (abortedGetter.call(signal)) throw calls.abortReason(signal);
    const call = calls.create(fn.read);
    try {
      calls.watch(call, signal);
    } catch (e) {
      throw new TypeError(`${fn.js}(): options.signal must be an AbortSignal`, { cause: e });
    }
    return call;
  };
  // An async call failed before C++ answered.
  const rejected = (e, call) => {
    if (call !== undefined) calls.unwatch(call);
    return Promise.reject(e);
  };

  // The value in the reply (a pending call's is not there yet): read while
  // C++ holds it; what C++ kept alive for the reading is released after.
  const readReply = (fn) => {
    views();
    const status = dv.getUint32(reply + REPLY.status, true);
    const data = dv.getUint32(reply + REPLY.data, true);
    const held = dv.getUint32(reply + REPLY.held, true) !== 0;
    try {
      if (status !== REPLY_OK) throw readError(data);
      pos = data;
      return fn.ret.get();
    } finally {
      if (held) mod['_wasync_bind_release']();
    }
  };
  // The Promise of an async call whose wasm function returned `v`.
  const answer = (fn, v, call) => {
    let ok = true;
    let value;
    if (v === v) {
      value = fn.ret.direct(v);
    } else if (replyStatus() === REPLY_PENDING) {
      const c = call !== undefined ? call : calls.create(fn.read);
      calls.track(dv.getUint32(reply + REPLY.data, true), c);
      return c.promise;
    } else {
      try {
        value = readReply(fn);
      } catch (e) {
        ok = false;  // C++'s error, or a result JS cannot hold (a string past its maximum length)
        value = e;
      }
    }
    if (call === undefined) return ok ? Promise.resolve(value) : Promise.reject(value);
    calls.unwatch(call);
    if (ok) call.resolve(value);
    else call.reject(value);
    return call.promise;
  };
  // A sync call's value (or its error, thrown) for the wasm function's `v`.
  const answerSync = (fn, v) => (v === v ? fn.ret.direct(v) : readReply(fn));
  // After a call with an argument buffer at `at` (`owned`: its own, else
  // scratch): the buffer goes back, or to C++ with a pending call that views it.
  const returnArgs = (fn, v, at, owned) => {
    const cppKeepsIt = fn.views && v !== v && replyStatus() === REPLY_PENDING;
    if (owned) {
      if (!cppKeepsIt) mod['_wasync_bind_free'](at);
    } else if (fn.views) {
      lent = false;
      if (cppKeepsIt) {
        scratchPtr = 0;
        scratchSize = 0;
      }
    }
  };
  const settle = (fn, v, at, owned, call) => {
    returnArgs(fn, v, at, owned);
    return answer(fn, v, call);
  };
  const settleSync = (fn, v, at, owned) => {
    returnArgs(fn, v, at, owned);
    return answerSync(fn, v);
  };

  // Exports are reached as Module._name until their first call (Emscripten
  // replaces its lazy stub there with the wasm export then); `bind(f)`
  // gives the wrapper the wasm export itself from then on.
  const exportOf = (fn, bind) => function () {
    const f = mod['_' + fn.sym];
    const v = f.apply(null, arguments);
    bind(mod['_' + fn.sym]);
    return v;
  };
  const EMPTY = Object.freeze({});

  const api = {};
  const fns = spec.functions.map((f) => {
    const codecs = f.params.map(([, d]) => codecOf(d));
    const fn = { ...f, codecs, ret: codecOf(f.ret) };
    // Reads a suspended call's value when C++ completes it (Module.wasyncCalls calls it).
    fn.read = (data) => {
      views();
      pos = data;
      return fn.ret.get();
    };
    return fn;
  });
  /* wasync-bindgen: wrappers */
  api.wasyncDebug = () => {
    const stats = mod['wasyncJsStats']();
    return { tasks: mod['_wasync_bind_live_tasks'](), calls: stats.calls, values: stats.values, ops: stats.ops };
  };
  return Object.freeze(api);
}

function wasyncBindInNode() {
  return typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
    process.versions !== null && typeof process.versions.node === 'string';
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
  if (wasyncBindInNode()) {
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
