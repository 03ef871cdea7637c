// A user's fresh projects for an npm package: `npm pack`, an offline install of
// the tarball into a new folder, and Vite 7 and Vite 8 (the repository's
// devDependencies vite and vite8) building or serving that folder with no
// config file, as `vite build` / `vite` would. Pages run in headless Chromium
// (support/browser.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/// Packs the package folder `dir` into `dest`; the tarball's path.
export function pack(dir, dest) {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dest], dir));
  return path.join(dest, packed.filename);
}

/// The files in a tarball, sorted.
export const tarballFiles = (tarball) =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();

/// A new project folder `app` (an ES module package) with the tarball installed from it, offline.
export function freshProject(app, tarball) {
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], app);
}

/// The two Vite majors a package must work with, from the repository's node_modules.
export const vites = [
  { name: 'Vite 7', major: 7, load: () => import('vite') },
  { name: 'Vite 8', major: 8, load: () => import('vite8') },
];

// Collects what Vite would print as warnings or errors.
function logger(into) {
  const add = (m) => into.push(m);
  return { info() {}, warn: add, warnOnce: add, error: add, clearScreen() {}, hasErrorLogged: () => into.length > 0, hasWarned: false };
}

/**
 * `vite build` of `root` (its index.html) into `outDir`, no config file.
 * Resolves with the emitted assets and every warning Vite logged.
 */
export async function viteBuild(vite, root, outDir) {
  const { build, version } = await vite.load();
  const warnings = [];
  await build({ root, configFile: false, logLevel: 'warn', customLogger: logger(warnings), build: { outDir, emptyOutDir: true } });
  return { version, warnings, assets: readdirSync(path.join(outDir, 'assets')) };
}

/**
 * `vite` (the dev server) on `root`, no config file, on 127.0.0.1; its
 * dependency cache is removed first, so it pre-bundles afresh as on a first
 * run. Resolves with { url, version, warnings, close() }.
 */
export async function viteDev(vite, root) {
  const { createServer, version } = await vite.load();
  rmSync(path.join(root, 'node_modules/.vite'), { recursive: true, force: true });
  const warnings = [];
  const server = await createServer({
    root, configFile: false, logLevel: 'warn', customLogger: logger(warnings),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await server.listen();
  return { url: server.resolvedUrls.local[0].replace(/\/$/, ''), version, warnings, close: () => server.close() };
}

/// Opens `url` in the browser, waits for the page's `window.result` (a Promise) and returns it with the page's errors.
export async function pageResult(browser, url) {
  const page = await browser.openPage(url);
  try {
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 20_000 });
    const result = await page.evaluate(() => window.result);
    return { result, errors: page.errors };
  } finally {
    await page.close();
  }
}
