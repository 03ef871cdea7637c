// wasync's Emscripten JS library: maps the loop onto the JS event loop and
// gives C++ JS values, Promises, fetch and WebSocket.
//
// Loop: ready C++ tasks drain in a microtask (one queueMicrotask per batch,
// as wasm-bindgen-futures does); a drain past its budget continues in a
// macrotask (MessageChannel in browsers, setImmediate in Node; setTimeout(0)
// is clamped); every timer shares one setTimeout armed for the earliest deadline.
//
// Operations: C++ starts an operation with an op id; JS settles it by id
// (never by a C++ pointer). Settlements queue up as records (op id, status,
// value id, aux) and reach wasm together, written into a buffer before the
// next drain: one JS->wasm call per batch. C++ cancels an operation by id
// (wasync_web_cancel): JS stops it (abort(), close(), clearTimeout) and drops
// whatever it would have settled.
//
// Values: C++ holds ids into a table (wasyncJs.values); id 0 is undefined.
// Table entries that own a JS resource (a fetch, a socket) have a dispose
// function (in a WeakMap, never a property: the table also holds the callers'
// values, Proxies included), run when C++ releases them.
//
// Every function here that wasm calls returns normally: a JS exception
// unwinding through wasm frames would leave the loop half-run (and, with
// wasm exceptions, is caught by C++ catch (...) blocks that cannot handle it).
// Where they touch a caller's value (getters, Proxy traps, signals), they
// catch what it throws.
//
// Emscripten 3.1.6's library serializer cannot handle method shorthand or
// class instances here: members are `name: function(...) {}` and Maps are
// made in __postset (it writes [undefined] as []).
mergeInto(LibraryManager.library, {
  $wasyncWeb: {
    drainQueued: false,
    timer: null,
    channel: null,
    resolved: null,  // a settled Promise: its then() queues the drain microtask
    crossings: 0,  // JS -> wasm drain calls, read by tests and benches
    // Settlement records waiting for the next drain, four int32s each (an
    // Int32Array grown by doubling: copied to wasm in one HEAP32.set).
    pending: null,
    pendingCount: 0,  // records
    buffer: 0,       // wasm address of the settlement buffer
    bufferSize: 0,   // in records
    ops: null,       // op id -> function that stops the operation (a Map)
    // The drain's arguments, for callDrain (no closure per drain).
    drainFromTimer: 0,
    drainSettled: 0,
    callDrain: function() {
      _wasync_web_drain(wasyncWeb.drainFromTimer, wasyncWeb.drainSettled);
    },
    drain: function(fromTimer) {
      wasyncWeb.crossings++;
      const n = wasyncWeb.pendingCount;
      if (n > 0) {
        if (n > wasyncWeb.bufferSize) {
          wasyncWeb.bufferSize = Math.max(n, 2 * wasyncWeb.bufferSize, 64);
          wasyncWeb.buffer = _wasync_web_settlement_buffer(wasyncWeb.bufferSize);
        }
        // A loop, not HEAP32.set(subarray): most batches are small, and a
        // subarray is a new typed array object per drain.
        const q = wasyncWeb.pending;
        const at = wasyncWeb.buffer >> 2;
        for (let i = 0; i < 4 * n; i++) HEAP32[at + i] = q[i];
        wasyncWeb.pendingCount = 0;
      }
      wasyncWeb.drainFromTimer = fromTimer ? 1 : 0;
      wasyncWeb.drainSettled = n;
      callUserCallback(wasyncWeb.callDrain);
    },
    microtask: function() {
      wasyncWeb.drainQueued = false;
      wasyncWeb.drain(false);
    },
    // One microtask per batch. A settled Promise's then() rather than
    // queueMicrotask: same queue, but Node's queueMicrotask is a JS wrapper
    // that allocates an async-hooks resource per call (a third of an awaited
    // Promise's cost here).
    queueDrain: function() {
      if (wasyncWeb.drainQueued) return;
      wasyncWeb.drainQueued = true;
      wasyncWeb.resolved.then(wasyncWeb.microtask);
    },
    // An operation begins: `stop` runs if C++ cancels it first.
    begin: function(op, stop) {
      wasyncWeb.ops.set(op, stop);
    },
    // Settles `op` with a JS value (put in the table for C++). False, and
    // nothing queued, when the op was cancelled or already settled.
    settle: function(op, status, value, aux) {
      if (!wasyncWeb.ops.delete(op)) return false;
      wasyncWeb.post(op, status, value, aux);
      return true;
    },
    // Queues a settlement record for an op never begun here (C++ drops one
    // for an op it withdrew, and releases its value).
    post: function(op, status, value, aux) {
      const at = 4 * wasyncWeb.pendingCount++;
      let q = wasyncWeb.pending;
      if (at === q.length) {
        const grown = new Int32Array(2 * q.length);
        grown.set(q);
        q = wasyncWeb.pending = grown;
      }
      q[at] = op;
      q[at + 1] = status;
      q[at + 2] = wasyncJs.put(value);
      q[at + 3] = aux | 0;
      wasyncWeb.queueDrain();
    },
    // Mirrors wasync::detail::js_status.
    status: { ok: 0, end: 1, jsError: 2, networkError: 3, closed: 4, invalidArgument: 5, notSupported: 6, busy: 7 },
  },
  $wasyncWeb__deps: ['$callUserCallback', '$wasyncJs', 'wasync_web_drain', 'wasync_web_settlement_buffer'],
  $wasyncWeb__postset: 'wasyncWeb.ops = new Map();' +
    'wasyncWeb.pending = new Int32Array(256);' +
    'wasyncWeb.resolved = Promise.resolve();' +
    'Module["wasyncDrainCount"] = () => wasyncWeb.crossings;',

  wasync_web_notify__deps: ['$wasyncWeb'],
  wasync_web_notify: function() {
    wasyncWeb.queueDrain();
  },

  wasync_web_cancel__deps: ['$wasyncWeb'],
  wasync_web_cancel: function(op) {
    const stop = wasyncWeb.ops.get(op);
    if (stop === undefined) return;  // settled already: C++ drops the record
    wasyncWeb.ops.delete(op);
    if (stop) stop();
  },

  wasync_web_yield__deps: ['$wasyncWeb'],
  wasync_web_yield: function() {
    // Node: setImmediate runs after timers and I/O had their turn; a
    // MessagePort there drains every message it is sent before anything else.
    if (typeof setImmediate === 'function') {
      setImmediate(() => wasyncWeb.drain(false));
      return;
    }
    let ch = wasyncWeb.channel;
    if (!ch) {
      ch = wasyncWeb.channel = new MessageChannel();
      ch.port1.onmessage = () => wasyncWeb.drain(false);
    }
    ch.port2.postMessage(0);
  },

  wasync_web_arm_timer__deps: ['$wasyncWeb'],
  wasync_web_arm_timer: function(delayMs) {
    if (wasyncWeb.timer !== null) clearTimeout(wasyncWeb.timer);
    wasyncWeb.timer = null;
    if (delayMs < 0) return;
    // setTimeout takes at most 2^31-1 ms (about 24.8 days): a longer delay
    // fires after 1 ms in Node (with a TimeoutOverflowWarning), and wraps to
    // 32 bits in Chromium (3e9 ms: at once). A farther deadline is reached in
    // steps: the early wake finds nothing due, and the drain arms the rest.
    wasyncWeb.timer = setTimeout(() => {
      wasyncWeb.timer = null;
      wasyncWeb.drain(true);
    }, Math.min(delayMs, 0x7fffffff));
  },

  // Node's 'beforeExit' fires when its loop has nothing left that could wake
  // the program: a running main is then deadlocked. Browsers have no such moment.
  wasync_web_watch_idle__deps: ['$callUserCallback', 'wasync_web_idle'],
  wasync_web_watch_idle: function() {
    if (typeof process !== 'object' || typeof process.once !== 'function') return;
    const onIdle = () => {
      let again = 0;
      callUserCallback(() => { again = _wasync_web_idle(); });
      if (again) process.once('beforeExit', onIdle);
    };
    process.once('beforeExit', onIdle);
  },

  wasync_web_keepalive__deps: ['$runtimeKeepalivePush', '$runtimeKeepalivePop'],
  wasync_web_keepalive: function(hold) {
    if (hold) runtimeKeepalivePush();
    else runtimeKeepalivePop();
  },

  // ---- Values ------------------------------------------------------------

  $wasyncJs: {
    values: null,         // id -> value (an array); id 0 is undefined and never freed
    free: [],             // released ids, reused first
    live: 0,
    disposers: null,      // value -> function run when C++ releases it (a WeakMap)
    intrinsics: null,     // the built-in getters view() reads buffers through
    decoder: null,
    put: function(v) {
      if (v === undefined) return 0;
      const id = wasyncJs.free.length > 0 ? wasyncJs.free.pop() : wasyncJs.values.length;
      wasyncJs.values[id] = v;
      wasyncJs.live++;
      return id;
    },
    get: function(id) {
      return wasyncJs.values[id];
    },
    release: function(id) {
      if (id <= 0) return;
      const v = wasyncJs.values[id];
      wasyncJs.values[id] = undefined;
      wasyncJs.free.push(id);
      wasyncJs.live--;
      const dispose = wasyncJs.disposers.get(v);
      if (dispose !== undefined) dispose();
    },
    // Runs `dispose` when C++ releases `rec` (a record of this library's own).
    onRelease: function(rec, dispose) {
      wasyncJs.disposers.set(rec, dispose);
    },
    take: function(id) {
      const v = wasyncJs.values[id];
      wasyncJs.release(id);
      return v;
    },
    text: function(ptr, len) {
      return len > 0 ? wasyncJs.decoder.decode(HEAPU8.subarray(ptr, ptr + len)) : '';
    },
    // The bytes of a buffer-like value as a Uint8Array view, or null. Read
    // through the intrinsics (brand checks included), so no getter of the
    // value, and no Proxy trap, runs; a detached buffer has no bytes.
    view: function(v) {
      const b = wasyncJs.intrinsics;
      let buffer;
      let offset = 0;
      let length;
      if (ArrayBuffer.isView(v)) {
        const typed = b.typedArrayTag.call(v) !== undefined;
        buffer = (typed ? b.typedArrayBuffer : b.dataViewBuffer).call(v);
        try {
          offset = (typed ? b.typedArrayByteOffset : b.dataViewByteOffset).call(v);
          length = (typed ? b.typedArrayByteLength : b.dataViewByteLength).call(v);
        } catch (e) {
          return new Uint8Array(0);  // a DataView over a detached buffer
        }
      } else {
        if (v === null || typeof v !== 'object') return null;
        try {
          length = b.arrayBufferByteLength.call(v);  // throws for anything but an ArrayBuffer
        } catch (e) {
          return null;
        }
        buffer = v;
      }
      try {
        return new Uint8Array(buffer, offset, length);
      } catch (e) {
        return new Uint8Array(0);
      }
    },
    // What a rejection or exception says, for wasync::error's message. Any
    // value may be thrown (a Proxy, an object without toString): never throws.
    message: function(e) {
      try {
        if (e instanceof Error || (e !== null && typeof e === 'object' && typeof e.message === 'string')) {
          let m = String(e.message);
          const cause = e.cause;
          if (cause !== undefined && cause !== null) {
            const c = typeof cause === 'object' ? (cause.code || cause.message) : String(cause);
            if (c && !m.includes(c)) m += ' (' + c + ')';
          }
          return m;
        }
        return String(e);
      } catch (failed) {
        return 'a JavaScript value was thrown that has no message';
      }
    },
  },
  $wasyncJs__postset: 'wasyncJs.values = [undefined];' +
    'wasyncJs.disposers = new WeakMap();' +
    'wasyncJs.intrinsics = (() => {' +
    '  const d = (o, k) => Object.getOwnPropertyDescriptor(o, k).get;' +
    '  const ta = Object.getPrototypeOf(Uint8Array.prototype);' +
    '  return { typedArrayTag: d(ta, Symbol.toStringTag), typedArrayBuffer: d(ta, "buffer"),' +
    '    typedArrayByteOffset: d(ta, "byteOffset"), typedArrayByteLength: d(ta, "byteLength"),' +
    '    dataViewBuffer: d(DataView.prototype, "buffer"), dataViewByteOffset: d(DataView.prototype, "byteOffset"),' +
    '    dataViewByteLength: d(DataView.prototype, "byteLength"),' +
    '    arrayBufferByteLength: d(ArrayBuffer.prototype, "byteLength") };' +
    '})();' +
    'wasyncJs.decoder = new TextDecoder();' +
    'Module["wasyncJsPut"] = (v) => wasyncJs.put(v);' +
    'Module["wasyncJsTake"] = (id) => wasyncJs.take(id);' +
    'Module["wasyncJsStats"] = () => ({ values: wasyncJs.live, ops: wasyncWeb.ops.size });',

  wasync_js_release__deps: ['$wasyncJs'],
  wasync_js_release: function(id) {
    wasyncJs.release(id);
  },
  wasync_js_dup__deps: ['$wasyncJs'],
  wasync_js_dup: function(id) {
    return wasyncJs.put(wasyncJs.get(id));
  },
  wasync_js_null__deps: ['$wasyncJs'],
  wasync_js_null: function() {
    return wasyncJs.put(null);
  },
  wasync_js_boolean__deps: ['$wasyncJs'],
  wasync_js_boolean: function(b) {
    return wasyncJs.put(b !== 0);
  },
  wasync_js_number__deps: ['$wasyncJs'],
  wasync_js_number: function(d) {
    return wasyncJs.put(d);
  },
  wasync_js_string__deps: ['$wasyncJs'],
  wasync_js_string: function(ptr, len) {
    return wasyncJs.put(wasyncJs.text(ptr, len));
  },
  wasync_js_bytes__deps: ['$wasyncJs'],
  wasync_js_bytes: function(ptr, len) {
    return wasyncJs.put(HEAPU8.slice(ptr, ptr + len));
  },
  wasync_js_object__deps: ['$wasyncJs'],
  wasync_js_object: function() {
    return wasyncJs.put({});
  },
  wasync_js_global__deps: ['$wasyncJs'],
  wasync_js_global: function(ptr, len) {
    try {
      return wasyncJs.put(globalThis[wasyncJs.text(ptr, len)]);
    } catch (e) {
      return 0;  // a throwing getter reads as undefined
    }
  },
  wasync_js_type__deps: ['$wasyncJs'],
  wasync_js_type: function(id) {
    // Mirrors wasync::js_type.
    const v = wasyncJs.get(id);
    if (v === undefined) return 0;
    if (v === null) return 1;
    switch (typeof v) {
      case 'boolean': return 2;
      case 'number': return 3;
      case 'string': return 4;
      case 'function': return 6;
    }
    return wasyncJs.view(v) ? 5 : 7;
  },
  wasync_js_number_of__deps: ['$wasyncJs'],
  wasync_js_number_of: function(id) {
    return Number(wasyncJs.get(id));
  },
  wasync_js_size__deps: ['$wasyncJs'],
  wasync_js_size: function(id) {
    const v = wasyncJs.get(id);
    if (typeof v === 'string') return lengthBytesUTF8(v);
    const b = wasyncJs.view(v);
    return b ? b.byteLength : -1;
  },
  wasync_js_copy__deps: ['$wasyncJs'],
  wasync_js_copy: function(id, ptr, len) {
    const v = wasyncJs.get(id);
    if (typeof v === 'string') stringToUTF8Array(v, HEAPU8, ptr, len + 1);  // +1: std::string has room for the NUL
    else HEAPU8.set(wasyncJs.view(v).subarray(0, len), ptr);
  },
  wasync_js_get__deps: ['$wasyncJs'],
  wasync_js_get: function(id, keyPtr, keyLen) {
    const v = wasyncJs.get(id);
    if (v === null || v === undefined) return 0;
    try {
      return wasyncJs.put(v[wasyncJs.text(keyPtr, keyLen)]);
    } catch (e) {
      return 0;  // a throwing getter reads as undefined
    }
  },
  wasync_js_set__deps: ['$wasyncJs'],
  wasync_js_set: function(id, keyPtr, keyLen, valueId) {
    try {
      const target = wasyncJs.get(id);
      if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
        throw new TypeError('not an object');
      }
      target[wasyncJs.text(keyPtr, keyLen)] = wasyncJs.get(valueId);
      return 0;
    } catch (e) {
      return wasyncJs.put(wasyncJs.message(e));
    }
  },
  wasync_js_call__deps: ['$wasyncJs'],
  wasync_js_call: function(id, methodPtr, methodLen, argsPtr, argc, outPtr) {
    try {
      const target = wasyncJs.get(id);
      const name = wasyncJs.text(methodPtr, methodLen);
      const args = [];
      for (let i = 0; i < argc; i++) args.push(wasyncJs.get(HEAP32[(argsPtr >> 2) + i]));
      const f = target === null || target === undefined ? undefined : target[name];
      if (typeof f !== 'function') throw new TypeError(name + ' is not a function');
      HEAP32[outPtr >> 2] = wasyncJs.put(f.apply(target, args));
      return 0;
    } catch (e) {
      HEAP32[outPtr >> 2] = wasyncJs.put(wasyncJs.message(e));
      return 2;
    }
  },

  // ---- Promises ----------------------------------------------------------

  wasync_js_await__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_js_await: function(promiseId, op) {
    // A promise cannot be stopped, so there is nothing to begin(): the
    // outcome of a cancelled await is posted anyway and C++ drops it.
    const st = wasyncWeb.status;
    let p;
    try {
      p = Promise.resolve(wasyncJs.get(promiseId));  // reads a Promise's constructor
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (v) => wasyncWeb.post(op, st.ok, v, 0),
      (e) => wasyncWeb.post(op, st.jsError, wasyncJs.message(e), 0));
  },
  wasync_js_promise__deps: ['$wasyncJs'],
  wasync_js_promise: function(resolversPtr) {
    let resolvers;
    const p = new Promise((resolve, reject) => {
      resolvers = { resolve, reject };
    });
    HEAP32[resolversPtr >> 2] = wasyncJs.put(resolvers);
    return wasyncJs.put(p);
  },
  wasync_js_resolve__deps: ['$wasyncJs'],
  wasync_js_resolve: function(resolversId, valueId) {
    wasyncJs.get(resolversId).resolve(wasyncJs.get(valueId));
  },
  wasync_js_reject__deps: ['$wasyncJs'],
  wasync_js_reject: function(resolversId, codePtr, codeLen, messagePtr, messageLen, errc) {
    const code = wasyncJs.text(codePtr, codeLen);
    const e = new Error(wasyncJs.text(messagePtr, messageLen) || code);
    e.code = code;
    e.errc = errc;
    wasyncJs.get(resolversId).reject(e);
  },
  wasync_js_on_abort__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_js_on_abort: function(signalId, op) {
    // Any value may come here as the signal: one that throws (or is not a
    // signal at all) never fires, and leaves the op to C++ to withdraw.
    const signal = wasyncJs.get(signalId);
    const onAbort = () => wasyncWeb.settle(op, wasyncWeb.status.ok, undefined, 0);
    wasyncWeb.begin(op, () => {
      try {
        signal.removeEventListener('abort', onAbort);
      } catch (e) {
        // It never listened.
      }
    });
    try {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    } catch (e) {
      // Not a signal that can fire.
    }
  },

  // ---- fetch -------------------------------------------------------------
  // A request record (in the value table, owned by C++'s fetch_response)
  // holds the Response, its AbortController and the body's reader. A body
  // read whose op was cancelled keeps running; its chunk waits in `stash`
  // for the next read, so a timed-out read loses nothing.

  $wasyncFetch: {
    deliver: function(rec, r) {
      const op = rec.waiter;
      if (!op) {
        rec.stash = r;
        return;
      }
      rec.waiter = 0;
      const st = wasyncWeb.status;
      if (r.error !== undefined) {
        wasyncWeb.settle(op, st.networkError, wasyncJs.message(r.error), 0);
      } else if (r.done) {
        rec.done = true;
        wasyncWeb.settle(op, st.end, undefined, 0);
      } else {
        wasyncWeb.settle(op, st.ok, r.value, r.value.byteLength);
      }
    },
  },
  $wasyncFetch__deps: ['$wasyncJs', '$wasyncWeb'],

  wasync_fetch_start__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_fetch_start: function(op, methodPtr, methodLen, urlPtr, urlLen, headersPtr, headersLen, bodyKind, bodyPtr, bodyLen) {
    const st = wasyncWeb.status;
    const controller = new AbortController();
    wasyncWeb.begin(op, () => controller.abort());
    if (typeof fetch !== 'function') {
      wasyncWeb.settle(op, st.notSupported, 'this JavaScript environment has no fetch()', 0);
      return;
    }
    let url;
    const init = { method: wasyncJs.text(methodPtr, methodLen), signal: controller.signal };
    try {
      url = new URL(wasyncJs.text(urlPtr, urlLen), globalThis.location ? globalThis.location.href : undefined);
      if (headersLen > 0) {
        const headers = new Headers();
        const fields = wasyncJs.text(headersPtr, headersLen).split('\0');
        for (let i = 0; i + 1 < fields.length; i += 2) headers.append(fields[i], fields[i + 1]);
        init.headers = headers;
      }
      if (bodyKind === 1) init.body = wasyncJs.text(bodyPtr, bodyLen);
      else if (bodyKind === 2) init.body = HEAPU8.slice(bodyPtr, bodyPtr + bodyLen);
      // Bad arguments are invalid_argument rather than a network error: URL
      // and Headers check theirs above; a Request checks the rest (method,
      // a body on GET, credentials in the URL) but costs a second Request
      // inside fetch(), so only requests that can have such faults make one.
      // It is not the one passed on: Node's fetch (undici) links the signal
      // to a Request's own controller through a weak reference, and only the
      // Request fetch() makes internally stays reachable until it settles.
      if (init.body !== undefined || !/^(GET|HEAD)$/i.test(init.method) || url.username || url.password) new Request(url, init);
    } catch (e) {
      wasyncWeb.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
      return;
    }
    fetch(url, init).then(
      (response) => {
        const rec = { response, controller, reader: null, reading: false, waiter: 0, stash: null, done: false };
        wasyncJs.onRelease(rec, () => {
          if (!rec.done) controller.abort();
        });
        wasyncWeb.settle(op, st.ok, rec, response.status);
      },
      (e) => wasyncWeb.settle(op, st.networkError, wasyncJs.message(e), 0));
  },

  wasync_fetch_head__deps: ['$wasyncJs'],
  wasync_fetch_head: function(recId) {
    const response = wasyncJs.get(recId).response;
    const parts = [response.statusText];
    response.headers.forEach((value, name) => parts.push(name, value));
    return wasyncJs.put(parts.join('\0'));
  },

  wasync_fetch_read__deps: ['$wasyncJs', '$wasyncWeb', '$wasyncFetch'],
  wasync_fetch_read: function(recId, op, whole) {
    const rec = wasyncJs.get(recId);
    wasyncWeb.begin(op, () => {
      rec.waiter = 0;
    });
    rec.waiter = op;
    if (rec.stash) {
      const r = rec.stash;
      rec.stash = null;
      wasyncFetch.deliver(rec, r);
      return;
    }
    if (rec.reading) return;  // a cancelled read is still in flight: its chunk comes here
    const body = rec.response.body;
    if (!body || rec.done) {
      wasyncFetch.deliver(rec, { done: true });
      return;
    }
    rec.reading = true;
    const failed = (e) => {
      rec.reading = false;
      wasyncFetch.deliver(rec, { error: e });
    };
    if (whole && !rec.reader) {
      // An untouched body read whole: one settlement instead of one per chunk.
      rec.response.arrayBuffer().then((b) => {
        rec.reading = false;
        rec.done = true;
        wasyncFetch.deliver(rec, { value: new Uint8Array(b) });
      }, failed);
      return;
    }
    if (!rec.reader) rec.reader = body.getReader();
    rec.reader.read().then((r) => {
      rec.reading = false;
      wasyncFetch.deliver(rec, r);
    }, failed);
  },

  // ---- WebSocket ---------------------------------------------------------
  // A socket record (in the value table, owned by C++'s websocket) holds the
  // WebSocket, the messages nobody is waiting for yet (so a cancelled
  // receive loses nothing), and the ops waiting on it.
  //
  // Node 20 has no global WebSocket. We use the npm package `ws` there
  // rather than Node's --experimental-websocket: a flag must be given to the
  // whole process by whoever starts it (a library cannot), it prints an
  // experimental warning, and the tests need `ws` for their server anyway.
  // `ws` implements the browser's WebSocket interface (binaryType,
  // bufferedAmount, onopen/onmessage/onclose, close(code, reason)). An
  // embedder can also pass its own class as Module.WebSocket.

  $wasyncSocket: {
    constructor: function() {
      if (Module['WebSocket']) return Module['WebSocket'];
      if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
      if (typeof require === 'function') {
        try {
          return require('ws');
        } catch (e) {
          // Not installed: reported as not_supported below.
        }
      }
      return null;
    },
    deliver: function(op, data) {
      const binary = typeof data !== 'string';
      wasyncWeb.settle(op, wasyncWeb.status.ok, data, binary ? 1 : 0);
    },
    // How a receive ends once the socket closed: the end, or an error.
    ended: function(rec, op) {
      const st = wasyncWeb.status;
      const c = rec.closed;
      if (c.clean) wasyncWeb.settle(op, st.end, undefined, 0);
      else wasyncWeb.settle(op, st.networkError, 'WebSocket closed abnormally (code ' + c.code + ')' + (rec.error ? ': ' + rec.error : ''), 0);
    },
    shut: function(ws) {
      try {
        ws.close();
      } catch (e) {
        // Closed already.
      }
    },
  },
  $wasyncSocket__deps: ['$wasyncJs', '$wasyncWeb'],

  wasync_ws_connect__deps: ['$wasyncJs', '$wasyncWeb', '$wasyncSocket'],
  wasync_ws_connect: function(op, urlPtr, urlLen, protocolsPtr, protocolsLen) {
    const st = wasyncWeb.status;
    const Socket = wasyncSocket.constructor();
    if (!Socket) {
      wasyncWeb.begin(op, null);
      wasyncWeb.settle(op, st.notSupported, 'this JavaScript environment has no WebSocket (in Node 20, install the npm package ws)', 0);
      return;
    }
    let ws;
    try {
      const protocols = protocolsLen > 0 ? wasyncJs.text(protocolsPtr, protocolsLen).split('\0') : [];
      ws = new Socket(wasyncJs.text(urlPtr, urlLen), protocols);
    } catch (e) {
      wasyncWeb.begin(op, null);
      wasyncWeb.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
      return;
    }
    ws.binaryType = 'arraybuffer';
    const rec = { ws, messages: [], head: 0, connecting: op, receiving: 0, closing: [], closed: null, error: '', disposed: false };
    wasyncJs.onRelease(rec, () => {
      rec.disposed = true;
      rec.messages = [];
      if (!rec.closed) wasyncSocket.shut(ws);
    });
    wasyncWeb.begin(op, () => {
      rec.connecting = 0;
      wasyncSocket.shut(ws);
    });
    ws.onopen = () => {
      const c = rec.connecting;
      rec.connecting = 0;
      if (c) wasyncWeb.settle(c, st.ok, rec, 0);
    };
    ws.onmessage = (ev) => {
      if (rec.disposed) return;
      const r = rec.receiving;
      rec.receiving = 0;
      if (r) wasyncSocket.deliver(r, ev.data);
      else rec.messages.push(ev.data);
    };
    ws.onerror = (ev) => {
      // Browsers say nothing about the cause; ws gives a message.
      const m = ev.message || (ev.error && ev.error.message);
      if (m) rec.error = m;
    };
    ws.onclose = (ev) => {
      rec.closed = { code: ev.code, reason: ev.reason, clean: ev.wasClean };
      if (rec.connecting) {
        const c = rec.connecting;
        rec.connecting = 0;
        wasyncWeb.settle(c, st.networkError, 'WebSocket connection failed' + (rec.error ? ': ' + rec.error : '') + ' (code ' + ev.code + ')', 0);
      }
      if (rec.receiving) {
        const r = rec.receiving;
        rec.receiving = 0;
        wasyncSocket.ended(rec, r);
      }
      for (const c of rec.closing.splice(0)) wasyncWeb.settle(c, st.ok, undefined, 0);
    };
  },

  wasync_ws_protocol__deps: ['$wasyncJs'],
  wasync_ws_protocol: function(recId) {
    return wasyncJs.put(wasyncJs.get(recId).ws.protocol || '');
  },

  wasync_ws_send__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_ws_send: function(recId, binary, ptr, len, messagePtr) {
    const ws = wasyncJs.get(recId).ws;
    const st = wasyncWeb.status;
    if (ws.readyState !== 1) {
      HEAP32[messagePtr >> 2] = wasyncJs.put(ws.readyState === 2 ? 'the WebSocket is closing' : 'the WebSocket is closed');
      return st.closed;
    }
    try {
      ws.send(binary ? HEAPU8.slice(ptr, ptr + len) : wasyncJs.text(ptr, len));
      return 0;
    } catch (e) {
      HEAP32[messagePtr >> 2] = wasyncJs.put(wasyncJs.message(e));
      return st.jsError;
    }
  },

  wasync_ws_buffered__deps: ['$wasyncJs'],
  wasync_ws_buffered: function(recId) {
    return wasyncJs.get(recId).ws.bufferedAmount;
  },

  wasync_ws_drain__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_ws_drain: function(recId, op, limit) {
    // Neither the browser's WebSocket nor ws has a 'drain' event: poll.
    const rec = wasyncJs.get(recId);
    const st = wasyncWeb.status;
    let timer = null;
    const poll = () => {
      timer = null;
      if (rec.closed) wasyncWeb.settle(op, st.closed, 'the WebSocket is closed', 0);
      else if (rec.ws.bufferedAmount <= limit) wasyncWeb.settle(op, st.ok, undefined, 0);
      else timer = setTimeout(poll, 1);
    };
    wasyncWeb.begin(op, () => clearTimeout(timer));
    poll();
  },

  wasync_ws_receive__deps: ['$wasyncJs', '$wasyncWeb', '$wasyncSocket'],
  wasync_ws_receive: function(recId, op) {
    const rec = wasyncJs.get(recId);
    const st = wasyncWeb.status;
    if (rec.receiving) {
      wasyncWeb.begin(op, null);
      wasyncWeb.settle(op, st.busy, 'another receive() is waiting on this WebSocket', 0);
      return;
    }
    wasyncWeb.begin(op, () => {
      rec.receiving = 0;
    });
    if (rec.head < rec.messages.length) {
      const data = rec.messages[rec.head];
      rec.messages[rec.head++] = undefined;
      if (rec.head === rec.messages.length) {
        rec.messages.length = 0;
        rec.head = 0;
      }
      wasyncSocket.deliver(op, data);
    } else if (rec.closed) {
      wasyncSocket.ended(rec, op);
    } else {
      rec.receiving = op;
    }
  },

  wasync_ws_close__deps: ['$wasyncJs', '$wasyncWeb'],
  wasync_ws_close: function(recId, op, code, reasonPtr, reasonLen) {
    const rec = wasyncJs.get(recId);
    const st = wasyncWeb.status;
    // Cancelling stops the wait; the closing handshake goes on.
    wasyncWeb.begin(op, () => {
      const i = rec.closing.indexOf(op);
      if (i >= 0) rec.closing.splice(i, 1);
    });
    if (rec.closed) {
      wasyncWeb.settle(op, st.ok, undefined, 0);
      return;
    }
    try {
      rec.ws.close(code, wasyncJs.text(reasonPtr, reasonLen));
    } catch (e) {
      wasyncWeb.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
      return;
    }
    rec.closing.push(op);
  },

  wasync_ws_close_status__deps: ['$wasyncJs'],
  wasync_ws_close_status: function(recId, reasonPtr, cleanPtr) {
    const c = wasyncJs.get(recId).closed;
    if (!c) return 0;
    HEAP32[reasonPtr >> 2] = wasyncJs.put(c.reason);
    HEAP32[cleanPtr >> 2] = c.clean ? 1 : 0;
    return c.code;
  },
});
