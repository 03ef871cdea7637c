// A twiggy-style size breakdown of a wasm module: its sections, and the code
// section by function (names from the name section: link with --profiling-funcs
// or -g to keep them), grouped by owner (wasync's runtime, libc++, libc, ...).
// Reads a .wasm file or the wasm embedded in an Emscripten SINGLE_FILE .mjs/.js.
// Usage: node scripts/wasm-size.mjs <file> [--top N] [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The wasm bytes of `file`: itself, or the base64 data URL inside an Emscripten SINGLE_FILE module. */
export function wasmBytes(file) {
  const data = readFileSync(file);
  if (data[0] === 0 && data[1] === 0x61 && data[2] === 0x73 && data[3] === 0x6d) return data;
  const m = data.toString('utf8').match(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/);
  if (!m) throw new Error(`${file}: neither a wasm module nor a SINGLE_FILE Emscripten module`);
  return Buffer.from(m[1], 'base64');
}

function reader(buf, pos = 0) {
  const r = {
    pos,
    u8: () => buf[r.pos++],
    leb() {
      let result = 0, shift = 0, byte;
      do {
        byte = buf[r.pos++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return result;
    },
    name() {
      const n = r.leb();
      const s = buf.toString('utf8', r.pos, r.pos + n);
      r.pos += n;
      return s;
    },
  };
  return r;
}

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

/** Sections (id, name, size with header) and code bodies ({index, size, name}). */
export function analyze(buf) {
  const r = reader(buf, 8);
  const sections = [];
  let importedFuncs = 0;
  let bodies = [];
  const names = new Map();
  while (r.pos < buf.length) {
    const start = r.pos;
    const id = r.u8();
    const size = r.leb();
    const bodyStart = r.pos;
    const end = bodyStart + size;
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      const s = reader(buf, bodyStart);
      name = `custom "${s.name()}"`;
      if (name === 'custom "name"') {
        while (s.pos < end) {
          const sub = s.u8();
          const subSize = s.leb();
          const subEnd = s.pos + subSize;
          if (sub === 1) {
            const count = s.leb();
            for (let i = 0; i < count; i++) names.set(s.leb(), s.name());
          }
          s.pos = subEnd;
        }
      }
    } else if (id === 2) {
      const s = reader(buf, bodyStart);
      const count = s.leb();
      for (let i = 0; i < count; i++) {
        s.name();
        s.name();
        const kind = s.u8();
        if (kind === 0) { s.leb(); importedFuncs++; }
        else if (kind === 1) { s.u8(); const flags = s.u8(); s.leb(); if (flags & 1) s.leb(); }
        else if (kind === 2) { const flags = s.u8(); s.leb(); if (flags & 1) s.leb(); }
        else if (kind === 3) { s.u8(); s.u8(); }
        else if (kind === 4) { s.u8(); s.leb(); }
      }
    } else if (id === 10) {
      const s = reader(buf, bodyStart);
      const count = s.leb();
      for (let i = 0; i < count; i++) {
        const bstart = s.pos;
        const bsize = s.leb();
        s.pos += bsize;
        bodies.push({ index: importedFuncs + i, size: s.pos - bstart });
      }
    }
    sections.push({ id, name, size: end - start });
    r.pos = end;
  }
  bodies = bodies.map((b) => ({ ...b, name: names.get(b.index) ?? `func[${b.index}]` }));
  return { total: buf.length, sections, functions: bodies };
}

function demangle(list) {
  try {
    const out = execFileSync('c++filt', { input: list.join('\n'), maxBuffer: 64 << 20 }).toString().split('\n');
    return list.map((n, i) => out[i] || n);
  } catch {
    return list;
  }
}

/** Who a function belongs to, from its demangled name. */
export function owner(name) {
  if (/^wasync::(detail::)?(web|js_|fetch|websocket)|^wasync_web|^wasync::js_/.test(name)) return 'wasync web host';
  if (/^wasync_bind_|^wasync::bind::/.test(name)) return 'wasync bindings';
  if (/^(wasync::)?http::|^wasync::http/.test(name)) return 'wasync http';
  if (/wasync::/.test(name)) return 'wasync runtime';
  if (/^std::|^__cxxabiv1|^__cxa_|^operator (new|delete)|^__gxx|^__dynamic_cast/.test(name)) return 'libc++/libc++abi';
  if (/^(dlmalloc|dlfree|dlrealloc|malloc|free|sbrk|emscripten_builtin_|tmalloc|prepend_alloc|dispose_chunk|internal_memalign)/.test(name)) return 'malloc';
  if (/^func\[/.test(name)) return 'unnamed';
  if (/\(|::/.test(name)) return 'program';
  return 'libc and the rest';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const topIdx = args.indexOf('--top');
  const top = topIdx >= 0 ? Number(args[topIdx + 1]) : 25;
  if (!file) {
    console.error('usage: node scripts/wasm-size.mjs <file.wasm|file.mjs> [--top N] [--json]');
    process.exit(2);
  }
  const a = analyze(wasmBytes(file));
  const demangled = demangle(a.functions.map((f) => f.name));
  a.functions.forEach((f, i) => { f.name = demangled[i]; f.owner = owner(f.name); });
  const byOwner = new Map();
  for (const f of a.functions) byOwner.set(f.owner, (byOwner.get(f.owner) ?? 0) + f.size);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ total: a.total, sections: a.sections, owners: Object.fromEntries(byOwner), functions: a.functions }));
  } else {
    const pct = (n) => `${((100 * n) / a.total).toFixed(1)}%`.padStart(6);
    console.log(`${file}: ${a.total} bytes`);
    console.log('sections');
    for (const s of a.sections) console.log(`  ${String(s.size).padStart(8)} ${pct(s.size)}  ${s.name}`);
    console.log('code by owner');
    for (const [o, n] of [...byOwner].sort((x, y) => y[1] - x[1])) console.log(`  ${String(n).padStart(8)} ${pct(n)}  ${o}`);
    console.log(`largest functions (of ${a.functions.length})`);
    for (const f of [...a.functions].sort((x, y) => y.size - x.size).slice(0, top)) {
      console.log(`  ${String(f.size).padStart(8)} ${pct(f.size)}  ${f.name.slice(0, 150)}`);
    }
  }
}
