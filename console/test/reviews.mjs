// Browser test of the review loop against a real `apiary serve`: a tiny model behind a pipeline
// with a review band, images uploaded through the console's S3 path, one review corrected and
// accepted, one rejected; the accepted image lands in the TRAIN dataset with the corrected box.
// usage: node console/test/reviews.mjs --apiary PATH_TO_APIARY [--screenshots DIR] [--console-dir DIR]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, fail, launchBrowser, pageFetch as harnessFetch, runTest, setupRun, signIn, startServer, watchPage } from './harness.mjs';

const USAGE = 'usage: node console/test/reviews.mjs --apiary PATH_TO_APIARY_BINARY [--screenshots DIR] [--console-dir DIR]';
const PROJECT = 'rev-bees';
const PIPELINE = 'rev-pipe';
const IN_BUCKET = 'rev-in';
const PREFIX = 'incoming/';
const run = setupRun(USAGE, 'reviews');
const { args, apiary, shots, tmp, dataDir, started, step } = run;
let server = null;
let browser = null;
let page = null;
let problems = [];

const q = (id) => `[data-testid="${id}"]`;
const pageFetch = (method, path, options) => harnessFetch(page, method, path, options);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shot(name, fullPage = true) {
  if (shots && page) await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

async function waitFor(fn, what, timeout = 30000, ...fnArgs) {
  try {
    return await page.waitForFunction(fn, { timeout, polling: 100 }, ...fnArgs);
  } catch (e) {
    fail(`timed out after ${timeout / 1000} s waiting for ${what}`);
  }
}

async function waitSel(sel, what, timeout = 30000) {
  try {
    return await page.waitForSelector(sel, { timeout });
  } catch (e) {
    fail(`timed out after ${timeout / 1000} s waiting for ${what || sel}`);
  }
}


async function rek(operation, body) {
  const r = await pageFetch('POST', '/console/api/rekognition', {
    json: body, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `RekognitionService.${operation}` },
  });
  if (r.status !== 200) fail(`${operation} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function putObject(bucket, key, file, type = 'image/jpeg') {
  const r = await pageFetch('PUT', `/console/s3/${bucket}/${key}`, { base64: readFileSync(file).toString('base64'), headers: { 'Content-Type': type } });
  if (r.status !== 200) fail(`PUT /console/s3/${bucket}/${key} answered ${r.status}: ${JSON.stringify(r.body)}`);
}

async function makeBucket(bucket) {
  const r = await pageFetch('PUT', `/console/s3/${bucket}`);
  check([200, 409].includes(r.status), `creating the bucket ${bucket} answered ${r.status}`);
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

function detectionOf(o) {
  for (const [attr, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && Array.isArray(v.annotations)) {
      const map = o[`${attr}-metadata`]?.['class-map'] || {};
      return {
        size: v.image_size?.[0],
        boxes: v.annotations.map((a) => ({ label: map[String(a.class_id)], left: a.left, top: a.top, width: a.width, height: a.height })),
      };
    }
  }
  return { size: null, boxes: [] };
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


async function describeVersion(projectArn, name) {
  const r = await rek('DescribeProjectVersions', { ProjectArn: projectArn, VersionNames: [name] });
  return r.ProjectVersionDescriptions?.[0] || {};
}

async function waitVersion(projectArn, name, want, timeoutS) {
  const until = Date.now() + timeoutS * 1000;
  let d = {};
  while (Date.now() < until) {
    d = await describeVersion(projectArn, name);
    if (want.includes(d.Status)) return d;
    if (/FAILED/.test(d.Status || '')) fail(`the version ${name} is ${d.Status}: ${d.StatusMessage}`);
    await sleep(1000);
  }
  fail(`the version ${name} is ${d.Status}, not ${want.join(' or ')}, after ${timeoutS} s`);
}

/** The editor's boxes as its box list shows them (stored-grid pixels). */
async function editorBoxes() {
  return page.$$eval('[data-testid=editor-box-row]', (rows) => rows.map((r) => {
    const label = r.querySelector('button').textContent.trim();
    const [lt, wh] = r.querySelector('.muted').textContent.trim().split(' ');
    const [left, top] = lt.split(',').map(Number);
    const [width, height] = wh.split('×').map(Number);
    return { label, left, top, width, height };
  }));
}

async function canvasGeometry() {
  return page.$eval(q('editor-canvas'), (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height, UW: Number(el.dataset.width), UH: Number(el.dataset.height) };
  });
}

async function waitEditorReady(what) {
  await waitFor(() => document.querySelector('[data-testid=review-editor]')?.dataset.state === 'ready'
    && document.querySelector('[data-testid=editor-image]')?.complete
    || document.querySelector('[data-testid=review-error]'), what);
  const err = await page.$(q('review-error'));
  if (err) fail(`${what}: ${await page.$eval(q('review-error'), (e) => e.textContent)}`);
  await sleep(200); // the canvas measures itself
}

async function main() {
  const demo = join(tmp, 'demo');
  execFileSync(apiary, ['demo-data', demo, '--images', '30', '--seed', '5'], { stdio: 'pipe' });
  const fresh = join(tmp, 'fresh');
  execFileSync(apiary, ['demo-data', fresh, '--images', '4', '--seed', '11'], { stdio: 'pipe' });
  const freshImages = readdirSync(join(fresh, 'images')).filter((f) => f.endsWith('.jpg')).sort();
  check(freshImages.length === 4, `demo-data wrote ${freshImages.length} images, not 4`);

  const extra = [];
  if (args['console-dir']) extra.push('--console-dir', resolve(args['console-dir']));
  server = await startServer(apiary, dataDir, extra);
  browser = await launchBrowser();
  page = await browser.newPage();
  problems = watchPage(page);
  await signIn(page, server);
  step(`signed in at ${server.url}`);

  // ---- a tiny model: 30 demo images uploaded, a dataset from the manifest, 3 epochs at 128 px
  await makeBucket('apiary-demo');
  const images = readdirSync(join(demo, 'images')).filter((f) => f.endsWith('.jpg')).sort();
  for (const f of images) await putObject('apiary-demo', `bees/images/${f}`, join(demo, 'images', f));
  await putObject('apiary-demo', 'bees/output.manifest', join(demo, 'output.manifest'), 'application/octet-stream');
  const project = await rek('CreateProject', { ProjectName: PROJECT });
  const ds = await rek('CreateDataset', {
    ProjectArn: project.ProjectArn, DatasetType: 'TRAIN',
    DatasetSource: { GroundTruthManifest: { S3Object: { Bucket: 'apiary-demo', Name: 'bees/output.manifest' } } },
  });
  const trainArn = ds.DatasetArn;
  await makeBucket('rev-output');
  await rek('CreateProjectVersion', {
    ProjectArn: project.ProjectArn, VersionName: 'v1',
    OutputConfig: { S3Bucket: 'rev-output', S3KeyPrefix: `${PROJECT}/` },
    TrainingOptions: { epochs: 3, image_size: 128 },
  });
  step(`uploaded ${images.length} images, dataset created, training v1`);
  const trained = await waitVersion(project.ProjectArn, 'v1', ['TRAINING_COMPLETED'], 150);
  await rek('StartProjectVersion', { ProjectVersionArn: trained.ProjectVersionArn, MinInferenceUnits: 1 });
  await waitVersion(project.ProjectArn, 'v1', ['RUNNING'], 60);
  const modelArn = trained.ProjectVersionArn;
  const before = await entriesOf(trainArn); // training split some off into TEST
  step('v1 trained and running');

  // ---- a pipeline with a review band, through the form
  await page.evaluate(() => { location.hash = '#/pipelines'; });
  await waitSel(q('pipeline-form'), 'the pipeline form');
  await waitFor((arn) => [...document.querySelectorAll('[data-testid=pipeline-model] option')].some((o) => o.value === arn),
    'the model in the pipeline form', 30000, modelArn);
  await page.type(q('pipeline-name'), PIPELINE);
  await page.type(q('pipeline-bucket'), IN_BUCKET);
  await page.type(q('pipeline-prefix'), PREFIX);
  await page.select(q('pipeline-model'), modelArn);
  await page.type(q('pipeline-review-min'), '0');
  await page.type(q('pipeline-review-max'), '100');
  await page.click(q('pipeline-create'));
  await waitSel(`[data-testid=pipeline-card][data-pipeline="${PIPELINE}"] [data-testid=pipeline-reviews]`, 'the pipeline card with its review band');
  const band = await page.$eval(q('pipeline-reviews'), (e) => e.textContent.replace(/\s+/g, ' ').trim());
  check(/0–100%/.test(band), `the pipeline card shows the band as "${band}"`);
  const listed = (await pageFetch('GET', '/console/api/pipelines')).body.pipelines.find((p) => p.name === PIPELINE);
  check(listed && listed.reviewMin === 0 && listed.reviewMax === 100, `the pipeline was created with ${JSON.stringify(listed)}`);

  // ---- four images through the console's S3 path; the pipeline answers them into the review queue
  for (const f of freshImages) await putObject(IN_BUCKET, `${PREFIX}${f}`, join(fresh, 'images', f));
  step('uploaded 4 images under the pipeline prefix');
  await waitFor(() => document.querySelector('[data-testid=pipeline-reviews-pending]')?.textContent === '4',
    'the pipeline card to count 4 pending reviews', 90000);
  await waitFor(() => document.querySelectorAll('[data-testid=pipeline-result]').length === 4, "the card's latest results to show the 4 answers", 20000);
  await shot('pipeline-card');
  step('4 reviews pending');

  // ---- the Reviews page from the header
  await page.click(q('nav-reviews'));
  await waitSel(q('reviews-page'), 'the reviews page');
  await waitFor(() => document.querySelectorAll('[data-testid=review-card]').length === 4
    && [...document.querySelectorAll('[data-testid=review-card] img')].every((i) => i.complete && i.naturalWidth > 0),
  'four review cards with their images', 30000);
  const queue = (await pageFetch('GET', '/console/api/reviews')).body.reviews;
  const cardIds = await page.$$eval(q('review-card'), (els) => els.map((e) => Number(e.dataset.review)));
  check(JSON.stringify(cardIds) === JSON.stringify(queue.map((r) => r.Id)), `the cards ${cardIds} are not the queue newest first (${queue.map((r) => r.Id)})`);
  await page.select(q('reviews-pipeline'), PIPELINE);
  await waitFor((p) => location.hash === `#/reviews/${p}` && document.querySelectorAll('[data-testid=review-card]').length === 4,
    'the pipeline filter', 15000, PIPELINE);
  await shot('reviews');

  // ---- the first: move (or draw) a box, accept
  await (await page.$$(q('review-open')))[0].click();
  await waitSel(q('review-editor'), 'the review editor');
  await waitEditorReady('the review editor to load');
  const first = queue[0];
  check((await page.$eval(q('review-editor'), (e) => Number(e.dataset.review))) === first.Id, 'the editor opened another review');
  const answer = (await pageFetch('GET', `/console/s3/${IN_BUCKET}/${first.Key}.json`)).body;
  const modelCount = (answer.CustomLabels || []).filter((l) => l.Geometry).length;
  let boxes = await editorBoxes();
  check(boxes.length === modelCount, `the editor shows ${boxes.length} boxes, the model answered ${modelCount}`);
  const g = await canvasGeometry();
  const natural = await page.$eval(q('editor-image'), (i) => ({ width: i.naturalWidth, height: i.naturalHeight }));
  check(g.UW === natural.width && g.UH === natural.height, `the editor's grid ${g.UW}×${g.UH} is not the picture's ${natural.width}×${natural.height}`);
  if (boxes.length) {
    // the model's boxes are its ratios in pixels of the picture
    const b0 = answer.CustomLabels.filter((l) => l.Geometry)[0].Geometry.BoundingBox;
    const want = { left: b0.Left * g.UW, top: b0.Top * g.UH, width: b0.Width * g.UW, height: b0.Height * g.UH };
    const shown = boxes.find((b) => edges(b).every((x, k) => Math.abs(x - edges(want)[k]) <= 1));
    check(shown, `no editor box matches the model's first box ${JSON.stringify(want)}: ${JSON.stringify(boxes)}`);
    // move the first box towards the picture's centre by ~20 screen pixels each way
    const target = boxes[0];
    const cx = target.left + target.width / 2;
    const cy = target.top + target.height / 2;
    const dx = cx < g.UW / 2 ? 20 : -20;
    const dy = cy < g.UH / 2 ? 14 : -14;
    const sx = g.x + (cx / g.UW) * g.w;
    const sy = g.y + (cy / g.UH) * g.h;
    // a box on top of another would take the drag: press exactly on the smallest box containing the point
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move(sx + dx / 2, sy + dy / 2, { steps: 3 });
    await page.mouse.move(sx + dx, sy + dy, { steps: 3 });
    await page.mouse.up();
    await sleep(200);
  } else {
    // the model found nothing: draw one
    await waitSel(q('label-pick'), 'a label to draw with');
    const [ax, ay, bx, by] = [g.x + 0.2 * g.w, g.y + 0.25 * g.h, g.x + 0.55 * g.w, g.y + 0.6 * g.h];
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    await page.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 4 });
    await page.mouse.move(bx, by, { steps: 4 });
    await page.mouse.up();
    await waitFor(() => document.querySelectorAll('[data-testid=editor-box]').length === 1, 'the drawn box', 5000);
  }
  const corrected = await editorBoxes();
  // Multiset differences: the model may give two boxes with the same edges.
  const minus = (xs, ys) => {
    const left = [...ys];
    return xs.filter((x) => {
      const i = left.findIndex((y) => edges(y).every((e, k) => e === edges(x)[k]));
      if (i < 0) return true;
      left.splice(i, 1);
      return false;
    });
  };
  const changed = minus(corrected, boxes);
  check(changed.length === 1, `the drag changed ${changed.length} boxes, not 1: before ${JSON.stringify(boxes)}, after ${JSON.stringify(corrected)}`);
  if (boxes.length) {
    const moved = changed[0];
    const orig = minus(boxes, corrected)[0];
    const ex = Math.round(((moved.left - orig.left) / g.UW) * g.w);
    check(moved.width === orig.width && moved.height === orig.height && Math.abs(ex) >= 5, `the box moved from ${JSON.stringify(orig)} to ${JSON.stringify(moved)}`);
  }
  step(`review ${first.Id} (${first.Key}): model ${modelCount} box(es), corrected to ${JSON.stringify(corrected)}`);
  await shot('review-editor', false);
  await page.click(q('review-accept'));
  await waitFor((id) => {
    const e = document.querySelector('[data-testid=review-editor]');
    return (e && Number(e.dataset.review) !== id && e.dataset.state === 'ready') || document.querySelector('[data-testid=review-error]');
  }, 'the next review after Accept', 30000, first.Id);
  const err = await page.$(q('review-error'));
  if (err) fail(`accepting: ${await page.$eval(q('review-error'), (e) => e.textContent)}`);

  // ---- the next one: reject
  await waitEditorReady('the second review to load');
  const second = await page.$eval(q('review-editor'), (e) => Number(e.dataset.review));
  const rejected = queue.find((r) => r.Id === second);
  check(rejected && rejected.Id === queue[1].Id, `after Accept the editor shows review ${second}, not the next pending ${queue[1].Id}`);
  await page.click(q('review-reject'));
  await waitFor((id) => {
    const e = document.querySelector('[data-testid=review-editor]');
    return (e && Number(e.dataset.review) !== id) || document.querySelector('[data-testid=review-error]');
  }, 'the next review after Reject', 30000, second);
  await waitEditorReady('the third review to load');
  await page.click(q('review-close'));
  await waitFor(() => !document.querySelector('[data-testid=review-editor]') && document.querySelectorAll('[data-testid=review-card]').length === 2,
    'two pending reviews left', 15000);
  step(`accepted ${first.Key}, rejected ${rejected.Key}`);

  // ---- the TRAIN dataset: the accepted image with the corrected boxes, not the rejected one
  const after = await entriesOf(trainArn);
  const acceptedRef = `s3://${IN_BUCKET}/${first.Key}`;
  const entry = after.find((o) => o['source-ref'] === acceptedRef);
  check(entry, `ListDatasetEntries has no ${acceptedRef} (${after.length} entries)`);
  const det = detectionOf(entry);
  check(det.size && det.size.width === natural.width && det.size.height === natural.height,
    `the accepted line's image_size is ${JSON.stringify(det.size)}, not ${natural.width}×${natural.height}`);
  sameBoxes(det.boxes, corrected, 1, `${acceptedRef} in ListDatasetEntries`);
  check(!after.some((o) => o['source-ref'] === `s3://${IN_BUCKET}/${rejected.Key}`), `the rejected ${rejected.Key} is in the TRAIN dataset`);
  check(after.length === before.length + 1, `the TRAIN dataset holds ${after.length} entries, not ${before.length + 1}`);
  step('ListDatasetEntries holds the accepted image with the corrected boxes (within 1 px), not the rejected one');

  // ---- history
  for (const [state, r] of [['accepted', first], ['rejected', rejected]]) {
    await page.click(q(`reviews-tab-${state}`));
    await waitFor((id) => document.querySelector(`[data-testid=history-row][data-review="${id}"]`), `the ${state} review in the history`, 15000, r.Id);
    const row = await page.$eval(`[data-testid=history-row][data-review="${r.Id}"]`, (e) => ({
      state: e.dataset.state, reviewer: e.querySelector('[data-testid=history-reviewer]').textContent.trim(), key: e.dataset.key,
    }));
    check(row.state === state && row.reviewer === server.keyId && row.key === r.Key,
      `the ${state} history row is ${JSON.stringify(row)} (key id ${server.keyId})`);
    const count = await page.$eval(q(`reviews-count-${state}`), (e) => e.textContent);
    check(count === '1', `the ${state} tab counts ${count}`);
    await shot(`history-${state}`);
  }
  step(`the history shows both, by ${server.keyId}`);

  // ---- the pipeline card counts the decisions
  await page.evaluate(() => { location.hash = '#/pipelines'; });
  await waitFor(() => document.querySelector('[data-testid=pipeline-reviews-pending]')?.textContent === '2'
    && document.querySelector('[data-testid=pipeline-reviews-accepted]')?.textContent === '1'
    && document.querySelector('[data-testid=pipeline-reviews-rejected]')?.textContent === '1', 'the card to count 2 pending, 1 accepted, 1 rejected');
  check(problems.length === 0, `the page reported problems:\n${problems.join('\n')}`);
}

await runTest('reviews', run, main, () => ({ server, browser, page, problems }));
