// wasync's Emscripten JS libraries map the loop onto the JS event loop and give
// C++ JS values, Promises, fetch and WebSocket, one concern per file, each a
// --js-library of wasync::web (web/CMakeLists.txt):
//   loop.js       drains, the one timer, yields, Node's idle moment (this file)
//   ops.js        op ids both ways, settlement batches, cancellation
//   values.js     the value table and conversions
//   promises.js   js_await, Promises of C++ calls (bound calls, to_js_promise), AbortSignals
//   fetch.js, websocket.js
//   js_constants.js (generated from web/bridge/constants.json): what C++ and JS agree on
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
//
// The loop: ready C++ tasks drain in a microtask (one per batch, as
// wasm-bindgen-futures does); a drain past its budget continues in a
// macrotask (MessageChannel in browsers, setImmediate in Node; setTimeout(0)
// is clamped); every timer shares one setTimeout armed for the earliest
// deadline. Each drain hands C++ the settlements batched since the last one.
mergeInto(LibraryManager.library, {
  $wasyncLoop: {
    drainQueued: false,
    timer: null,
    channel: null,
    resolved: null,  // a settled Promise: its then() queues the drain microtask
    crossings: 0,  // JS -> wasm drain calls, read by tests and benches
    // The drain's arguments, for callDrain (no closure per drain).
    drainFromTimer: 0,
    drainSettled: 0,
    callDrain: function() {
      _wasync_web_drain(wasyncLoop.drainFromTimer, wasyncLoop.drainSettled);
    },
    drain: function(fromTimer) {
      wasyncLoop.crossings++;
      wasyncLoop.drainSettled = wasyncOps.flush();
      wasyncLoop.drainFromTimer = fromTimer ? 1 : 0;
      callUserCallback(wasyncLoop.callDrain);
    },
    microtask: function() {
      wasyncLoop.drainQueued = false;
      wasyncLoop.drain(false);
    },
    // One microtask per batch. A settled Promise's then() rather than
    // queueMicrotask: same queue, but Node's queueMicrotask is a JS wrapper
    // that allocates an async-hooks resource per call (a third of an awaited
    // Promise's cost here).
    queueDrain: function() {
      if (wasyncLoop.drainQueued) return;
      wasyncLoop.drainQueued = true;
      wasyncLoop.resolved.then(wasyncLoop.microtask);
    },
  },
  $wasyncLoop__deps: ['$callUserCallback', '$wasyncOps', 'wasync_web_drain'],
  $wasyncLoop__postset: 'wasyncLoop.resolved = Promise.resolve();' +
    'Module["wasyncDrainCount"] = () => wasyncLoop.crossings;',

  wasync_web_notify__deps: ['$wasyncLoop'],
  wasync_web_notify: function() {
    wasyncLoop.queueDrain();
  },

  wasync_web_yield__deps: ['$wasyncLoop'],
  wasync_web_yield: function() {
    // Node: setImmediate runs after timers and I/O had their turn; a
    // MessagePort there drains every message it is sent before anything else.
    if (typeof setImmediate === 'function') {
      setImmediate(() => wasyncLoop.drain(false));
      return;
    }
    let ch = wasyncLoop.channel;
    if (!ch) {
      ch = wasyncLoop.channel = new MessageChannel();
      ch.port1.onmessage = () => wasyncLoop.drain(false);
    }
    ch.port2.postMessage(0);
  },

  wasync_web_arm_timer__deps: ['$wasyncLoop'],
  wasync_web_arm_timer: function(delayMs) {
    if (wasyncLoop.timer !== null) clearTimeout(wasyncLoop.timer);
    wasyncLoop.timer = null;
    if (delayMs < 0) return;
    // setTimeout takes at most 2^31-1 ms (about 24.8 days): a longer delay
    // fires after 1 ms in Node (with a TimeoutOverflowWarning), and wraps to
    // 32 bits in Chromium (3e9 ms: at once). A farther deadline is reached in
    // steps: the early wake finds nothing due, and the drain arms the rest.
    wasyncLoop.timer = setTimeout(() => {
      wasyncLoop.timer = null;
      wasyncLoop.drain(true);
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
});
