// The docs a newcomer reads: every relative link in README.md and docs/*.md
// leads to a file that exists (and a heading that exists, when it names one);
// the README's first screen names the three quick starts and the contents;
// the project files are there; the toolchain notes stand on their own; the
// Semantics section is in the README; the benchmark chart matches its table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartSvg } from '../../scripts/bench-chart.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', 'package/README.md'];

/// The text outside fenced code blocks (links in code are not links).
const prose = (text) => text.replace(/^```[^]*?^```/gm, '');

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');

/// The anchors a Markdown file's headings make (repeated ones numbered as GitHub does).
function anchors(text) {
  const seen = new Map();
  const out = new Set();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} (.*)$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/// Relative links ([text](target) and ![alt](target)) in a Markdown file's prose.
const links = (text) =>
  [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));

test('every relative link in the README and docs/ leads to an existing file and heading', () => {
  const broken = [];
  for (const page of pages) {
    if (page === 'package/README.md') continue;  // shipped alone in the npm tarball: no relative links
    for (const target of links(read(page))) {
      const [file, anchor] = target.split('#');
      const resolved = file ? path.join(path.dirname(page), file) : page;
      if (!existsSync(path.join(root, resolved))) broken.push(`${page}: ${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor)) {
        broken.push(`${page}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('the npm package\'s README has no relative links (npm shows it without the repository)', () => {
  assert.deepEqual(links(read('package/README.md')), []);
});

test('the README\'s first screen says what wasync is, names the three quick starts and has the contents', () => {
  const readme = read('README.md');
  const first = readme.split('\n').slice(0, 60).join('\n');
  assert.match(first, /^# wasync\n\nasyncio for C\+\+/);
  for (const start of ['a JavaScript app', 'C++ → an npm module', 'C++ on WASI, preview1 and preview2']) {
    assert.ok(first.includes(`[${start}](#quick-start-`), `first screen links the quick start: ${start}`);
  }
  assert.match(first, /\*\*Contents\*\*/);
  for (const anchor of ['#semantics-where-asyncio-is-vague-or-differs-by-version', '#supported-platforms', '#install-the-c-sdk']) {
    assert.ok(first.includes(`](${anchor})`), `the contents link ${anchor}`);
  }
  const order = ['## Quick start: a JavaScript app', '## Quick start: C++ → an npm module',
    '## Quick start: C++ on WASI (preview1 and preview2)', '## Working on wasync: `npm start`, `npm test`'];
  const at = order.map((h) => readme.indexOf(`\n${h}\n`));
  assert.ok(at.every((i) => i > 0), `the README has ${order.join(', ')}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'the quick starts come first, then the repository\'s commands');
});

test('the README keeps the Semantics section (the contract) and the support matrix', () => {
  const readme = read('README.md');
  assert.match(readme, /\n## Semantics \(where asyncio is vague or differs by version\)\n\nThis section is the one source of truth/);
  const matrix = readme.slice(readme.indexOf('\n## Supported platforms\n'));
  for (const row of ['OS', 'Emscripten', 'WASI compiler', 'Node', 'browsers', 'wasmtime']) {
    assert.match(matrix, new RegExp(`\\n\\| ${row} \\|`), `the support matrix has a row for ${row}`);
  }
});

test('LICENSE (MIT, as package.json says), CHANGELOG, CONTRIBUTING and SECURITY exist', () => {
  assert.equal(JSON.parse(read('package.json')).license, 'MIT');
  assert.match(read('LICENSE'), /^MIT License\n/);
  assert.match(read('CHANGELOG.md'), /^# Changelog\n[^]*## 0\.1\.0 \(unreleased\)/);
  assert.match(read('CONTRIBUTING.md'), /npm start[^]*npm test/);
  assert.match(read('SECURITY.md'), /^# Security/);
});

test('the toolchain notes refer to nothing outside the repository', () => {
  const notes = read('docs/toolchain-notes.md');
  assert.doesNotMatch(notes, /\.\.\/shared|\/work\/|shared\/TOOLCHAIN/);
  for (const target of links(notes)) {
    const file = target.split('#')[0];
    if (file) assert.ok(!path.relative(root, path.join(root, 'docs', file)).startsWith('..'), target);
  }
});

test('the benchmark chart is drawn from the figures in docs/benchmarks.md\'s table', () => {
  const figures = JSON.parse(read('docs/bench-figures.json'));
  const table = read('docs/benchmarks.md');
  const header = table.split('\n').find((l) => l.startsWith('| | floor |'));
  assert.deepEqual(header.split('|').slice(2, -1).map((c) => c.trim()), figures.servers);
  for (const row of [...figures.throughput, ...figures.cost]) {
    const line = table.split('\n').find((l) => l.startsWith(`| ${row.label} |`));
    assert.ok(line, `the table has the row ${row.label}`);
    const cells = line.split('|').slice(2, -1).map((c) => c.trim());
    assert.deepEqual(cells.map((c) => (c === '' ? null : Number(c.replace(/,/g, '')))), row.values, row.label);
  }
  assert.equal(read('docs/bench-chart.svg'), chartSvg(figures), 'docs/bench-chart.svg is stale: node scripts/bench-chart.mjs');
});
