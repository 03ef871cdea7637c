// Draws docs/bench-chart.svg from docs/bench-figures.json (the echo table in
// docs/benchmarks.md): grouped bars, throughput above, costs below. No
// dependencies; the same figures always give the same file, so
// tests/structure/docs.test.mjs can tell when the chart is stale.
//   node scripts/bench-chart.mjs   (after editing the JSON)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WIDTH = 880;
const PANEL_HEIGHT = 250;
const LEFT = 56;
const RIGHT = 16;
// Peers in greys and blues, wasync's hosts in warm colours, in the table's column order.
const COLOURS = ['#6b6b6b', '#3c8d3c', '#4f7fbf', '#2c4f8c', '#e07b00', '#c4421a', '#8c1c4f'];

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/// A round step giving about five gridlines up to `max`.
function tickStep(max) {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
}

const tickLabel = (v, thousands) => (thousands && v ? `${num(v / 1000)}k` : num(v));

/// One panel: a group of bars per row of figures, one bar per server.
function panel({ title, rows, servers, top, thousands }) {
  const out = [];
  const plotTop = top + 28;
  const plotHeight = PANEL_HEIGHT - 70;
  const base = plotTop + plotHeight;
  const max = Math.max(...rows.flatMap((r) => r.values.filter((v) => v !== null)));
  const step = tickStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (v) => base - (v / yMax) * plotHeight;
  out.push(`<text x="${LEFT}" y="${top + 14}" class="title">${escape(title)}</text>`);
  for (let v = 0; v <= yMax + step / 1e6; v += step) {
    out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" class="tick">${tickLabel(v, thousands)}</text>`);
  }
  const groupWidth = (WIDTH - LEFT - RIGHT) / rows.length;
  const barWidth = Math.min(16, (groupWidth - 24) / servers.length);
  rows.forEach((row, g) => {
    const x0 = LEFT + g * groupWidth + (groupWidth - barWidth * servers.length) / 2;
    row.values.forEach((v, s) => {
      if (v === null) return;
      const x = (x0 + s * barWidth).toFixed(1);
      out.push(`<rect x="${x}" y="${y(v).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" ` +
        `height="${(base - y(v)).toFixed(1)}" fill="${COLOURS[s]}"><title>${escape(`${servers[s]}: ${num(v)}`)}</title></rect>`);
    });
    const label = row.label.replace(/ \(.*\)$/, '');
    const unit = /\((.*)\)$/.exec(row.label)?.[1] ?? '';
    const cx = (LEFT + (g + 0.5) * groupWidth).toFixed(1);
    out.push(`<text x="${cx}" y="${base + 18}" class="group">${escape(label)}</text>`);
    out.push(`<text x="${cx}" y="${base + 32}" class="unit">${escape(unit)}</text>`);
  });
  return out;
}

/// The whole SVG for `figures` (the shape of docs/bench-figures.json).
export function chartSvg(figures) {
  const { servers } = figures;
  const legendTop = 36;
  const panelsTop = legendTop + 30;
  const height = panelsTop + 2 * PANEL_HEIGHT + 10;
  const body = [
    `<text x="${LEFT}" y="22" class="heading">${escape(figures.title)}</text>`,
    ...servers.map((name, s) => {
      const x = LEFT + s * 114;
      return `<rect x="${x}" y="${legendTop}" width="12" height="12" fill="${COLOURS[s]}"/>` +
        `<text x="${x + 17}" y="${legendTop + 10}" class="legend">${escape(name)}</text>`;
    }),
    ...panel({ title: 'Throughput: higher is better', rows: figures.throughput, servers, top: panelsTop, thousands: true }),
    ...panel({ title: 'Cost per request: lower is better', rows: figures.cost, servers, top: panelsTop + PANEL_HEIGHT, thousands: false }),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `role="img" aria-label="${escape(figures.title)}">
<style>
text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; fill: #222; }
.heading { font-size: 15px; font-weight: 600; }
.title { font-size: 13px; font-weight: 600; }
.legend { font-size: 12px; }
.tick { font-size: 11px; text-anchor: end; fill: #555; }
.group { font-size: 11px; text-anchor: middle; }
.unit { font-size: 10px; text-anchor: middle; fill: #666; }
.grid { stroke: #ddd; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${body.join('\n')}
</svg>
`;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const figuresPath = path.join(root, 'docs/bench-figures.json');
export const chartPath = path.join(root, 'docs/bench-chart.svg');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(chartPath, chartSvg(JSON.parse(readFileSync(figuresPath, 'utf8'))));
  console.log(`wrote ${path.relative(process.cwd(), chartPath)}`);
}
