// Headless Chromium for tests and benches, and a small HTTP server on 127.0.0.1
// that serves a page, its files and test routes from ONE origin (so a page's
// fetch() needs no CORS).
//
//   const server = await startServer({ root, routes });  // server.url
//   const browser = await launchBrowser();
//   const page = await browser.openPage(`${server.url}/tests/x.html`);
//   ... page.evaluate(...) ...; assert.deepEqual(page.errors, []);
//   await browser.close(); await server.close();
//
// Chromium is Debian's (/usr/bin/chromium) driven by npm playwright-core, both
// installed by scripts/setup.sh; nothing is ever downloaded.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

export const chromiumPath = '/usr/bin/chromium';

/// A skip reason when Chromium or playwright-core is missing, else false.
export const browserSkip = await (async () => {
  if (!existsSync(chromiumPath)) return `${chromiumPath} missing (scripts/setup.sh installs Debian's chromium)`;
  try {
    await import('playwright-core');
    return false;
  } catch {
    return 'playwright-core missing (scripts/setup.sh runs npm ci)';
  }
})();

// The flags TOOLCHAIN.md verified: no sandbox (root), no GPU, no network chatter.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts headless Chromium with a fresh profile (playwright's launch() makes a
 * new temporary user-data dir each time and removes it on close).
 * Returns { openPage(url), close() }.
 */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS, headless: true });
  const context = await browser.newContext();
  return {
    /**
     * Opens `url` in a new page and waits for its load event. The page's
     * `errors` array collects console errors and uncaught exceptions, except
     * the browser's own log of failed loads and WebSocket connections (a test
     * of network failures causes them on purpose; the page sees those
     * failures through its API). Other console lines go to stdout prefixed
     * with '# '.
     */
    async openPage(url) {
      const page = await context.newPage();
      page.errors = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') process.stdout.write(`# [page] ${m.text()}\n`);
        else if (!NETWORK_LOG.test(m.text())) page.errors.push(m.text());
      });
      page.on('pageerror', (e) => page.errors.push(e.stack || String(e)));
      await page.goto(url);
      return page;
    },
    close: () => browser.close(),
  };
}

// How Chromium logs a failed resource load or WebSocket connection.
const NETWORK_LOG = /^(Failed to load resource: |WebSocket connection to '[^']*' failed: )/;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css',
};

/**
 * An HTTP server on 127.0.0.1 (a free port). Each request goes first to
 * `routes(req, res)` when given; if that returns false, a GET is answered with
 * the file at its path under `root` (404 when there is none or the path leaves
 * `root`); `/` without an index.html is an empty page to load modules into. Returns { url, server, close() }; close() also drops open connections.
 */
export async function startServer({ root, routes } = {}) {
  const base = root && path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      if (routes && routes(req, res) !== false) return;
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (pathname === '/' && !(base && existsSync(path.join(base, 'index.html')))) {
        res.writeHead(200, { 'content-type': TYPES['.html'] });
        res.end('<!doctype html><meta charset="utf-8"><title>wasync test</title>');
        return;
      }
      if (pathname === '/favicon.ico') {  // asked for by every page; a 404 would be a console error
        res.writeHead(204);
        res.end();
        return;
      }
      const file = base && path.join(base, pathname === '/' ? 'index.html' : pathname);
      if (!file || !file.startsWith(base + path.sep) || req.method !== 'GET') throw new Error('not served');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      if (!res.headersSent) res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
