// wasync bindings' Emscripten JS library: C++ settles a JS call by id; the
// module's generated wrapper (installed as Module.wasyncBindSettle) decodes
// the result while C++ still holds the values it points into.
mergeInto(LibraryManager.library, {
  wasync_bind_settle: function(call, status, data, size) {
    Module['wasyncBindSettle'](call, status, data, size);
  },
});
