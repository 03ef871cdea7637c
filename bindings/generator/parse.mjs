// Reads a module's declaration header: functions marked WASYNC_EXPORT and
// structs marked WASYNC_RECORD, with their `///` comments. Understands the
// small subset of C++ such a header uses (namespaces, types, declarations);
// anything else outside a marked declaration is skipped.

export class BindError extends Error {}

function tokenize(text, file) {
  const tokens = [];
  let i = 0;
  let line = 1;
  let lineStart = true;
  const err = (m) => {
    throw new BindError(`${file}:${line}: ${m}`);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#' && lineStart) {
      // Preprocessor line (with backslash continuations): not ours.
      while (i < text.length && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') {
          line++;
          i++;
        }
        i++;
      }
      continue;
    }
    lineStart = false;
    if (text.startsWith('///', i) && text[i + 3] !== '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      tokens.push({ t: 'doc', v: text.slice(i + 3, stop).replace(/^ /, ''), line });
      i = stop;
      continue;
    }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) err('unterminated comment');
      const body = text.slice(i + 2, end);
      if (body.startsWith('*') && !body.startsWith('**')) {
        for (const l of body.slice(1).split('\n')) {
          const v = l.replace(/^\s*\*? ?/, '').trimEnd();
          if (v) tokens.push({ t: 'doc', v, line });
        }
      }
      line += body.split('\n').length - 1;
      i = end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') err('unterminated literal');
        j++;
      }
      tokens.push({ t: 'lit', v: text.slice(i, j + 1), line });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256));
    if (id) {
      tokens.push({ t: 'id', v: id[0], line });
      i += id[0].length;
      continue;
    }
    const num = /^[0-9][0-9A-Za-z_.']*/.exec(text.slice(i, i + 64));
    if (num) {
      tokens.push({ t: 'num', v: num[0], line });
      i += num[0].length;
      continue;
    }
    if (text.startsWith('::', i)) {
      tokens.push({ t: 'p', v: '::', line });
      i += 2;
      continue;
    }
    tokens.push({ t: 'p', v: c, line });
    i++;
  }
  return tokens;
}

// Scalar spellings (after std:: / wasync:: / wasync::bind:: are dropped).
const SCALARS = new Map([
  ['int', 'i32'], ['int32_t', 'i32'], ['unsigned', 'u32'], ['unsigned int', 'u32'], ['uint32_t', 'u32'],
  ['int64_t', 'i64'], ['long long', 'i64'], ['long long int', 'i64'],
  ['uint64_t', 'u64'], ['unsigned long long', 'u64'], ['unsigned long long int', 'u64'],
  ['double', 'f64'], ['bool', 'bool'], ['void', 'void'],
  ['string', 'string'], ['string_view', 'string_view'],
  ['bytes', 'bytes'], ['bytes_view', 'bytes_view'], ['js_value', 'any'],
]);
const WRAPPERS = new Map([['optional', 'opt'], ['vector', 'vec'], ['task', 'task'], ['result', 'result'], ['span', 'span']]);
const DROP = /^(::)?(std::|wasync::bind::|wasync::)/;

class Cursor {
  constructor(tokens, file) {
    this.tokens = tokens;
    this.file = file;
    this.i = 0;
  }
  peek(k = 0) {
    return this.tokens[this.i + k];
  }
  next() {
    const t = this.tokens[this.i++];
    if (!t) this.fail('unexpected end of file');
    return t;
  }
  is(v, k = 0) {
    const t = this.peek(k);
    return t !== undefined && t.t !== 'doc' && t.t !== 'lit' && t.v === v;
  }
  expect(v) {
    const t = this.next();
    if (t.v !== v) this.fail(`expected "${v}", found "${t.v}"`, t);
    return t;
  }
  ident() {
    const t = this.next();
    if (t.t !== 'id') this.fail(`expected a name, found "${t.v}"`, t);
    return t.v;
  }
  fail(m, t = this.peek() ?? this.tokens[this.tokens.length - 1]) {
    throw new BindError(`${this.file}:${t ? t.line : 0}: ${m}`);
  }
  skipDocs() {
    while (this.peek()?.t === 'doc') this.i++;
  }
  /// Skips a balanced (...), [...], {...} or <...> group starting at the current token.
  skipGroup() {
    const open = this.next().v;
    const close = { '(': ')', '[': ']', '{': '}', '<': '>' }[open];
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.t !== 'p') continue;
      if (t.v === open) depth++;
      else if (t.v === close) depth--;
    }
  }
}

