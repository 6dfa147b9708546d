// Browser test of the console's labelling, pre-labelling, evaluation explorer and bulk labels
// against a real `apiary serve`.
// usage: node console/test/labelling.mjs --apiary PATH_TO_APIARY [--screenshots DIR] [--console-dir DIR]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, fail, launchBrowser, pageFetch as harnessFetch, pagePut, pageRekognition, runTest, setupRun, signIn, startServer, watchPage } from './harness.mjs';

const USAGE = 'usage: node console/test/labelling.mjs --apiary PATH_TO_APIARY_BINARY [--screenshots DIR] [--console-dir DIR]';
const BEES = 'lab-bees'; // 30 labelled images, trained on
const EDIT = 'lab-edit'; // 6 unlabelled images, boxes drawn here
const CLASSES = 'lab-class'; // 20 images, one folder per label
const run = setupRun(USAGE, 'labelling');
const { args, apiary, shots, tmp, dataDir, started, step } = run;
let server = null;
let browser = null;
let page = null;
let problems = [];

const q = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pageFetch = (method, path, body, p = page) => harnessFetch(p, method, path, { json: body });
const cli = (...a) => execFileSync(apiary, ['--data-dir', dataDir, ...a], { stdio: 'pipe', encoding: 'utf8' });

async function shot(name, p = page, fullPage = true) {
  if (shots && p) await p.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

async function waitFor(fn, what, timeout = 30000, p = page, ...fnArgs) {
  try {
    return await p.waitForFunction(fn, { timeout, polling: 100 }, ...fnArgs);
  } catch (e) {
    fail(`timed out after ${timeout / 1000} s waiting for ${what}`);
  }
}

async function waitSel(sel, what, timeout = 30000, p = page) {
  try {
    return await p.waitForSelector(sel, { timeout });
  } catch (e) {
    fail(`timed out after ${timeout / 1000} s waiting for ${what || sel}`);
  }
}

async function go(hash, testid, p = page) {
  await p.evaluate((h) => { location.hash = h; }, hash);
  await waitSel(q(testid), `the ${testid} after going to ${hash}`, 30000, p);
}


async function rek(operation, body, p = page) {
  const r = await pageRekognition(p, operation, body);
  if (r.status !== 200) fail(`${operation} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function entriesOf(datasetArn) {
  const out = [];
  let token;
  do {
    const r = await rek('ListDatasetEntries', token ? { DatasetArn: datasetArn, NextToken: token } : { DatasetArn: datasetArn });
    out.push(...(r.DatasetEntries || []).map((l) => JSON.parse(l)));
    token = r.NextToken;
  } while (token);
  return out;
}

/** The boxes of a manifest line in pixels: [{label, left, top, width, height}]. */
function boxesOfLine(o) {
  for (const [attr, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && Array.isArray(v.annotations)) {
      const map = o[`${attr}-metadata`]?.['class-map'] || {};
      return v.annotations.map((a) => ({ label: map[String(a.class_id)], left: a.left, top: a.top, width: a.width, height: a.height }));
    }
  }
  return [];
}

const edges = (b) => [b.left, b.top, b.left + b.width, b.top + b.height];
function sameBoxes(got, want, tolerance, what) {
  const sort = (l) => [...l].sort((a, b) => a.left - b.left || a.top - b.top);
  const g = sort(got);
  const w = sort(want);
  check(g.length === w.length, `${what}: ${g.length} boxes stored, ${w.length} expected\n stored ${JSON.stringify(g)}\n wanted ${JSON.stringify(w)}`);
  g.forEach((b, i) => {
    const e = w[i];
    check(b.label === e.label, `${what}: box ${i} is labelled ${b.label}, not ${e.label}`);
    const d = edges(b).map((x, k) => Math.abs(x - edges(e)[k]));
    check(d.every((x) => x <= tolerance), `${what}: box ${i} ${JSON.stringify(b)} is more than ${tolerance} px from ${JSON.stringify(e)}`);
  });
}


// ---- the editor, driven with the mouse and the keyboard

async function canvasGeometry(p = page) {
  return p.$eval(q('editor-canvas'), (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height, UW: Number(el.dataset.width), UH: Number(el.dataset.height) };
  });
}

/** Drags from (fx0, fy0) to (fx1, fy1), fractions of the canvas; answers the box in picture pixels. */
async function drawBox(fx0, fy0, fx1, fy1, p = page) {
  const g = await canvasGeometry(p);
  const ax = g.x + fx0 * g.w;
  const ay = g.y + fy0 * g.h;
  const bx = g.x + fx1 * g.w;
  const by = g.y + fy1 * g.h;
  const before = await p.$$eval(q('editor-box'), (els) => els.length);
  await p.mouse.move(ax, ay);
  await p.mouse.down();
  await p.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 4 });
  await p.mouse.move(bx, by, { steps: 4 });
  await p.mouse.up();
  await waitFor((n) => document.querySelectorAll('[data-testid=editor-box]').length === n + 1, 'the drawn box', 5000, p, before);
  const px = (v, size, u) => ((v - (size === 'x' ? g.x : g.y)) / (size === 'x' ? g.w : g.h)) * u;
  const l = Math.round(px(ax, 'x', g.UW));
  const t = Math.round(px(ay, 'y', g.UH));
  const r = Math.round(px(bx, 'x', g.UW));
  const b = Math.round(px(by, 'y', g.UH));
  return { left: l, top: t, width: r - l, height: b - t };
}

/** Drags a point of the canvas (page pixels) by (dx, dy) screen pixels. */
async function dragBy(x, y, dx, dy, p = page) {
  await p.mouse.move(x, y);
  await p.mouse.down();
  await p.mouse.move(x + dx / 2, y + dy / 2, { steps: 3 });
  await p.mouse.move(x + dx, y + dy, { steps: 3 });
  await p.mouse.up();
}

async function centreOf(sel, p = page) {
  const r = await p.$eval(sel, (el) => { const b = el.getBoundingClientRect(); return { x: b.left + b.width / 2, y: b.top + b.height / 2 }; });
  return r;
}

/** Waits until the canvas is `width` screen pixels wide (±2) and has kept that size for a frame. */
async function canvasWidth(width, what, p = page) {
  await waitFor(async (w) => {
    const now = () => document.querySelector('[data-testid=editor-canvas]')?.getBoundingClientRect().width || 0;
    const a = now();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return Math.abs(a - w) <= 2 && Math.abs(now() - a) < 0.5;
  }, what, 10000, p, width);
}

/**
 * Ticks a gallery image's box (Shift held by the caller for a range) and waits until the
 * selection count says `count`: the click is taken before the next one is made.
 */
async function tickImage(index, count, p = page) {
  const el = (await p.$$(q('gallery-select')))[index];
  check(el, `the gallery has no image ${index + 1} to tick`);
  await el.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await el.click();
  await waitFor((n) => document.querySelector('[data-testid=selection-count]')?.textContent === `${n} selected`,
    `${count} selected after ticking image ${index + 1}`, 10000, p, count);
}

/** Clears the selection and waits for the bulk bar to go (the gallery moves up under it). */
async function clearSelection(p = page) {
  await p.click(q('selection-clear'));
  await waitFor(() => !document.querySelector('[data-testid=bulk-bar]'), 'the selection to be cleared', 10000, p);
}

async function editorBoxes(p = page) {
  return p.$$eval('[data-testid=editor-box-row] .muted', (els) => els.map((e) => e.textContent));
}

async function openEditor(index, p = page) {
  const opens = await p.$$(q('gallery-open'));
  check(opens.length > index, `the gallery shows ${opens.length} images, not ${index + 1}`);
  await opens[index].click();
  await waitFor(() => document.querySelector('[data-testid=editor]')?.dataset.state === 'clean'
    && document.querySelector('[data-testid=editor-image]')?.complete, 'the editor to load its image', 30000, p);
}

async function waitClean(what, p = page) {
  await waitFor(() => document.querySelector('[data-testid=editor]')?.dataset.state === 'clean'
    || document.querySelector('[data-testid=editor-error],[data-testid=editor-conflict]'), what, 30000, p);
  const err = await p.$(q('editor-error'));
  if (err) fail(`${what}: ${await p.$eval(q('editor-error'), (e) => e.textContent)}`);
}

/** Sets an input's value as typing would (an input event), for ranges and numbers. */
async function setRange(sel, value, p = page) {
  await p.$eval(sel, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
  return Number(await p.$eval(sel, (el) => el.value));
}

/** The JPEG with an EXIF APP1 segment (orientation tag only) inserted after its JFIF segment. */
function withOrientation(jpeg, orientation) {
  const exif = Buffer.alloc(36);
  exif.writeUInt16BE(0xffe1, 0);
  exif.writeUInt16BE(34, 2); // the segment's length, counting these two bytes
  exif.write('Exif\0\0', 4, 'latin1');
  exif.write('MM', 10, 'latin1');
  exif.writeUInt16BE(42, 12);
  exif.writeUInt32BE(8, 14); // the first IFD
  exif.writeUInt16BE(1, 18); // one entry
  exif.writeUInt16BE(0x0112, 20); // Orientation
  exif.writeUInt16BE(3, 22); // SHORT
  exif.writeUInt32BE(1, 24);
  exif.writeUInt16BE(orientation, 28);
  exif.writeUInt32BE(0, 32); // no next IFD
  const at = jpeg[3] === 0xe0 ? 4 + jpeg.readUInt16BE(4) : 2;
  return Buffer.concat([jpeg.subarray(0, at), exif, jpeg.subarray(at)]);
}

/** Share of bee-yellow pixels of the upright thumbnail inside a rect given in upright pixels. */
function yellowInside(url, rect, UW) {
  return page.evaluate(async (url, rect, UW) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const k = img.naturalWidth / UW;
    const d = g.getImageData(Math.round(rect.x * k), Math.round(rect.y * k), Math.max(1, Math.round(rect.w * k)), Math.max(1, Math.round(rect.h * k))).data;
    let yellow = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 170 && d[i + 1] > 140 && d[i + 2] < 110) yellow++;
    return yellow / (d.length / 4);
  }, url, rect, UW);
}

// ---- the test

async function main() {
  // data: a labelled project to train on, unlabelled images to draw on, a folder per label
  const demo = join(tmp, 'demo');
  execFileSync(apiary, ['demo-data', demo, '--images', '30', '--seed', '3'], { stdio: 'pipe' });
  cli('project', 'create', BEES);
  cli('dataset', 'import', BEES, '--manifest', join(demo, 'output.manifest'), '--map', `s3://apiary-demo/bees/images=${join(demo, 'images')}`);
  cli('dataset', 'split', BEES, '--test-percent', '25', '--seed', '7');
  const fresh = join(tmp, 'fresh');
  execFileSync(apiary, ['demo-data', fresh, '--images', '6', '--seed', '5'], { stdio: 'pipe' });
  const freshImages = readdirSync(join(fresh, 'images')).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(fresh, 'images', f));
  check(freshImages.length === 6, `demo-data wrote ${freshImages.length} images, not 6`);
  const folders = join(tmp, 'folders');
  const pool = join(tmp, 'pool');
  execFileSync(apiary, ['demo-data', pool, '--images', '20', '--seed', '9'], { stdio: 'pipe' });
  readdirSync(join(pool, 'images')).filter((f) => f.endsWith('.jpg')).sort().forEach((f, i) => {
    const dir = join(folders, i % 2 ? 'cat' : 'dog');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(pool, 'images', f), join(dir, f));
  });
  cli('project', 'create', CLASSES);
  cli('dataset', 'import', CLASSES, '--source', folders, '--format', 'folder');
  step('data: 30 labelled bee images split, 6 fresh images, 20 images in cat/ and dog/');

  const extra = ['--train-option', 'time_budget_s=20'];
  if (args['console-dir']) extra.push('--console-dir', resolve(args['console-dir']));
  server = await startServer(apiary, dataDir, extra);
  browser = await launchBrowser();
  page = await browser.newPage();
  problems = watchPage(page);
  await signIn(page, server);
  step(`signed in at ${server.url}`);

  // ---- train a tiny model now; it trains while the boxes are drawn
  const bees = (await rek('DescribeProjects', { ProjectNames: [BEES] })).ProjectDescriptions[0];
  const bucket = await pageFetch('PUT', '/console/s3/apiary-console');
  check([200, 409].includes(bucket.status), `creating the bucket answered ${bucket.status}`);
  const version = 'v-tiny';
  const created = await rek('CreateProjectVersion', {
    ProjectArn: bees.ProjectArn, VersionName: version,
    OutputConfig: { S3Bucket: 'apiary-console', S3KeyPrefix: `${BEES}/evaluation/` },
    // Sure enough of itself to accept "all above 50 %": measured on the images pre-labelled
    // below, the best suggestions are 87-98 % (2 epochs give under 2 %). The backbone frozen
    // and a faster rate keep it short: 8 epochs, about 160 s on a loaded 2-core machine.
    TrainingOptions: { epochs: 8, image_size: 128, lr: 0.001, freeze_backbone: true },
  });
  const versionArn = created.ProjectVersionArn;
  const version2 = 'v-tiny-2'; // queued behind the first, for the compare page
  await rek('CreateProjectVersion', {
    ProjectArn: bees.ProjectArn, VersionName: version2,
    OutputConfig: { S3Bucket: 'apiary-console', S3KeyPrefix: `${BEES}/evaluation/` },
    TrainingOptions: { epochs: 2, image_size: 128, seed: 2 },
  });
  step(`training ${version} (8 epochs, backbone frozen) and ${version2} (2 epochs), image_size 128`);

  // ---- six unlabelled images through Add images
  await rek('CreateProject', { ProjectName: EDIT });
  await go(`#/projects/${EDIT}/dataset/train`, 'dataset-page');
  await waitSel(q('add-images-drop-input'));
  await (await page.$(q('add-images-drop-input'))).uploadFile(...freshImages);
  await waitSel(q('add-images-result'), 'the six images to be added', 60000);
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 6, 'six images in the gallery');
  const datasetArn = (await rek('DescribeProjects', { ProjectNames: [EDIT] })).ProjectDescriptions[0].Datasets[0].DatasetArn;
  const refs = await page.$$eval(q('gallery-item'), (els) => els.map((e) => e.dataset.ref));
  step(`added ${refs.length} images`);

  // ---- image 1: labels, three boxes (one at 150 %), a move, a resize, a label by key
  await openEditor(0);
  check((await page.$eval(q('editor'), (e) => e.dataset.ref)) === refs[0], 'the editor opened another image');
  for (const l of ['bee', 'flower']) {
    await page.type(q('label-add-input'), l);
    await page.click(q('label-add'));
  }
  await waitFor(() => document.querySelectorAll('[data-testid=label-row]').length === 2, 'the two labels');
  await page.click(q('label-pick')); // bee
  const drawn = [];
  drawn.push({ ...(await drawBox(0.1, 0.1, 0.35, 0.4)), label: 'bee' });
  drawn.push({ ...(await drawBox(0.5, 0.15, 0.8, 0.45)), label: 'bee' });
  const at100 = (await canvasGeometry()).w;
  await page.click(q('zoom-in'));
  await waitFor(() => document.querySelector('[data-testid=zoom-value]')?.textContent === '150%', 'the zoom at 150 %');
  await canvasWidth(1.5 * at100, 'the canvas at 150 %');
  drawn.push({ ...(await drawBox(0.2, 0.5, 0.4, 0.6)), label: 'bee' });
  check((await page.$eval(q('tool-draw'), (e) => e.classList.contains('active'))), 'the draw tool is no longer selected after three boxes');
  // resize the third box (selected after drawing) by its south-east corner, at 150 %
  let g = await canvasGeometry();
  const se = await centreOf('[data-testid=editor-handle][data-corner=se]');
  const grow = [0.05 * g.w, 0.05 * g.h];
  await dragBy(se.x, se.y, grow[0], grow[1]);
  drawn[2].width = Math.round((se.x + grow[0] - g.x) / g.w * g.UW) - drawn[2].left;
  drawn[2].height = Math.round((se.y + grow[1] - g.y) / g.h * g.UH) - drawn[2].top;
  await page.click(q('zoom-out'));
  await waitFor(() => document.querySelector('[data-testid=zoom-value]')?.textContent === '100%', 'the zoom back at 100 %');
  await canvasWidth(at100, 'the canvas back at 100 %');
  // move the first box by (+12, +8) screen pixels
  g = await canvasGeometry();
  const first = await centreOf('[data-testid=editor-box][data-index="0"]');
  await dragBy(first.x, first.y, 12, 8);
  drawn[0].left += Math.round(12 / g.w * g.UW);
  drawn[0].top += Math.round(8 / g.h * g.UH);
  // the second box becomes a flower with key 2
  const second = await centreOf('[data-testid=editor-box][data-index="1"]');
  await page.mouse.click(second.x, second.y);
  await page.keyboard.press('2');
  drawn[1].label = 'flower';
  await waitFor(() => document.querySelector('[data-testid=editor-box][data-index="1"]')?.dataset.label === 'flower', 'key 2 to make the box a flower');
  // a fourth box, deleted with the Delete key
  await drawBox(0.6, 0.6, 0.7, 0.7);
  await page.keyboard.press('Delete');
  await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 3, 'the fourth box to be deleted');
  step(`image 1: ${await editorBoxes()}`);
  await shot('editor', page, false);

  // ---- image 2: N saves image 1, R copies its boxes, a box drawn and undone, saved
  await page.keyboard.press('n');
  await waitFor(() => document.querySelector('[data-testid=editor-position]')?.textContent.startsWith('2 /')
    && document.querySelector('[data-testid=editor]')?.dataset.state === 'clean', 'image 2 after N');
  await page.keyboard.press('r');
  await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 3, 'R to copy the three boxes');
  await drawBox(0.55, 0.55, 0.75, 0.8);
  await page.keyboard.down('Control');
  await page.keyboard.press('z');
  await page.keyboard.up('Control');
  await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 3, 'Ctrl+Z to take the fourth box back');
  await page.keyboard.down('Control');
  await page.keyboard.down('Shift');
  await page.keyboard.press('z');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Control');
  await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 4, 'Ctrl+Shift+Z to redo it');
  await page.keyboard.down('Control');
  await page.keyboard.press('z');
  await page.keyboard.up('Control');
  await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 3, 'Ctrl+Z again');
  const size2 = await page.$eval(q('editor-canvas'), (el) => [Number(el.dataset.width), Number(el.dataset.height)]);
  await page.click(q('editor-save'));
  await waitClean('saving image 2');
  step(`image 2: R copied ${await editorBoxes()}, undo/redo, saved`);

  const info1 = (await pageFetch('GET', `/console/api/entry?${new URLSearchParams({ dataset: datasetArn, ref: refs[0] })}`)).body;
  check(info1.width > 0 && info1.height > 0 && info1.version !== undefined, `GET /console/api/entry answered ${JSON.stringify(info1)}`);
  const copied = drawn.map((b) => {
    const l = Math.round(b.left / info1.width * size2[0]);
    const t = Math.round(b.top / info1.height * size2[1]);
    const r = Math.round((b.left + b.width) / info1.width * size2[0]);
    const bt = Math.round((b.top + b.height) / info1.height * size2[1]);
    return { label: b.label, left: l, top: t, width: r - l, height: bt - t };
  });
  const stored = await entriesOf(datasetArn);
  const byRef = (r) => stored.find((o) => o['source-ref'] === r);
  sameBoxes(boxesOfLine(byRef(refs[0])), drawn, 1, 'image 1 in ListDatasetEntries');
  sameBoxes(boxesOfLine(byRef(refs[1])), copied, 1, 'image 2 in ListDatasetEntries');
  step('ListDatasetEntries holds exactly the boxes drawn (within 1 px)');

  // ---- concurrent edit: image 3 open in two signed-in browser contexts
  await page.click(q('editor-close'));
  await waitFor(() => !document.querySelector('[data-testid=editor]'), 'the editor to close');
  const other = await browser.createBrowserContext();
  const page2 = await other.newPage();
  const problems2 = watchPage(page2);
  await signIn(page2, server);
  await go(`#/projects/${EDIT}/dataset/train`, 'dataset-page', page2);
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 6, 'six images in the second context', 30000, page2);
  await openEditor(2, page);
  await openEditor(2, page2);
  await page.click(q('label-pick'));
  const mine = { ...(await drawBox(0.1, 0.1, 0.5, 0.5, page)), label: 'bee' };
  await page.click(q('editor-save'));
  await waitClean('saving image 3 in the first context');
  await page2.click(q('label-pick'));
  await drawBox(0.5, 0.5, 0.9, 0.9, page2);
  await page2.click(q('editor-save'));
  await waitSel(q('editor-conflict'), 'the second save to be refused', 15000, page2);
  const conflict = await page2.$eval(q('editor-conflict-message'), (e) => e.textContent.trim());
  check(conflict.length > 0, 'the refused save shows no message');
  const kept = await page2.$$eval(q('editor-box'), (els) => els.length);
  check(kept === 1, `after the refused save the second editor shows ${kept} boxes, not the user's 1`);
  check((await page2.$eval(q('editor'), (e) => e.dataset.state)) === 'dirty', 'the refused edit is no longer marked unsaved');
  await shot('conflict', page2, false);
  const after = (await entriesOf(datasetArn)).find((o) => o['source-ref'] === refs[2]);
  sameBoxes(boxesOfLine(after), [mine], 1, 'image 3 after the refused second save');
  await page2.click(q('conflict-reload'));
  await waitFor(() => document.querySelector('[data-testid=editor]')?.dataset.state === 'clean' && !document.querySelector('[data-testid=editor-conflict]')
    && document.querySelectorAll('[data-testid=editor-box]').length === 1, 'the stored labels in the second editor', 10000, page2);
  const reloaded = await page2.$eval('[data-testid=editor-box-row] .muted', (e) => e.textContent);
  check(reloaded === `${mine.left},${mine.top} ${mine.width}×${mine.height}`, `after "Load the stored labels" the second editor shows ${reloaded}, not the first save's box`);
  check(!problems2.length, `the second page reported:\n${problems2.join('\n')}`);
  await other.close();
  step(`concurrent edit refused: "${conflict}"; the first save's box is kept, and "Load the stored labels" shows it`);

  // ---- rename flower to blossom, then delete blossom: every entry is rewritten
  await page.click('[data-testid=label-row][data-label=flower] [data-testid=label-rename]');
  // Select the old name and type over it: the input is controlled, and a re-render between a
  // cleared DOM value and the typing (a training's progress, say) would put the old name back.
  await page.click(q('label-rename-input'), { clickCount: 3 });
  await page.type(q('label-rename-input'), 'blossom');
  await page.click(q('label-rename-save'));
  await waitSel('[data-testid=label-row][data-label=blossom]', 'the renamed label', 15000);
  let now = await entriesOf(datasetArn);
  const renamed = boxesOfLine(now.find((o) => o['source-ref'] === refs[0]));
  check(renamed.filter((b) => b.label === 'blossom').length === 1 && !renamed.some((b) => b.label === 'flower'),
    `after the rename image 1 has ${JSON.stringify(renamed.map((b) => b.label))}`);
  check(boxesOfLine(now.find((o) => o['source-ref'] === refs[1])).filter((b) => b.label === 'blossom').length === 1, 'the rename missed image 2');
  // The button asks again in place: the second click confirms only once it has re-rendered armed,
  // and a first click while the rename is still settling (button disabled) does nothing.
  const deleteSel = '[data-testid=label-row][data-label=blossom] [data-testid=label-delete]';
  await waitFor((sel) => { const b = document.querySelector(sel); return b && !b.disabled; }, 'the delete button enabled', 15000, page, deleteSel);
  await page.click(deleteSel);
  await waitSel(`${deleteSel}[data-armed=yes]`, 'the armed delete', 5000);
  await page.click('[data-testid=label-row][data-label=blossom] [data-testid=label-delete]'); // confirm
  await waitFor(() => !document.querySelector('[data-testid=label-row][data-label=blossom]'), 'the deleted label to go', 15000);
  now = await entriesOf(datasetArn);
  const left = [0, 1].map((i) => boxesOfLine(now.find((o) => o['source-ref'] === refs[i])));
  check(left.every((l) => l.length === 2 && l.every((b) => b.label === 'bee')), `after deleting blossom images 1 and 2 have ${JSON.stringify(left)}`);
  const statusText = await page.$eval(q("editor-status"), (e) => e.textContent);
  step(`renamed flower to blossom and deleted it across the project (${statusText})`);
  await page.click(q('editor-close'));

  // ---- EXIF orientations 1-8: the stored box shows over the bee of the upright picture, and a
  // box drawn over it there is stored where the manifest had it
  await exifOrientations(freshImages[0], join(fresh, 'output.manifest'));

  // ---- bulk image labels on a classification dataset: shift-click a range of 20
  await go(`#/projects/${CLASSES}/dataset/train`, 'dataset-page');
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 20, 'the 20 classification images');
  await tickImage(0, 1);
  await page.keyboard.down('Shift');
  await tickImage(19, 20); // a shift-click range of 20
  await page.keyboard.up('Shift');
  const ticked = await page.$$eval(q('gallery-item'), (els) => els.filter((e) => e.dataset.selected === 'yes').length);
  check(ticked === 20, `the shift-click range marks ${ticked} images selected, not 20`);
  await page.type(q('bulk-label'), 'bird');
  await page.click(q('bulk-assign'));
  await waitFor(() => document.querySelector('[data-testid=bulk-result],[data-testid=bulk-error]'), 'the bulk label to be saved', 60000);
  if (await page.$(q('bulk-error'))) fail(`assigning an image label failed: ${await page.$eval(q('bulk-error'), (e) => e.textContent)}`);
  const classDs = (await rek('DescribeProjects', { ProjectNames: [CLASSES] })).ProjectDescriptions[0].Datasets[0].DatasetArn;
  const classified = await entriesOf(classDs);
  const birds = classified.filter((o) => Object.entries(o).some(([k, v]) => k.endsWith('-metadata') && v['class-name'] === 'bird'));
  check(classified.length === 20 && birds.length === 20, `${birds.length} of ${classified.length} entries are labelled bird after the bulk assign`);
  await waitFor(() => [...document.querySelectorAll('[data-testid=entry-label]')].filter((e) => e.textContent === 'bird').length === 20, 'the gallery to show bird on all 20');
  await shot('bulk');
  step(`bulk: ${await page.$eval(q('bulk-result'), (e) => e.textContent)}`);
  // boxes in a classification project: the server's refusal is an error, not an edit conflict
  await clearSelection();
  await openEditor(0);
  await page.type(q('label-add-input'), 'nest');
  await page.click(q('label-add'));
  await drawBox(0.2, 0.2, 0.5, 0.5);
  await page.click(q('editor-save'));
  await waitSel(q('editor-error'), 'the refusal of boxes in a classification project', 15000);
  check(!(await page.$(q('editor-conflict'))), 'a refused task shows as an edit conflict');
  const taskRefusal = await page.$eval(q('editor-error'), (e) => e.textContent);
  step(`boxes in a classification project refused: "${taskRefusal}"`);
  await page.keyboard.down('Control');
  await page.keyboard.press('z');
  await page.keyboard.up('Control');
  await page.click(q('editor-close'));
  await waitFor(() => !document.querySelector('[data-testid=editor]'), 'the editor to close');
  // and an image label in a detection project
  await go(`#/projects/${EDIT}/dataset/train`, 'dataset-page');
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 6, 'the six images again');
  // An image without boxes takes no image label in a detection project (the server refuses the
  // classification entry); one with boxes may keep it beside its boxes (issue 13: an image-level
  // label on a detection entry is kept). Either way the boxes stay and what the bar reports is
  // what is stored.
  const lineOf = async (ref) => (await entriesOf(datasetArn)).find((o) => o['source-ref'] === ref);
  const [boxedBefore, bareBefore] = [await lineOf(refs[0]), await lineOf(refs[5])];
  check(boxesOfLine(boxedBefore).length > 0 && boxesOfLine(bareBefore).length === 0, 'images 1 and 6 are not one with boxes and one without');
  await tickImage(0, 1); // one with boxes
  await tickImage(5, 2); // one without
  await page.type(q('bulk-label'), 'cat');
  await page.click(q('bulk-assign'));
  await waitFor(() => document.querySelector('[data-testid=bulk-result]'), 'the image label in a detection project', 30000);
  const labelRefusal = await page.$eval(q('bulk-error'), (e) => e.textContent).catch(() => '');
  const labelResult = await page.$eval(q('bulk-result'), (e) => e.textContent);
  const changedCount = Number(/: (\d+) images? changed/.exec(labelResult)?.[1]);
  const refusedCount = Number(/(\d+) image\(s\) were not saved/.exec(labelRefusal)?.[1] || 0);
  check(changedCount + refusedCount === 2 && refusedCount >= 1, `an image label in a detection project: "${labelResult}" "${labelRefusal}"`);
  const [boxedAfter, bareAfter] = [await lineOf(refs[0]), await lineOf(refs[5])];
  check(JSON.stringify(bareAfter) === JSON.stringify(bareBefore), `the refused image label changed the image without boxes:\n before ${JSON.stringify(bareBefore)}\n after  ${JSON.stringify(bareAfter)}`);
  sameBoxes(boxesOfLine(boxedAfter), boxesOfLine(boxedBefore), 0, 'the boxes of the image given an image label');
  const catKept = JSON.stringify(boxedAfter).includes('"cat"');
  check(catKept === (changedCount === 1), `the bar says ${changedCount} image changed, the image with boxes ${catKept ? 'holds' : 'does not hold'} cat: ${JSON.stringify(boxedAfter)}`);
  step(`an image label in a detection project: "${labelResult}" "${labelRefusal}"; boxes kept`);
  await clearSelection();

  // ---- pre-label with the tiny model once it is trained
  // Both versions train beside everything above: on a loaded 2-core machine that takes minutes
  // (seen: over 4), so the wait is bounded by the test's whole budget, not a guess per step.
  const deadline = started + 480000;
  let status;
  for (;;) {
    status = (await rek('DescribeProjectVersions', { ProjectArn: bees.ProjectArn, VersionNames: [version] })).ProjectVersionDescriptions[0];
    if (status.Status !== 'TRAINING_IN_PROGRESS') break;
    if (Date.now() > deadline) fail(`${version} did not finish training ${((deadline - started) / 1000).toFixed(0)} s into the test`);
    await sleep(1000);
  }
  check(status.Status === 'TRAINING_COMPLETED', `training ended ${status.Status}: ${status.StatusMessage}`);
  step(`${version} trained`);
  // three unlabelled images in the bees project to pre-label
  const beesTrain = bees.Datasets.find((d) => d.DatasetType === 'TRAIN').DatasetArn;
  const newRefs = [];
  for (const [i, f] of freshImages.slice(0, 3).entries()) {
    const key = `${BEES}/unlabelled/u${i}.jpg`;
    const put = (await pagePut(page, `/console/s3/apiary-console/${key}`, readFileSync(f).toString('base64'))).status;
    check(put === 200, `PUT ${key} answered ${put}`);
    newRefs.push(`s3://apiary-console/${key}`);
  }
  await rek('UpdateDatasetEntries', { DatasetArn: beesTrain, Changes: { GroundTruth: Buffer.from(newRefs.map((r) => JSON.stringify({ 'source-ref': r, 'bounding-box': { annotations: [] }, 'bounding-box-metadata': { type: 'groundtruth/object-detection', 'class-map': {}, 'human-annotated': 'no', 'creation-date': '2024-01-01T00:00:00', 'job-name': 'test' } })).join('\n') + '\n').toString('base64') } });
  await go(`#/projects/${BEES}/dataset/train`, 'dataset-page');
  await waitSel(q('filter-labeled'), 'the gallery filters');
  await page.select(q('filter-labeled'), 'no');
  await waitFor(() => document.querySelector('[data-testid=gallery]')?.dataset.loading === 'no' && document.querySelectorAll('[data-testid=gallery-item]').length === 3, 'the three unlabelled images');
  await waitSel(q('prelabel-status'), 'the model in the pre-label panel');
  // The panel offers every trained version (v-tiny-2 may be done by now): pre-label with v-tiny.
  await page.select(q('prelabel-version'), versionArn);
  await waitSel(q('prelabel-start'), 'the Start button of the stopped model');
  await page.click(q('prelabel-start'));
  await waitFor(() => document.querySelector('[data-testid=prelabel-status]')?.dataset.status === 'RUNNING', 'the model to run', 90000);
  await setRange(q('prelabel-min'), 0);
  await page.click(q('prelabel-run'));
  await waitFor(() => document.querySelector('[data-testid=prelabel-progress]')?.dataset.done === 'yes', 'the pre-labelling to finish', 60000);
  if (await page.$(q('prelabel-error'))) fail(`pre-labelling failed: ${await page.$eval(q('prelabel-error'), (e) => e.textContent)}`);
  const hinted = await page.$$eval('[data-testid=gallery] [data-testid=suggestion-box]', (els) => els.length);
  check(hinted > 0, 'the model suggested no boxes on the three images (at MinConfidence 0)');
  await shot('prelabel');
  step(`pre-labelled: ${hinted} dashed suggestions in the gallery`);
  // What the model answers for a stored image at or above `min`, as stored-grid boxes.
  const suggestedBoxes = async (ref, min) => {
    const d = await pageFetch('POST', '/console/api/detect-entry', { datasetArn: beesTrain, ref, projectVersionArn: versionArn });
    check(d.status === 200, `detect-entry answered ${d.status}: ${JSON.stringify(d.body)}`);
    const inf = (await pageFetch('GET', `/console/api/entry?${new URLSearchParams({ dataset: beesTrain, ref })}`)).body;
    check(!inf.orientation || inf.orientation === 1, `demo images have no EXIF orientation, got ${inf.orientation}`);
    return d.body.CustomLabels.filter((l) => l.Geometry && l.Confidence >= min).map((l) => {
      const b = l.Geometry.BoundingBox;
      const left = Math.round(b.Left * inf.width);
      const top = Math.round(b.Top * inf.height);
      return { label: l.Name, left, top, width: Math.round((b.Left + b.Width) * inf.width) - left, height: Math.round((b.Top + b.Height) * inf.height) - top };
    });
  };
  // In the editor: accept all above 50 % on the first image that has such a suggestion.
  const ACCEPT_AT = 50;
  const shownRefs = await page.$$eval(q('gallery-item'), (els) => els.map((e) => e.dataset.ref));
  let accepted = null;
  let bestSuggested = 0;
  for (let i = 0; i < shownRefs.length && !accepted; i++) {
    await openEditor(i);
    const confs = await page.$$eval(q('editor-suggestion'), (els) => els.map((e) => Number(e.dataset.confidence)));
    bestSuggested = Math.max(bestSuggested, ...confs);
    const want = confs.filter((c) => c >= ACCEPT_AT).length;
    if (!want) {
      await page.click(q('editor-close'));
      await waitFor(() => !document.querySelector('[data-testid=editor]'), 'the editor to close');
      continue;
    }
    const at = await setRange(q('accept-above-value'), ACCEPT_AT);
    check(Math.abs(at - ACCEPT_AT) < 1e-9, `the accept-above field took ${at}, not ${ACCEPT_AT}`);
    await page.click(q('accept-above'));
    await waitFor((n) => document.querySelectorAll('[data-testid=editor-box]').length === n, `${want} accepted boxes`, 5000, page, want);
    const left = await page.$$eval(q('editor-suggestion'), (els) => els.map((e) => Number(e.dataset.confidence)));
    check(left.length === confs.length - want && left.every((c) => c < ACCEPT_AT), `after accepting all ≥ ${ACCEPT_AT}% the suggestions left are ${left}`);
    await shot('editor-suggestions', page, false);
    await page.click(q('editor-save'));
    await waitClean('saving the accepted suggestions');
    accepted = { ref: shownRefs[i], count: want, min: ACCEPT_AT };
  }
  check(accepted, `no image had a suggestion at or above ${ACCEPT_AT}% (the best was ${bestSuggested.toFixed(1)}%)`);
  const savedLine = (await entriesOf(beesTrain)).find((o) => o['source-ref'] === accepted.ref);
  sameBoxes(boxesOfLine(savedLine), await suggestedBoxes(accepted.ref, accepted.min), 1, 'the accepted suggestions');
  step(`accepted ${accepted.count} suggestions ≥ ${accepted.min}% on ${accepted.ref} (of confidences up to ${bestSuggested.toFixed(1)}%): stored as suggested`);
  await page.click(q('editor-close'));
  await waitFor(() => !document.querySelector('[data-testid=editor]'), 'the editor to close');
  // The rest of the page at once: every suggestion ≥ 50 % accepted and saved; an image with
  // none keeps its (empty) labels.
  const others = await page.$$eval(q('gallery-item'), (items, skip) => items.filter((it) => it.dataset.ref !== skip).map((it) => ({
    ref: it.dataset.ref, confidences: [...it.querySelectorAll('[data-testid=suggestion-box]')].map((b) => Number(b.dataset.confidence)) })), accepted.ref);
  check(others.length && others.every((o) => o.confidences.length), 'the other images have no suggestions');
  const pageAt = await setRange(q('page-accept-value'), ACCEPT_AT);
  check(Math.abs(pageAt - ACCEPT_AT) < 1e-9, `the page-wide accept field took ${pageAt}, not ${ACCEPT_AT}`);
  await page.click(q('page-accept'));
  await waitSel(q('page-accept-result'), 'the page-wide accept', 30000);
  if (await page.$(q('prelabel-error'))) fail(`accepting on the page failed: ${await page.$eval(q('prelabel-error'), (e) => e.textContent)}`);
  const afterPage = await entriesOf(beesTrain);
  let pageBoxes = 0;
  for (const o of others) {
    const want = await suggestedBoxes(o.ref, ACCEPT_AT);
    check(want.length === o.confidences.filter((c) => c >= ACCEPT_AT).length,
      `the gallery showed ${o.confidences.filter((c) => c >= ACCEPT_AT).length} suggestions ≥ ${ACCEPT_AT}% on ${o.ref}, the model answers ${want.length}`);
    sameBoxes(boxesOfLine(afterPage.find((x) => x['source-ref'] === o.ref)), want, 1, `${o.ref} after "accept all on this page"`);
    pageBoxes += want.length;
  }
  step(`${await page.$eval(q('page-accept-result'), (e) => e.textContent)} (≥ ${ACCEPT_AT}%, ${pageBoxes} boxes): stored as suggested`);

  // ---- the evaluation explorer against `apiary evaluate --min-confidence`
  await go(`#/projects/${BEES}/models/${version}`, 'model-page');
  await waitSel(q('threshold-slider'), 'the threshold sliders', 30000);
  await waitSel(q('explorer-image'), 'the test images of the explorer', 30000);
  // five thresholds spread over a label's stored prediction confidences (the label they spread most)
  const every = await pageFetch('GET', `/console/api/evaluation/images?${new URLSearchParams({ projectVersionArn: versionArn, minConfidence: '0' })}`);
  check(every.status === 200, `evaluation/images answered ${every.status}: ${JSON.stringify(every.body)}`);
  const sliderLabels = await page.$$eval(q('threshold'), (els) => els.map((e) => e.dataset.label));
  const spread = (l) => {
    const c = every.body.images.flatMap((i) => i.boxes).filter((b) => b.label === l && b.outcome !== 'FN').map((b) => b.confidence).sort((a, b) => a - b);
    const qs = c.length ? [0.3, 0.6, 0.9, 0.98].map((p) => Math.floor(c[Math.min(c.length - 1, Math.floor(p * c.length))] * 10) / 10) : [];
    return { label: l, confidences: c, quantiles: [...new Set(qs)] };
  };
  const best = sliderLabels.map(spread).sort((a, b) => b.quantiles.length - a.quantiles.length)[0];
  check(best && best.confidences.length > 0, 'the stored predictions have no detections');
  const label = best.label;
  const confidences = best.confidences;
  const sel = `[data-testid=threshold][data-label="${label}"]`;
  const quantile = (p) => Math.floor(confidences[Math.min(confidences.length - 1, Math.floor(p * confidences.length))] * 10) / 10;
  const positions = [...new Set([0, quantile(0.3), quantile(0.6), quantile(0.9), quantile(0.98), 25, 50, 95])].slice(0, 5);
  for (const v of positions) {
    const at = await setRange(`${sel} [data-testid=threshold-slider]`, v);
    await waitFor((s, a) => {
      const el = document.querySelector(s);
      return el && el.dataset.state === 'ready' && Number(el.dataset.at) === a;
    }, `the numbers at ${at}%`, 15000, page, sel, at);
    const shown = await page.$eval(sel, (el) => ['at-precision', 'at-recall', 'at-f1', 'at-tp', 'at-fp', 'at-fn'].map((k) => el.querySelector(`[data-testid=${k}]`).textContent));
    const out = JSON.parse(cli('--json', 'evaluate', BEES, '--version', version, '--min-confidence', String(at)));
    const row = out.Evaluation.labels.find((l) => l.label === label);
    check(row, `apiary evaluate has no label ${label}: ${JSON.stringify(out).slice(0, 400)}`);
    const want = [...['precision', 'recall', 'f1'].map((k) => Number(row.assumed[k]).toFixed(3)),
      ...['true_positives', 'false_positives', 'false_negatives'].map((k) => String(row.assumed[k]))];
    check(JSON.stringify(shown) === JSON.stringify(want), `at ${at}% the explorer shows P/R/F1/TP/FP/FN ${shown}, apiary evaluate ${want}`);
    step(`explorer ${label} at ${at}%: P/R/F1 ${shown.slice(0, 3).join(' / ')}, TP/FP/FN ${shown.slice(3).join(' / ')} = apiary evaluate`);
  }
  // FP filter at a low threshold
  await page.click(q('explorer-assumed'));
  await waitSel(q('explorer-threshold'));
  const low = await setRange(q('explorer-threshold'), quantile(0.6));
  const all = await pageFetch('GET', `/console/api/evaluation/images?${new URLSearchParams({ projectVersionArn: versionArn, minConfidence: String(low) })}`);
  check(all.status === 200, `evaluation/images answered ${all.status}`);
  let listed = [];
  for (const kind of ['fp', 'tp', 'fn']) {
    await page.select(q('explorer-kind'), kind);
    await waitFor((x, k) => {
      const el = document.querySelector('[data-testid=explorer-images]');
      return el && el.dataset.state === 'ready' && el.dataset.query === JSON.stringify({ minConfidence: x, label: '', kind: k });
    }, `the ${kind.toUpperCase()} filter`, 15000, page, low, kind);
    const shownRefs = (await page.$$eval(q('explorer-image'), (els) => els.map((e) => e.dataset.ref))).sort();
    const want = all.body.images.filter((i) => i.boxes.some((b) => b.outcome === kind.toUpperCase())).map((i) => i.ref).sort();
    check(JSON.stringify(shownRefs) === JSON.stringify(want), `the ${kind.toUpperCase()} filter at ${low}% lists ${JSON.stringify(shownRefs)}, the stored predictions have ${kind.toUpperCase()}s on ${JSON.stringify(want)}`);
    step(`${kind.toUpperCase()} filter at ${low}%: ${shownRefs.length} of ${all.body.images.length} test images, as the stored predictions say`);
    if (kind === 'fp') listed = shownRefs;
  }
  await page.select(q('explorer-kind'), 'fp');
  await waitFor(() => document.querySelector('[data-testid=explorer-images]')?.dataset.state === 'ready', 'the FP filter again');
  if (listed.length) {
    await page.click(q('explorer-open'));
    await waitSel(q('explorer-lightbox'), 'the large image');
    await waitFor(() => document.querySelector('[data-testid=explorer-lightbox] img')?.complete, 'the large image to load');
    await shot('explorer-lightbox', page, false);
    await page.click(q('lightbox-close'));
  }
  await page.select(q('explorer-kind'), '');
  await shot('explorer');

  // ---- the compare page: two versions, their metrics and the images they judge differently
  for (;;) {
    const v2 = (await rek('DescribeProjectVersions', { ProjectArn: bees.ProjectArn, VersionNames: [version2] })).ProjectVersionDescriptions[0];
    if (v2.Status !== 'TRAINING_IN_PROGRESS') {
      check(v2.Status === 'TRAINING_COMPLETED', `${version2} ended ${v2.Status}: ${v2.StatusMessage}`);
      break;
    }
    if (Date.now() > deadline + 60000) fail(`${version2} did not finish training ${((deadline + 60000 - started) / 1000).toFixed(0)} s into the test`);
    await sleep(1000);
  }
  await go(`#/projects/${BEES}`, 'project-page');
  await waitSel(q('compare-form'), 'the compare form on the project page');
  await shot('project');
  await page.select(q('compare-v1'), version);
  await page.select(q('compare-v2'), version2);
  await page.click(q('compare-go'));
  await waitSel(q('compare-page'), 'the compare page');
  await waitSel(q('compare-row'), 'the compare table', 30000);
  check((await page.evaluate(() => location.hash)) === `#/projects/${BEES}/compare/${version}/${version2}`, 'the compare page has another address');
  const arn2 = (await rek('DescribeProjectVersions', { ProjectArn: bees.ProjectArn, VersionNames: [version2] })).ProjectVersionDescriptions[0].ProjectVersionArn;
  const [at1, at2, im1, im2] = await Promise.all([
    pageFetch('GET', `/console/api/evaluation/at?projectVersionArn=${encodeURIComponent(versionArn)}`),
    pageFetch('GET', `/console/api/evaluation/at?projectVersionArn=${encodeURIComponent(arn2)}`),
    pageFetch('GET', `/console/api/evaluation/images?projectVersionArn=${encodeURIComponent(versionArn)}`),
    pageFetch('GET', `/console/api/evaluation/images?projectVersionArn=${encodeURIComponent(arn2)}`),
  ]);
  const rows = await page.$$eval(q('compare-row'), (els) => els.map((r) => [r.dataset.label, ...[...r.children].slice(1).map((c) => c.textContent)]));
  for (const r of rows) {
    const a = at1.body.labels.find((l) => l.label === r[0])?.assumed;
    const b = at2.body.labels.find((l) => l.label === r[0])?.assumed;
    const want = [a, b].flatMap((x) => (x ? [x.precision, x.recall, x.f1].map((v) => v.toFixed(3)) : ['—', '—', '—']));
    const got = [r[2], r[3], r[4], r[6], r[7], r[8]];
    check(JSON.stringify(got) === JSON.stringify(want), `compare row ${r[0]} shows ${got}, evaluation/at says ${want}`);
  }
  const lines = await page.$$eval(q('overlay-line'), (els) => els.map((e) => e.dataset.version));
  check(lines.includes(version) && lines.includes(version2), `the overlaid PR curves are of ${[...new Set(lines)]}`);
  const key = (img) => JSON.stringify((img?.boxes || []).map((b) => `${b.label}/${b.outcome}`).sort());
  const byRef1 = new Map(im1.body.images.map((i) => [i.ref, i]));
  const byRef2 = new Map(im2.body.images.map((i) => [i.ref, i]));
  const differ = [...new Set([...byRef1.keys(), ...byRef2.keys()])].filter((r) => key(byRef1.get(r)) !== key(byRef2.get(r))).sort();
  const shownDiff = (await page.$$eval(q('compare-image'), (els) => els.map((e) => e.dataset.ref))).sort();
  check(JSON.stringify(shownDiff) === JSON.stringify(differ), `the compare page lists ${JSON.stringify(shownDiff)} as judged differently, the two evaluations differ on ${JSON.stringify(differ)}`);
  await shot('compare');
  step(`compare ${version} / ${version2}: metrics of ${rows.length} labels = evaluation/at, ${lines.length} PR curves, ${differ.length} images judged differently`);
  await rek('StopProjectVersion', { ProjectVersionArn: versionArn });

  check(!problems.length, `the page reported:\n${problems.join('\n')}`);
}

