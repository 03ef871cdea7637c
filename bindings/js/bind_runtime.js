// wasync bindings runtime (inlined into every generated module): compiles the
// module's type descriptors into codecs, wraps its exports as JS functions and
// loads the wasm in Node, browsers and bundlers. Arguments are checked first
// (a TypeError names the argument), then written straight into wasm memory;
// results are read from wasm memory while C++ still holds them.
function wasyncBindApi(mod, spec) {
  // Exports are called as Module._name, looked up at each call: Emscripten
  // replaces its lazy stub there with the wasm export on the first call.
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let u8 = null;
  let dv = null;
  let pos = 0;
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
  const scalar = (size, valid, what, put, get) => ({ size: (v) => (valid(v) ? size : -1), what, put, get });
  const BASE_CODECS = {
    i32: scalar(4, (v) => typeof v === 'number' && (v | 0) === v, 'an integer in int32 range',
      (v) => { dv.setInt32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getInt32(pos - 4, true); }),
    u32: scalar(4, (v) => typeof v === 'number' && v >>> 0 === v, 'an integer in uint32 range',
      (v) => { dv.setUint32(pos, v, true); pos += 4; }, () => { pos += 4; return dv.getUint32(pos - 4, true); }),
    f64: scalar(8, (v) => typeof v === 'number', 'a number',
      (v) => { dv.setFloat64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getFloat64(pos - 8, true); }),
    i64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v, 'a bigint in int64 range',
      (v) => { dv.setBigInt64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigInt64(pos - 8, true); }),
    u64: scalar(8, (v) => typeof v === 'bigint' && BigInt.asUintN(64, v) === v, 'a bigint in uint64 range',
      (v) => { dv.setBigUint64(pos, v, true); pos += 8; }, () => { pos += 8; return dv.getBigUint64(pos - 8, true); }),
    bool: scalar(1, (v) => typeof v === 'boolean', 'a boolean',
      (v) => { u8[pos++] = v ? 1 : 0; }, () => u8[pos++] === 1),
    void: scalar(0, () => true, 'nothing', () => {}, () => undefined),
    str: {
      size: (v) => (typeof v === 'string' ? 4 + 3 * v.length : -1),
      what: 'a string',
      put: (v) => {
        const n = v.length === 0 ? 0 : encoder.encodeInto(v, u8.subarray(pos + 4, pos + 4 + 3 * v.length)).written;
        dv.setUint32(pos, n, true);
        pos += 4 + n;
      },
      get: () => {
        const [p, n] = refs();
        return n === 0 ? '' : decoder.decode(u8.subarray(p, p + n));
      },
    },
    bytes: {
      size: (v) => (v instanceof Uint8Array ? 4 + v.length : -1),
      what: 'a Uint8Array',
      put: (v) => {
        dv.setUint32(pos, v.length, true);
        u8.set(v, pos + 4);
        pos += 4 + v.length;
      },
      // One copy out of wasm memory, owned by JS.
      get: () => {
        const [p, n] = refs();
        return u8.slice(p, p + n);
      },
    },
    any: {
      size: () => 4,
      what: 'any value',
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
        size: (v) => {
          if (v === undefined) return 1;
          const s = c.size(v);
          return s < 0 ? -1 : 1 + s;
        },
        inner: c,
        put: (v) => {
          if (v === undefined) {
            u8[pos++] = 0;
          } else {
            u8[pos++] = 1;
            c.put(v);
          }
        },
        get: () => (u8[pos++] === 1 ? c.get() : undefined),
      };
    }
    return {
      size: (v) => {
        if (!Array.isArray(v)) return -1;
        let total = 4;
        for (let i = 0; i < v.length; i++) {
          const s = c.size(v[i]);
          if (s < 0) return -1;
          total += s;
        }
        return total;
      },
      what: 'an array',
      item: c,
      put: (v) => {
        dv.setUint32(pos, v.length, true);
        pos += 4;
        for (let i = 0; i < v.length; i++) c.put(v[i]);
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
  for (const name of Object.keys(spec.records)) records[name] = { what: `an object (${name})` };
  for (const [name, fields] of Object.entries(spec.records)) {
    const r = records[name];
    const cs = fields.map(([, d]) => codecOf(d));
    const keys = fields.map(([k]) => k);
    r.fields = keys.map((k, i) => [k, cs[i]]);
    r.size = (v) => {
      if (v === null || typeof v !== 'object') return -1;
      let total = 0;
      for (let i = 0; i < cs.length; i++) {
        const s = cs[i].size(v[keys[i]]);
        if (s < 0) return -1;
        total += s;
      }
      return total;
    };
    r.put = (v) => {
      for (let i = 0; i < cs.length; i++) cs[i].put(v[keys[i]]);
    };
    r.get = () => {
      const o = {};
      for (let i = 0; i < cs.length; i++) o[keys[i]] = cs[i].get();
      return o;
    };
  }

  // Finds the innermost value that does not fit, for the TypeError's message.
  const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);
  const explain = (c, v, where, orUndefined = '') => {
    if (c.inner) return explain(c.inner, v, where, ' or undefined');
    if (c.item && Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (c.item.size(v[i]) < 0) return explain(c.item, v[i], `${where}[${i}]`);
    }
    if (c.fields && v !== null && typeof v === 'object') {
      for (const [k, fc] of c.fields) if (fc.size(v[k]) < 0) return explain(fc, v[k], `${where}.${k}`);
    }
    return `${where} must be ${c.what}${orUndefined}, not ${describe(v)}`;
  };
  const badArgument = (fn, i, v) => new TypeError(`${fn.js}(): argument ${explain(fn.codecs[i], v, fn.params[i][0])}`);

  let scratchPtr = 0;
  let scratchSize = 0;
  const scratch = (n) => {
    if (n > scratchSize) {
      if (scratchPtr) mod['_wasync_bind_free'](scratchPtr);
      scratchSize = Math.max(n, 2 * scratchSize, 1024);
      scratchPtr = mod['_wasync_bind_alloc'](scratchSize);
    }
    return scratchPtr;
  };
  // Measures (and so checks) the arguments; writes them into wasm memory at
  // the address returned, `encoded` bytes long.
  let encoded = 0;
  const encode = (fn, args) => {
    let size = 0;
    for (let i = 0; i < fn.codecs.length; i++) {
      const s = fn.codecs[i].size(args[i]);
      if (s < 0) throw badArgument(fn, i, args[i]);
      size += s;
    }
    const ptr = fn.owned ? mod['_wasync_bind_alloc'](size || 1) : scratch(size);
    views();
    pos = ptr;
    for (let i = 0; i < fn.codecs.length; i++) fn.codecs[i].put(args[i]);
    encoded = pos - ptr;
    return ptr;
  };
  const readError = () => {
    const code = BASE_CODECS.str.get();
    const message = BASE_CODECS.str.get();
    const e = new Error(message || code);
    e.code = code;
    return e;
  };
  const abortError = () => {
    const e = new Error('aborted by its AbortSignal');
    e.code = 'cancelled';
    return e;
  };
  const isSignal = (s) =>
    s !== null && typeof s === 'object' && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function';

  // An async call waiting for C++ to settle it.
  class Call {
    constructor(ret, signal) {
      this.resolve = null;
      this.reject = null;
      this.ret = ret;
      this.signal = signal;
      this.onAbort = null;
    }
  }
  // Calls by id: ids are slots, reused once settled.
  const pending = [undefined];
  const freeIds = [];
  let live = 0;
  const settleCall = (id) => {
    const call = pending[id];
    if (call === undefined) return undefined;
    pending[id] = undefined;
    freeIds.push(id);
    live--;
    return call;
  };
  mod['wasyncBindSettle'] = (id, status, data) => {
    const call = settleCall(id);
    if (call === undefined) return;
    if (call.signal) call.signal.removeEventListener('abort', call.onAbort);
    views();
    pos = data;
    if (status === 0) call.resolve(call.ret.get());
    else call.reject(readError());
  };

  // Reads a call's answer (status, address, size, held) at `reply`: PENDING
  // for an async call still running, else its value (or throws its error).
  // Only an answer C++ keeps something alive for costs a call to release it.
  const PENDING = Symbol('pending');
  const answer = (fn, reply, ptr) => {
    views();
    const status = dv.getUint32(reply, true);
    if (status === 2) return PENDING;
    const held = dv.getUint32(reply + 12, true) !== 0;
    try {
      pos = dv.getUint32(reply + 4, true);
      if (status !== 0) throw readError();
      return fn.ret.get();
    } finally {
      if (held) mod['_wasync_bind_release']();
      if (fn.owned) mod['_wasync_bind_free'](ptr);
    }
  };
  const asyncWrapper = (fn) => {
    const key = '_' + fn.sym;
    const n = fn.codecs.length;
    return (...args) => {
      const options = fn.bag ? args[n - 1] : args[n];
      let signal;
      try {
        if (options !== undefined) {
          if (options === null || typeof options !== 'object') throw new TypeError(`${fn.js}(): options must be an object`);
          signal = options.signal;
          if (signal !== undefined && !isSignal(signal)) throw new TypeError(`${fn.js}(): options.signal must be an AbortSignal`);
        }
        if (fn.bag && args[n - 1] === undefined) args[n - 1] = {};
        if (signal !== undefined && signal.aborted) return Promise.reject(abortError());
        const ptr = encode(fn, args);
        // The id the call gets if its task suspends.
        const id = freeIds.length > 0 ? freeIds[freeIds.length - 1] : pending.length;
        const flags = (fn.owned ? 2 : 0) | (signal !== undefined ? 1 : 0);
        const value = answer(fn, mod[key](id, flags, ptr, encoded), ptr);
        if (value !== PENDING) return Promise.resolve(value);
        if (freeIds.length > 0) freeIds.pop();
        const call = new Call(fn.ret, signal);
        pending[id] = call;
        live++;
        if (signal !== undefined) {
          call.onAbort = () => mod['_wasync_bind_cancel'](id);
          signal.addEventListener('abort', call.onAbort, { once: true });
        }
        return new Promise((resolve, reject) => {
          call.resolve = resolve;
          call.reject = reject;
        });
      } catch (e) {
        return Promise.reject(e);
      }
    };
  };
  const syncWrapper = (fn) => {
    const key = '_' + fn.sym;
    return (...args) => {
      if (fn.bag && args[fn.codecs.length - 1] === undefined) args[fn.codecs.length - 1] = {};
      const ptr = encode(fn, args);
      return answer(fn, mod[key](ptr, encoded), ptr);
    };
  };

  const api = {};
  for (const f of spec.functions) {
    const fn = { ...f, codecs: f.params.map(([, d]) => codecOf(d)), ret: codecOf(f.ret) };
    api[f.js] = fn.async ? asyncWrapper(fn) : syncWrapper(fn);
  }
  api.wasyncDebug = () => {
    const stats = mod['wasyncJsStats']();
    return { tasks: mod['_wasync_bind_live_tasks'](), calls: live, values: stats.values, ops: stats.ops };
  };
  return Object.freeze(api);
}