/// A type: { k, of?, name?, cpp, ref, line }.
function parseType(c) {
  const line = c.peek()?.line;
  let constBefore = false;
  while (c.is('const') || c.is('typename') || c.is('volatile')) {
    if (c.next().v === 'const') constBefore = true;
  }
  let spelled = '';
  if (c.is('::')) spelled += c.next().v;
  if (c.is('unsigned') || c.is('long') || c.is('signed')) {
    const words = [];
    while (c.is('unsigned') || c.is('long') || c.is('signed') || c.is('int')) words.push(c.next().v);
    spelled += words.join(' ');
  } else {
    spelled += c.ident();
    while (c.is('::')) spelled += c.next().v + c.ident();
  }
  let args = null;
  if (c.is('<')) {
    c.next();
    args = [];
    if (!c.is('>')) {
      for (;;) {
        args.push(parseType(c));
        if (c.is(',')) c.next();
        else break;
      }
    }
    c.expect('>');
  }
  let constAfter = false;
  while (c.is('const')) {
    c.next();
    constAfter = true;
  }
  let ref = '';
  while (c.is('&') || c.is('*')) {
    const r = c.next().v;
    if (r === '*') c.fail('pointers cannot cross to JavaScript; use a value type');
    ref += r;
  }
  const base = spelled.replace(DROP, '');
  const type = { line, ref, isConst: constBefore || constAfter, spelled };
  if (args === null && SCALARS.has(base)) {
    type.k = SCALARS.get(base);
  } else if (args !== null && WRAPPERS.has(base)) {
    const k = WRAPPERS.get(base);
    if (args.length !== 1) c.fail(`${base}<...> takes one type`);
    const [of] = args;
    if (k === 'span') {
      if (of.k !== 'byte' || !of.isConst) c.fail('only std::span<const std::byte> (wasync::bind::bytes_view) is supported');
      type.k = 'bytes_view';
    } else if (k === 'vec' && of.k === 'byte') {
      type.k = 'bytes';
    } else {
      type.k = k;
      type.of = of;
    }
  } else if (args === null && base === 'byte') {
    type.k = 'byte';
  } else if (args === null) {
    type.k = 'rec';
    type.name = spelled.replace(/^::/, '');
  } else {
    c.fail(`unsupported type ${spelled}<...>`);
  }
  return type;
}

function takeDocs(c) {
  const docs = [];
  while (c.peek()?.t === 'doc') docs.push(c.next().v);
  return docs;
}

function parseFunction(c, docs, ns) {
  const start = c.peek();
  while (c.is('inline') || c.is('static') || c.is('extern')) c.next();
  while (c.is('[') && c.is('[', 1)) c.skipGroup();
  const ret = parseType(c);
  const name = c.ident();
  c.expect('(');
  const params = [];
  if (!c.is(')')) {
    for (;;) {
      const pdocs = takeDocs(c);
      const type = parseType(c);
      const t = c.peek();
      if (t.t !== 'id') c.fail(`parameter ${params.length + 1} of ${name} needs a name (JS and TypeScript show it)`);
      const pname = c.ident();
      if (c.is('=')) c.fail(`default arguments are not supported (${name}, ${pname}); use std::optional`);
      params.push({ name: pname, type, docs: pdocs });
      if (c.is(',')) c.next();
      else break;
    }
  }
  c.expect(')');
  while (c.is('noexcept') || c.is('const')) {
    c.next();
    if (c.is('(')) c.skipGroup();
  }
  if (c.is('{')) c.skipGroup();
  else c.expect(';');
  return { name, cppName: [...ns, name].join('::'), ret, params, docs, line: start.line };
}

function parseRecord(c, docs, ns) {
  const line = c.peek().line;
  const name = c.ident();
  if (c.is(':') || c.is('final')) c.fail(`record ${name}: base classes are not supported`);
  c.expect('{');
  const fields = [];
  for (;;) {
    const fdocs = takeDocs(c);
    if (c.is('}')) break;
    const type = parseType(c);
    const fname = c.ident();
    if (c.is('(')) c.fail(`record ${name}: member functions are not supported (records are plain data)`);
    if (c.is('=')) {
      c.next();
      while (!c.is(';')) {
        if (c.is('{') || c.is('(') || c.is('[')) c.skipGroup();
        else c.next();
      }
    } else if (c.is('{')) {
      c.skipGroup();
    }
    c.expect(';');
    fields.push({ name: fname, type, docs: fdocs });
  }
  c.expect('}');
  c.expect(';');
  if (fields.length === 0) c.fail(`record ${name} has no fields`);
  return { name, cppName: [...ns, name].join('::'), fields, docs, line };
}

/// Parses one header's text: { functions, records }.
export function parseHeader(text, file = '<header>') {
  const c = new Cursor(tokenize(text, file), file);
  const functions = [];
  const records = [];
  const scopes = []; // namespace names, or null for any other brace
  let docs = [];
  while (c.peek()) {
    const t = c.peek();
    if (t.t === 'doc') {
      docs.push(c.next().v);
      continue;
    }
    if (c.is('namespace')) {
      c.next();
      const names = [];
      while (!c.is('{')) {
        const n = c.next();
        if (n.t === 'id' && n.v !== 'inline') names.push(n.v);
        if (n.v === ';' || n.v === '=') break; // alias or using-directive: nothing to open
      }
      if (c.is('{')) {
        c.next();
        scopes.push(names);
      }
      docs = [];
      continue;
    }
    if (c.is('WASYNC_EXPORT')) {
      c.next();
      functions.push(parseFunction(c, docs, scopes.flat()));
      docs = [];
      continue;
    }
    if ((c.is('struct') || c.is('class')) && c.is('WASYNC_RECORD', 1)) {
      c.next();
      c.next();
      records.push(parseRecord(c, docs, scopes.flat()));
      docs = [];
      continue;
    }
    if (c.is('{')) scopes.push([]);
    if (c.is('}')) {
      if (scopes.length === 0) c.fail('unbalanced "}"');
      scopes.pop();
    }
    c.next();
    docs = [];
  }
  if (scopes.length) c.fail('unbalanced "{"');
  return { functions, records };
}