async function exifOrientations(image, manifest) {
  const line = JSON.parse(readFileSync(manifest, 'utf8').split('\n')[0]);
  check(line['source-ref'].endsWith('/00001.jpg'), `the first demo line is ${line['source-ref']}`);
  const truth = boxesOfLine(line);
  check(truth.length === 1 && truth[0].label === 'bee', `the first demo image has ${JSON.stringify(truth)}, not one bee`);
  const bytes = readFileSync(image);
  const project = await rek('CreateProject', { ProjectName: 'lab-exif' });
  const ds = (await rek('CreateDataset', { ProjectArn: project.ProjectArn, DatasetType: 'TRAIN' })).DatasetArn;
  const lines = [];
  for (let o = 1; o <= 8; o++) {
    const key = `lab-exif/o${o}.jpg`;
    const put = (await pagePut(page, `/console/s3/apiary-console/${key}`, withOrientation(bytes, o).toString('base64'))).status;
    check(put === 200, `PUT ${key} answered ${put}`);
    lines.push(JSON.stringify({ ...line, 'source-ref': `s3://apiary-console/${key}` }));
  }
  await rek('UpdateDatasetEntries', { DatasetArn: ds, Changes: { GroundTruth: Buffer.from(lines.join('\n') + '\n').toString('base64') } });
  await go('#/projects/lab-exif/dataset/train', 'dataset-page');
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 8, 'the eight oriented images');
  const refs = await page.$$eval(q('gallery-item'), (els) => els.map((e) => e.dataset.ref));
  const results = [];
  const shownAt = {};
  for (let o = 1; o <= 8; o++) {
    const ref = `s3://apiary-console/lab-exif/o${o}.jpg`;
    await openEditor(refs.indexOf(ref));
    const info = (await pageFetch('GET', `/console/api/entry?${new URLSearchParams({ dataset: ds, ref })}`)).body;
    check(info.orientation === o, `GET /console/api/entry says orientation ${info.orientation} for o${o}.jpg`);
    const g = await canvasGeometry();
    check(o >= 5 ? g.UW === info.height && g.UH === info.width : g.UW === info.width && g.UH === info.height,
      `orientation ${o}: the editor shows ${g.UW}x${g.UH} for a stored ${info.width}x${info.height}`);
    const rect = await page.$eval(q('editor-box'), (el) => ({ x: Number(el.getAttribute('x')), y: Number(el.getAttribute('y')), w: Number(el.getAttribute('width')), h: Number(el.getAttribute('height')) }));
    const url = await page.$eval(q('editor-image'), (el) => el.src);
    const inside = await yellowInside(url, rect, g.UW);
    check(inside > 0.3, `orientation ${o}: only ${(inside * 100).toFixed(0)}% of the shown box is bee-yellow; it is not over the bee`);
    // draw it again over the bee, where the old one was shown
    await page.click(q('tool-select'));
    const c = await centreOf(q('editor-box'));
    await page.mouse.click(c.x, c.y);
    await page.keyboard.press('Delete');
    await waitFor(() => !document.querySelector('[data-testid=editor-box]'), 'the box to be deleted');
    await page.click(q('tool-draw'));
    await page.click('[data-testid=label-pick]');
    await drawBox(rect.x / g.UW, rect.y / g.UH, (rect.x + rect.w) / g.UW, (rect.y + rect.h) / g.UH);
    // 1 px on screen is more than 1 px of the picture: tell the two apart only by whole pixels
    await page.click(q('editor-save'));
    await waitFor(() => ['clean', 'dirty'].includes(document.querySelector('[data-testid=editor]')?.dataset.state), 'the save');
    await waitClean(`saving orientation ${o}`);
    results.push(`${o}: ${(inside * 100).toFixed(0)}% yellow`);
    shownAt[o] = { x: rect.x / g.UW, y: rect.y / g.UH, w: rect.w / g.UW, h: rect.h / g.UH };
    if (o === 6) await shot('editor-exif6', page, false);
    await page.click(q('editor-close'));
    await waitFor(() => !document.querySelector('[data-testid=editor]'), 'the editor to close');
  }
  const stored = await entriesOf(ds);
  const px = Math.max(1, Math.ceil(320 / 930)); // the picture is shown at about its own size: a screen pixel is ≤ 1 px
  for (let o = 1; o <= 8; o++) {
    const e = stored.find((x) => x['source-ref'] === `s3://apiary-console/lab-exif/o${o}.jpg`);
    sameBoxes(boxesOfLine(e), truth, px + 1, `orientation ${o}: the box drawn over the upright bee, stored`);
  }
  step(`EXIF orientations 1-8: shown over the bee (${results.join(', ')}), drawn boxes stored on the grid as the manifest had them`);
  // a fresh gallery draws every stored box over the upright thumbnail, having asked for the
  // page's orientations in one request
  const asked = [];
  const count = (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/console/api/entry' || path === '/console/api/entries/pictures') asked.push(`${r.method()} ${path}`);
  };
  page.on('request', count);
  await page.reload({ waitUntil: 'load' });
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 8, 'the eight oriented images after a reload');
  for (let o = 1; o <= 8; o++) {
    const sel = `[data-testid=gallery-item][data-ref="s3://apiary-console/lab-exif/o${o}.jpg"] [data-testid=box]`;
    const want = shownAt[o];
    await waitFor((s, w) => {
      const r = document.querySelector(s);
      if (!r) return false;
      const v = ['x', 'y', 'width', 'height'].map((k) => Number(r.getAttribute(k)));
      return [w.x, w.y, w.w, w.h].every((x, i) => Math.abs(x - v[i]) < 0.01);
    }, `the gallery to draw o${o}.jpg's box upright`, 10000, page, sel, want);
  }
  page.off('request', count);
  check(JSON.stringify(asked) === JSON.stringify(['POST /console/api/entries/pictures']),
    `the gallery asked for its eight images' orientations with ${JSON.stringify(asked)}, not one POST /console/api/entries/pictures`);
  const o6 = 's3://apiary-console/lab-exif/o6.jpg';
  const some = await pageFetch('POST', '/console/api/entries/pictures', { datasetArn: ds, refs: [o6, 's3://apiary-console/lab-exif/none.jpg'] });
  const one = (await pageFetch('GET', `/console/api/entry?${new URLSearchParams({ dataset: ds, ref: o6 })}`)).body;
  check(some.status === 200 && JSON.stringify(some.body) === JSON.stringify({ pictures: { [o6]: { width: one.width, height: one.height, orientation: 6 } } }),
    `entries/pictures answered ${some.status} ${JSON.stringify(some.body)} (GET entry: ${one.width}x${one.height}, orientation ${one.orientation})`);
  const many = await pageFetch('POST', '/console/api/entries/pictures', { datasetArn: ds, refs: Array.from({ length: 101 }, (_, i) => `s3://b/${i}.jpg`) });
  check(many.status === 400 && /at most 100/.test(many.body.message), `101 refs answered ${many.status} ${JSON.stringify(many.body)}`);
  await shot('gallery-exif');
  step('a fresh gallery draws the boxes of all eight orientations over the upright thumbnails, from one request');
}

await runTest('labelling', run, main, () => ({ server, browser, page, problems }));
