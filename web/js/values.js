// wasync's value library (conventions: loop.js): C++ holds ids into a table
// (wasyncJs.values), never JS objects. undefined, null, true and false have
// fixed ids (js_slot in web/bridge/constants.json), never handed out nor
// freed, so C++ makes, copies and drops them without calling JS. Table
// entries that own a JS resource (a fetch, a socket) have a dispose function
// (in a WeakMap, never a property: the table also holds the callers' values,
// Proxies included), run when C++ releases them.
mergeInto(LibraryManager.library, {
  $wasyncJs: {
    values: null,         // id -> value (an array); the fixed ids (js_slot) are never freed
    free: [],             // released ids, reused first
    live: 0,              // ids handed out (the fixed ones are not)
    disposers: null,      // value -> function run when C++ releases it (a WeakMap)
    intrinsics: null,     // the built-in getters view() reads buffers through
    decoder: null,
    put: function(v) {
      const slot = wasyncConst.slot;
      if (v === undefined) return slot.undefinedId;
      if (v === null) return slot.nullId;
      if (typeof v === 'boolean') return v ? slot.trueId : slot.falseId;
      const id = wasyncJs.free.length > 0 ? wasyncJs.free.pop() : wasyncJs.values.length;
      wasyncJs.values[id] = v;
      wasyncJs.live++;
      return id;
    },
    get: function(id) {
      return wasyncJs.values[id];
    },
    release: function(id) {
      if (id < wasyncConst.slot.firstFree) return;
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
  $wasyncJs__deps: ['$wasyncConst'],
  $wasyncJs__postset: 'wasyncJs.values = ((s) => {' +
    '  const v = [];' +
    '  v[s.undefinedId] = undefined;' +
    '  v[s.nullId] = null;' +
    '  v[s.trueId] = true;' +
    '  v[s.falseId] = false;' +
    '  return v;' +
    '})(wasyncConst.slot);' +
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
    'Module["wasyncJsTake"] = (id) => wasyncJs.take(id);',

  wasync_js_release__deps: ['$wasyncJs'],
  wasync_js_release: function(id) {
    wasyncJs.release(id);
  },
  wasync_js_dup__deps: ['$wasyncJs'],
  wasync_js_dup: function(id) {
    return wasyncJs.put(wasyncJs.get(id));
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
  wasync_js_type__deps: ['$wasyncJs', '$wasyncConst'],
  wasync_js_type: function(id) {
    const t = wasyncConst.type;
    const v = wasyncJs.get(id);
    if (v === undefined) return t.undefined;
    if (v === null) return t.null;
    switch (typeof v) {
      case 'boolean': return t.boolean;
      case 'number': return t.number;
      case 'string': return t.string;
      case 'function': return t.function;
    }
    return wasyncJs.view(v) ? t.bytes : t.object;
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
  wasync_js_call__deps: ['$wasyncJs', '$wasyncConst'],
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
      return wasyncConst.status.jsError;
    }
  },
});
