// wasync's Promise library (conventions: loop.js), both ways over the op ids
// of ops.js: C++ awaits a JS Promise (js_await: its outcome settles the op),
// and JS awaits a C++ call — a bound function's (bindings/js/bind_runtime.js
// reaches this library as Module.wasyncCalls) or a to_js_promise's — whose
// op id C++ chose. A call's AbortSignal settles its op with status `aborted`
// (C++ cancels the task), through the same settlement batches as everything
// else; C++ completes the call by id (wasync_web_complete) with a js_reply
// status and the value's bytes, which the call's `read` decodes at once. A
// call its signal aborted rejects with the signal's reason, as fetch() does.
mergeInto(LibraryManager.library, {
  $wasyncCalls: {
    // Signals: real AbortSignals only, whose state and listeners are reached
    // through the intrinsics (a brand check throws for anything else): a
    // signal's own properties are never called.
    abortedGetter: null,
    reasonGetter: null,
    addListener: null,
    removeListener: null,
    // A call JS awaits. `read(data, size)` decodes its value; `op` is 0 until
    // C++ named it (track), -1 once it completed.
    create: function(read) {
      const call = {
        resolve: null, reject: null, read: read, signal: undefined, onAbort: null, op: 0, aborted: false, promise: null,
      };
      call.promise = new Promise((resolve, reject) => {
        call.resolve = resolve;
        call.reject = reject;
      });
      return call;
    },
    // Aborting `signal` aborts the call (now, if it is aborted already).
    // Throws when `signal` is not an AbortSignal that can be listened to.
    watch: function(call, signal) {
      const c = wasyncCalls;
      call.signal = signal;
      if (c.abortedGetter.call(signal)) {
        call.aborted = true;
        return;
      }
      call.onAbort = () => {
        call.aborted = true;
        if (call.op > 0) wasyncOps.post(call.op, wasyncConst.status.aborted, undefined, 0);
      };
      try {
        c.addListener.call(signal, 'abort', call.onAbort, { once: true });
      } catch (e) {
        call.signal = undefined;
        throw e;
      }
    },
    unwatch: function(call) {
      if (call.onAbort === null) return;
      try {
        wasyncCalls.removeListener.call(call.signal, 'abort', call.onAbort);
      } catch (e) {
        // Only a Proxy around a signal can refuse: if its listener fires, it finds the call completed.
      }
    },
    // C++ named the call `op`: it now waits for wasync_web_complete.
    track: function(op, call) {
      call.op = op;
      wasyncOps.calls.set(op, call);
      if (call.aborted) wasyncOps.post(op, wasyncConst.status.aborted, undefined, 0);
    },
    // The Error for the js_error_reply at `ptr`: a module's WasyncError (the
    // bindings pass their class in), else an Error with the same fields.
    error: function(ptr) {
      const f = wasyncConst.errorReply;
      const u32 = (offset) => HEAPU32[(ptr + offset) >> 2];
      const code = wasyncJs.text(u32(f.code), u32(f.codeSize));
      const e = new (Module['WasyncError'] || Error)(wasyncJs.text(u32(f.message), u32(f.messageSize)) || code);
      e.code = code;
      e.errc = HEAP32[(ptr + f.errc) >> 2];
      return e;
    },
    // What a call `signal` aborted rejects with: the signal's reason (read
    // through the intrinsic getter; AbortSignal.timeout() gives a TimeoutError),
    // given code "cancelled" like every wasync cancellation unless it is not
    // an object we may extend or already has a code of its own.
    abortReason: function(signal) {
      let reason;
      try {
        reason = wasyncCalls.reasonGetter.call(signal);
      } catch (e) {
        // A runtime without AbortSignal.prototype.reason: the Error below.
      }
      if (reason === undefined) reason = new Error('aborted by its AbortSignal');
      try {
        if (reason !== null && typeof reason === 'object' && Object.isExtensible(reason) &&
            !Object.prototype.hasOwnProperty.call(reason, 'code')) {
          // Defined, not assigned: DOMException's code is an inherited getter.
          Object.defineProperty(reason, 'code', { value: 'cancelled', writable: true, enumerable: true, configurable: true });
        }
      } catch (e) {
        // A Proxy as the reason refused: it is rejected with as it is.
      }
      return reason;
    },
    // A to_js_promise's value: a value-table id, whose ownership JS takes.
    readValue: function(data) {
      return wasyncJs.take(HEAP32[data >> 2]);
    },
  },
  $wasyncCalls__deps: ['$wasyncConst', '$wasyncJs', '$wasyncOps'],
  $wasyncCalls__postset: '(() => {' +
    '  const listeners = typeof EventTarget === "function" ? EventTarget.prototype : {};' +
    '  wasyncCalls.addListener = listeners.addEventListener;' +
    '  wasyncCalls.removeListener = listeners.removeEventListener;' +
    '  const signals = typeof AbortSignal === "function" ? AbortSignal.prototype : {};' +
    '  wasyncCalls.abortedGetter = (Object.getOwnPropertyDescriptor(signals, "aborted") || {}).get;' +
    '  wasyncCalls.reasonGetter = (Object.getOwnPropertyDescriptor(signals, "reason") || {}).get;' +
    '})();' +
    'Module["wasyncCalls"] = wasyncCalls;',

  wasync_js_await__deps: ['$wasyncConst', '$wasyncJs', '$wasyncOps', '$wasyncLoop'],
  wasync_js_await: function(promiseId, op) {
    // A promise cannot be stopped, so there is nothing to begin(): the
    // outcome of a cancelled await is posted anyway and C++ drops it.
    let p;
    try {
      p = Promise.resolve(wasyncJs.get(promiseId));  // reads a Promise's constructor
    } catch (e) {
      p = Promise.reject(e);
    }
    wasyncOps.awaiting++;
    const r = wasyncOps.reaction(op);
    p.then(r.fulfilled, r.rejected);
  },

  wasync_web_promise__deps: ['$wasyncCalls', '$wasyncConst', '$wasyncJs'],
  wasync_web_promise: function(op, signalId) {
    const call = wasyncCalls.create(wasyncCalls.readValue);
    if (signalId !== wasyncConst.slot.undefinedId) {
      try {
        wasyncCalls.watch(call, wasyncJs.get(signalId));
      } catch (e) {
        // Not an AbortSignal: it never fires.
      }
    }
    wasyncCalls.track(op, call);
    return wasyncJs.put(call.promise);
  },

  wasync_web_complete__deps: ['$wasyncCalls', '$wasyncConst', '$wasyncOps'],
  wasync_web_complete: function(op, status, data, size) {
    const call = wasyncOps.calls.get(op);
    if (call === undefined) return;
    wasyncOps.calls.delete(op);
    call.op = -1;
    wasyncCalls.unwatch(call);
    let ok = status === wasyncConst.replyStatus.ok;
    let value;
    try {
      value = ok ? call.read(data, size) : wasyncCalls.error(data);
    } catch (e) {
      ok = false;  // a result JS cannot hold (a string past its maximum length)
      value = e;
    }
    if (!ok && value !== null && typeof value === 'object' && value.code === 'cancelled' && call.aborted) {
      value = wasyncCalls.abortReason(call.signal);
    }
    if (ok) call.resolve(value);
    else call.reject(value);
  },
});