async function wasyncBindLoad(factory, spec, defaultWasm, options) {
  if (options === null || typeof options !== 'object') throw new TypeError('load(): options must be an object');
  const moduleArg = {};
  if (options.WebSocket !== undefined) moduleArg['WebSocket'] = options.WebSocket;
  const wasm = options.wasm !== undefined ? options.wasm : defaultWasm;
  const isBytes = wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm);
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
    if (isBytes) {
      moduleArg['wasmBinary'] = wasm;
    } else {
      const url = new URL(String(wasm), import.meta.url);
      moduleArg['wasmBinary'] = url.protocol === 'file:'
        ? require('node:fs').readFileSync(url)
        : new Uint8Array(await (await fetch(url)).arrayBuffer());
    }
    return wasyncBindApi(await factory(moduleArg), spec);
  }
  return new Promise((resolve, reject) => {
    moduleArg['instantiateWasm'] = (imports, receive) => {
      const instantiate = async () => {
        if (isBytes) return WebAssembly.instantiate(wasm, imports);
        if (typeof WebAssembly.instantiateStreaming === 'function') {
          try {
            return await WebAssembly.instantiateStreaming(fetch(wasm), imports);
          } catch (e) {
            // A server that does not say application/wasm: compile from the bytes below.
          }
        }
        const response = await fetch(wasm);
        if (!response.ok) throw new Error(`fetching ${wasm} failed: HTTP ${response.status}`);
        return WebAssembly.instantiate(await response.arrayBuffer(), imports);
      };
      instantiate().then((r) => receive(r.instance, r.module), reject);
      return {};
    };
    factory(moduleArg).then((mod) => resolve(wasyncBindApi(mod, spec)), reject);
  });
}
