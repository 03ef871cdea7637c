// wasync's WebSocket library (conventions: loop.js): the host's WebSocket for
// C++'s wasync::websocket, one op per connect, receive, drain wait and close.
// A socket record (in the value table, owned by C++'s websocket) holds the
// WebSocket, the messages nobody is waiting for yet (so a cancelled receive
// loses nothing), and the ops waiting on it.
mergeInto(LibraryManager.library, {
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
      wasyncOps.settle(op, wasyncConst.status.ok, data, binary ? 1 : 0);
    },
    // How a receive ends once the socket closed: the end, or an error.
    ended: function(rec, op) {
      const st = wasyncConst.status;
      const c = rec.closed;
      if (c.clean) wasyncOps.settle(op, st.end, undefined, 0);
      else wasyncOps.settle(op, st.networkError, 'WebSocket closed abnormally (code ' + c.code + ')' + (rec.error ? ': ' + rec.error : ''), 0);
    },
    shut: function(ws) {
      try {
        ws.close();
      } catch (e) {
        // Closed already.
      }
    },
  },
  $wasyncSocket__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],

  wasync_ws_connect__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst', '$wasyncSocket'],
  wasync_ws_connect: function(op, urlPtr, urlLen, protocolsPtr, protocolsLen) {
    const st = wasyncConst.status;
    const Socket = wasyncSocket.constructor();
    if (!Socket) {
      wasyncOps.begin(op, null);
      wasyncOps.settle(op, st.notSupported, 'this JavaScript environment has no WebSocket (in Node 20, install the npm package ws)', 0);
      return;
    }
    let ws;
    try {
      const protocols = protocolsLen > 0 ? wasyncJs.text(protocolsPtr, protocolsLen).split('\0') : [];
      ws = new Socket(wasyncJs.text(urlPtr, urlLen), protocols);
    } catch (e) {
      wasyncOps.begin(op, null);
      wasyncOps.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
      return;
    }
    ws.binaryType = 'arraybuffer';
    const rec = { ws, messages: [], head: 0, connecting: op, receiving: 0, closing: [], closed: null, error: '', disposed: false };
    wasyncJs.onRelease(rec, () => {
      rec.disposed = true;
      rec.messages = [];
      if (!rec.closed) wasyncSocket.shut(ws);
    });
    wasyncOps.begin(op, () => {
      rec.connecting = 0;
      wasyncSocket.shut(ws);
    });
    ws.onopen = () => {
      const c = rec.connecting;
      rec.connecting = 0;
      if (c) wasyncOps.settle(c, st.ok, rec, 0);
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
        wasyncOps.settle(c, st.networkError, 'WebSocket connection failed' + (rec.error ? ': ' + rec.error : '') + ' (code ' + ev.code + ')', 0);
      }
      if (rec.receiving) {
        const r = rec.receiving;
        rec.receiving = 0;
        wasyncSocket.ended(rec, r);
      }
      for (const c of rec.closing.splice(0)) wasyncOps.settle(c, st.ok, undefined, 0);
    };
  },

  wasync_ws_protocol__deps: ['$wasyncJs'],
  wasync_ws_protocol: function(recId) {
    return wasyncJs.put(wasyncJs.get(recId).ws.protocol || '');
  },

  wasync_ws_send__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],
  wasync_ws_send: function(recId, binary, ptr, len, messagePtr) {
    const ws = wasyncJs.get(recId).ws;
    const st = wasyncConst.status;
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

  wasync_ws_drain__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],
  wasync_ws_drain: function(recId, op, limit) {
    // Neither the browser's WebSocket nor ws has a 'drain' event: poll.
    const rec = wasyncJs.get(recId);
    const st = wasyncConst.status;
    let timer = null;
    const poll = () => {
      timer = null;
      if (rec.closed) wasyncOps.settle(op, st.closed, 'the WebSocket is closed', 0);
      else if (rec.ws.bufferedAmount <= limit) wasyncOps.settle(op, st.ok, undefined, 0);
      else timer = setTimeout(poll, 1);
    };
    wasyncOps.begin(op, () => clearTimeout(timer));
    poll();
  },

  wasync_ws_receive__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst', '$wasyncSocket'],
  wasync_ws_receive: function(recId, op) {
    const rec = wasyncJs.get(recId);
    const st = wasyncConst.status;
    if (rec.receiving) {
      wasyncOps.begin(op, null);
      wasyncOps.settle(op, st.busy, 'another receive() is waiting on this WebSocket', 0);
      return;
    }
    wasyncOps.begin(op, () => {
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

  wasync_ws_close__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],
  wasync_ws_close: function(recId, op, code, reasonPtr, reasonLen) {
    const rec = wasyncJs.get(recId);
    const st = wasyncConst.status;
    // Cancelling stops the wait; the closing handshake goes on.
    wasyncOps.begin(op, () => {
      const i = rec.closing.indexOf(op);
      if (i >= 0) rec.closing.splice(i, 1);
    });
    if (rec.closed) {
      wasyncOps.settle(op, st.ok, undefined, 0);
      return;
    }
    try {
      rec.ws.close(code, wasyncJs.text(reasonPtr, reasonLen));
    } catch (e) {
      wasyncOps.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
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