export const camel = (s) => s.replace(/_+([a-z0-9])/g, (_, ch) => ch.toUpperCase());
export const pascal = (s) => camel(s).replace(/^[a-z]/, (ch) => ch.toUpperCase());

const RESERVED = new Set(['wasyncDebug', 'then', 'constructor']);

/// Checks the declarations and resolves record references: the module model.
export function buildModel(name, parsed, file = '<header>') {
  const fail = (line, m) => {
    throw new BindError(`${file}:${line}: ${m}`);
  };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BindError(`module name "${name}" must be a C identifier`);
  const records = new Map();
  for (const r of parsed.records) {
    const short = r.name;
    if (records.has(short)) fail(r.line, `record ${short} declared twice`);
    records.set(short, { ...r, tsName: pascal(short), fields: r.fields.map((f) => ({ ...f, jsName: camel(f.name) })) });
  }
  const resolve = (type, where, ctx) => {
    switch (type.k) {
      case 'void':
        if (ctx !== 'return' && ctx !== 'return-inner') fail(type.line, `${where}: void is only a return type`);
        return;
      case 'byte':
        fail(type.line, `${where}: std::byte alone is not supported; use wasync::bind::bytes`);
        return;
      case 'task':
        if (ctx !== 'return') fail(type.line, `${where}: task<T> is only a return type`);
        return resolve(type.of, where, 'return-inner');
      case 'result':
        if (ctx !== 'return') fail(type.line, `${where}: result<T> is only a return type (of a sync function)`);
        return resolve(type.of, where, 'return-inner');
      case 'opt':
      case 'vec':
        if (type.of.ref) fail(type.line, `${where}: references inside ${type.k === 'opt' ? 'optional' : 'vector'} are not supported`);
        return resolve(type.of, where, 'inner');
      case 'rec': {
        const short = type.name.split('::').pop();
        const rec = records.get(short);
        if (!rec) fail(type.line, `${where}: unknown type ${type.spelled} (declare it as struct WASYNC_RECORD in this header)`);
        type.record = rec;
        return;
      }
      default:
    }
  };
  for (const r of records.values()) for (const f of r.fields) resolve(f.type, `${r.name}.${f.name}`, 'field');
  const functions = [];
  const jsNames = new Set();
  for (const f of parsed.functions) {
    const jsName = camel(f.name);
    if (jsNames.has(jsName)) fail(f.line, `two exported functions are named ${jsName} in JavaScript`);
    if (RESERVED.has(jsName)) fail(f.line, `${jsName} is reserved in the module object`);
    jsNames.add(jsName);
    resolve(f.ret, `${f.name}'s return type`, 'return');
    const async = f.ret.k === 'task';
    if (async && f.ret.ref) fail(f.line, `${f.name}: return task<T> by value`);
    const seen = new Set();
    for (const p of f.params) {
      if (seen.has(p.name)) fail(f.line, `${f.name}: two parameters named ${p.name}`);
      seen.add(p.name);
      resolve(p.type, `${f.name}(${p.name})`, 'param');
      if (p.type.ref && (async || p.type.ref !== '&' || !p.type.isConst)) {
        fail(p.type.line, async
          ? `${f.name}(${p.name}): an async function takes its parameters by value (a coroutine would keep a dangling reference)`
          : `${f.name}(${p.name}): only const references are supported`);
      }
      p.jsName = camel(p.name);
    }
    const last = f.params[f.params.length - 1];
    const optionsBag = last !== undefined && last.type.k === 'rec' && last.type.record.fields.every((fl) => fl.type.k === 'opt');
    functions.push({ ...f, jsName, async, optionsBag, views: f.params.some((p) => hasView(p.type)) });
  }
  return { name, functions, records: sortRecords([...records.values()]) };
}

function hasView(type) {
  if (type.k === 'string_view' || type.k === 'bytes_view') return true;
  if (type.k === 'opt' || type.k === 'vec') return hasView(type.of);
  if (type.k === 'rec') return type.record.fields.some((f) => hasView(f.type));
  return false;
}

/// Records ordered so that each comes after the records its fields use.
function sortRecords(records) {
  const out = [];
  const state = new Map();
  const visit = (r) => {
    if (state.get(r) === 'done') return;
    if (state.get(r) === 'busy') throw new BindError(`record ${r.name} contains itself`);
    state.set(r, 'busy');
    const walk = (t) => {
      if (t.k === 'rec') visit(t.record);
      else if (t.of) walk(t.of);
    };
    for (const f of r.fields) walk(f.type);
    state.set(r, 'done');
    out.push(r);
  };
  for (const r of records) visit(r);
  return out;
}
