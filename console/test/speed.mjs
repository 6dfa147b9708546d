// Console speed: first paint of the projects page and the gallery's first page on a
// 10,000-image dataset, and the gzipped bundle sizes.
// usage: node console/test/speed.mjs --apiary PATH_TO_APIARY [--images 10000]
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { check, launchBrowser, parseArgs, rawRequest, startServer, watchPage } from './harness.mjs';

const USAGE = 'usage: node console/test/speed.mjs --apiary PATH_TO_APIARY_BINARY [--images N]';
let args;
try {
  args = parseArgs(process.argv.slice(2), USAGE);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
const apiary = resolve(args.apiary);
const N = Number(args.images || 10000);
const here = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'apiary-console-speed-'));
const PROJECT = 'speed';
const t0 = Date.now();
const log = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
let server = null;
let browser = null;

/** N images cheaply: 100 generated ones, hard-linked under N names, one manifest line each. */
function makeDataset() {
  const demo = join(tmp, 'demo');
  execFileSync(apiary, ['demo-data', demo, '--images', '100', '--seed', '5'], { stdio: 'pipe' });
  const lines = readFileSync(join(demo, 'output.manifest'), 'utf8').split('\n').filter(Boolean);
  const bees = join(tmp, 'bees');
  mkdirSync(join(bees, 'images'), { recursive: true });
  const out = [];
  for (let i = 0; i < N; i++) {
    const o = JSON.parse(lines[i % lines.length]);
    const src = o['source-ref'].split('/').pop();
    const name = `${String(i + 1).padStart(6, '0')}.jpg`;
    linkSync(join(demo, 'images', src), join(bees, 'images', name));
    o['source-ref'] = `s3://apiary-demo/bees/images/${name}`;
    out.push(JSON.stringify(o));
  }
  writeFileSync(join(bees, 'output.manifest'), out.join('\n') + '\n');
  return bees;
}

function bundleSizes() {
  const out = join(tmp, 'bundle');
  execFileSync(process.execPath, [join(here, '..', 'build.mjs'), out], { stdio: 'pipe' });
  const sizes = {};
  for (const f of readdirSync(out)) {
    const b = readFileSync(join(out, f));
    sizes[f] = { bytes: b.length, gzip: gzipSync(b, { level: 9 }).length };
  }
  return sizes;
}

/** Milliseconds from navigation start until `selector` matches `count` elements (and images loaded). */
async function timeTo(page, url, selector, count, images) {
  await page.goto('about:blank');
  const { identifier } = await page.evaluateOnNewDocument((selector, count, images) => {
    window.__seen = null;
    window.__loaded = null;
    const look = () => {
      const els = document.querySelectorAll(selector);
      if (window.__seen === null && els.length >= count) window.__seen = performance.now();
      if (images && window.__seen !== null && window.__loaded === null
          && [...document.querySelectorAll(`${selector} img`)].every((i) => i.complete && i.naturalWidth > 0)) {
        window.__loaded = performance.now();
      }
      if (window.__loaded === null || (window.__seen === null)) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  }, selector, count, images);
  await page.goto(url, { waitUntil: 'load' });
  await page.removeScriptToEvaluateOnNewDocument(identifier);
  await page.waitForFunction((images) => typeof window.__seen === 'number' && (!images || typeof window.__loaded === 'number'),
    { timeout: 60000, polling: 50 }, images);
  return page.evaluate(() => ({
    seen: window.__seen,
    loaded: window.__loaded,
    fcp: performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime,
  }));
}

let code = 0;
try {
  const sizes = bundleSizes();
  const bees = makeDataset();
  log(`${N} images linked`);
  const data = join(tmp, 'data');
  execFileSync(apiary, ['--data-dir', data, 'project', 'create', PROJECT], { stdio: 'pipe' });
  const started = Date.now();
  execFileSync(apiary, ['--data-dir', data, 'dataset', 'import', PROJECT, '--manifest', join(bees, 'output.manifest'),
    '--map', `s3://apiary-demo/bees=${bees}`], { stdio: 'pipe', maxBuffer: 64 << 20 });
  log(`imported ${N} images in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  server = await startServer(apiary, data);
  const base = server.url;
  browser = await launchBrowser();
  const page = await browser.newPage();
  const problems = watchPage(page);
  await page.goto(`${base}/console/`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=signin-form]');
  await page.type('[data-testid=signin-key-id]', server.keyId);
  await page.type('[data-testid=signin-secret]', server.secret);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('[data-testid=signin-submit]')]);
  await page.waitForSelector('[data-testid=projects-page]');

  const served = await rawRequest(`${base}/console/assets/app.js`, {
    headers: { Cookie: (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; '), 'Accept-Encoding': 'gzip' } });

  const runs = [];
  for (let i = 0; i < 3; i++) {
    const projects = await timeTo(page, `${base}/console/#/projects`, '[data-testid=project-card]', 1, false);
    const gallery = await timeTo(page, `${base}/console/#/projects/${PROJECT}/dataset/train`, '[data-testid=gallery-item]', 50, true);
    runs.push({ projects, gallery });
  }
  await page.waitForSelector('[data-testid=stat-total]', { timeout: 30000 });
  const total = await page.$eval('[data-testid=stat-total]', (el) => el.textContent);
  check(total === String(N), `the dataset page shows ${total} images, not ${N}`);
  check(!problems.length, problems.join('\n'));
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (x) => `${Math.round(x)} ms`;
  console.log(`bundle: ${Object.entries(sizes).map(([f, s]) => `${f} ${s.bytes} B (${s.gzip} B gzipped)`).join(', ')}`);
  console.log(`served app.js: ${served.status}, ${served.headers['content-encoding'] || 'identity'}, ${served.body.length} B on the wire`);
  console.log(`projects page: first contentful paint ${ms(med(runs.map((r) => r.projects.fcp)))}, project list shown ${ms(med(runs.map((r) => r.projects.seen)))} (median of 3, from navigation start)`);
  console.log(`gallery (${N} images, first page of 50): items shown ${ms(med(runs.map((r) => r.gallery.seen)))}, all 50 thumbnails loaded ${ms(med(runs.map((r) => r.gallery.loaded)))}`);
  console.log('PASS: console speed');
} catch (e) {
  code = 1;
  console.error(`FAIL: console speed: ${e.message}`);
  if (server) console.error(server.log.slice(-2000));
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
