// wasync's fetch library (conventions: loop.js): JS fetch() for C++'s
// wasync::fetch, one op per request and per body read. A request record (in
// the value table, owned by C++'s fetch_response) holds the Response, its
// AbortController and the body's reader. A body read whose op was cancelled
// keeps running; its chunk waits in `stash` for the next read, so a timed-out
// read loses nothing.
mergeInto(LibraryManager.library, {
  $wasyncFetch: {
    deliver: function(rec, r) {
      const op = rec.waiter;
      if (!op) {
        rec.stash = r;
        return;
      }
      rec.waiter = 0;
      const st = wasyncConst.status;
      if (r.error !== undefined) {
        wasyncOps.settle(op, st.networkError, wasyncJs.message(r.error), 0);
      } else if (r.done) {
        rec.done = true;
        wasyncOps.settle(op, st.end, undefined, 0);
      } else {
        wasyncOps.settle(op, st.ok, r.value, r.value.byteLength);
      }
    },
  },
  $wasyncFetch__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],

  wasync_fetch_start__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst'],
  wasync_fetch_start: function(op, methodPtr, methodLen, urlPtr, urlLen, headersPtr, headersLen, bodyKind, bodyPtr, bodyLen) {
    const st = wasyncConst.status;
    const controller = new AbortController();
    wasyncOps.begin(op, () => controller.abort());
    if (typeof fetch !== 'function') {
      wasyncOps.settle(op, st.notSupported, 'this JavaScript environment has no fetch()', 0);
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
      wasyncOps.settle(op, st.invalidArgument, wasyncJs.message(e), 0);
      return;
    }
    fetch(url, init).then(
      (response) => {
        const rec = { response, controller, reader: null, reading: false, waiter: 0, stash: null, done: false };
        wasyncJs.onRelease(rec, () => {
          if (!rec.done) controller.abort();
        });
        wasyncOps.settle(op, st.ok, rec, response.status);
      },
      (e) => wasyncOps.settle(op, st.networkError, wasyncJs.message(e), 0));
  },

  wasync_fetch_head__deps: ['$wasyncJs'],
  wasync_fetch_head: function(recId) {
    const response = wasyncJs.get(recId).response;
    const parts = [response.statusText];
    response.headers.forEach((value, name) => parts.push(name, value));
    return wasyncJs.put(parts.join('\0'));
  },

  wasync_fetch_read__deps: ['$wasyncJs', '$wasyncOps', '$wasyncConst', '$wasyncFetch'],
  wasync_fetch_read: function(recId, op, whole) {
    const rec = wasyncJs.get(recId);
    wasyncOps.begin(op, () => {
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
});
