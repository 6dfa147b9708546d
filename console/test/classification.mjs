// Browser test of a classification model's page against a real `apiary serve`: a shapes
// project (`apiary demo-data --shapes`) trained through the API, then the model page's accuracy,
// macro F1 and confusion matrix (its cells sum to the test images), the explorer's images, and
// Try it's label list against DetectCustomLabels at two slider values.
// usage: node console/test/classification.mjs --apiary PATH_TO_APIARY [--screenshots DIR] [--console-dir DIR]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, fail, launchBrowser, pagePut as harnessPut, pageRekognition as harnessRekognition, runTest, setupRun, signIn, startServer, watchPage, watchTrainingJobs } from './harness.mjs';

const USAGE = 'usage: node console/test/classification.mjs --apiary PATH_TO_APIARY_BINARY [--screenshots DIR] [--console-dir DIR]';
const PROJECT = 'shapes';
const LABELS = ['circle', 'square', 'triangle'];
const BUCKET = 'shape-data';
const run = setupRun(USAGE, 'classification');
const { args, apiary, shots, tmp, started, step } = run;
let server = null;
let browser = null;
let page = null;
let problems = [];

const q = (id) => `[data-testid="${id}"]`;
const pageRekognition = (operation, body) => harnessRekognition(page, operation, body);
const pagePut = (path, base64, type) => harnessPut(page, path, base64, type);
const text = (sel) => page.$eval(sel, (el) => el.textContent.trim());

async function shot(name) {
  if (shots && page) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function waitFor(fn, what, timeout = 30000, ...fnArgs) {
  try {
    return await page.waitForFunction(fn, { timeout, polling: 200 }, ...fnArgs);
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



async function setSlider(v) {
  await page.$eval(q('confidence-slider'), (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }, v);
  const shown = Number(await page.$eval(q('confidence-slider'), (el) => el.value));
  await waitFor((s) => (document.querySelector('[data-testid=label-count]')?.textContent || '').includes(`${s.toFixed(1)}%`), `the slider at ${v}`, 5000, shown);
  return shown;
}

async function main() {
  const demo = join(tmp, 'shapes');
  execFileSync(apiary, ['demo-data', demo, '--shapes', '--images', '12', '--seed', '3'], { stdio: 'pipe' });
  const extra = ['--train-option', 'threads=2'];
  if (args['console-dir']) extra.push('--console-dir', resolve(args['console-dir']));
  server = await startServer(apiary, join(tmp, 'data'), extra);
  step(`server at ${server.url}`);

  browser = await launchBrowser();
  page = await browser.newPage();
  problems = watchPage(page);
  await signIn(page, server);

  // ---- the shapes into a bucket, one image-classification line each, a project trained on them
  const bucket = await pagePut(`/console/s3/${BUCKET}`, '', 'application/octet-stream');
  check([200, 409].includes(bucket.status), `creating the bucket answered ${bucket.status}: ${bucket.body}`);
  const lines = [];
  let firstSquare = null;
  for (const [classId, label] of LABELS.entries()) {
    for (const name of readdirSync(join(demo, label)).filter((f) => f.endsWith('.jpg')).sort()) {
      const key = `shapes/${label}/${name}`;
      const file = join(demo, label, name);
      if (label === 'square' && !firstSquare) firstSquare = file;
      const put = await pagePut(`/console/s3/${BUCKET}/${key}`, readFileSync(file).toString('base64'));
      check(put.status === 200, `PUT ${key} answered ${put.status}: ${put.body}`);
      lines.push(JSON.stringify({
        'source-ref': `s3://${BUCKET}/${key}`, shape: classId,
        'shape-metadata': { 'class-name': label, confidence: 1, type: 'groundtruth/image-classification', 'job-name': 'labeling-job/shapes', 'human-annotated': 'yes', 'creation-date': '2024-01-01T00:00:00' },
      }));
    }
  }
  check(lines.length === 36, `demo-data wrote ${lines.length} shapes, not 36`);
  const p = await pageRekognition('CreateProject', { ProjectName: PROJECT });
  check(p.status === 200, `CreateProject: ${JSON.stringify(p.body)}`);
  const manifest = await pagePut(`/console/s3/${BUCKET}/shapes/train.manifest`, Buffer.from(lines.join('\n') + '\n').toString('base64'), 'application/octet-stream');
  check(manifest.status === 200, `PUT of the manifest answered ${manifest.status}: ${manifest.body}`);
  const d = await pageRekognition('CreateDataset', { ProjectArn: p.body.ProjectArn, DatasetType: 'TRAIN',
    DatasetSource: { GroundTruthManifest: { S3Object: { Bucket: BUCKET, Name: 'shapes/train.manifest' } } } });
  check(d.status === 200, `CreateDataset: ${JSON.stringify(d.body)}`);
  const t = await pageRekognition('CreateProjectVersion', {
    ProjectArn: p.body.ProjectArn, VersionName: 'v1', OutputConfig: { S3Bucket: BUCKET, S3KeyPrefix: 'eval/' },
    TrainingOptions: { epochs: 2, image_size: 96 },
  });
  check(t.status === 200, `CreateProjectVersion: ${JSON.stringify(t.body)}`);
  const versionArn = t.body.ProjectVersionArn;
  step(`training ${versionArn}`);
  const trainingJobs = await watchTrainingJobs(page);  // what the Training page's card shows
  // The Training page's card while the classifier trains: epoch, loss, the validation measure.
  await page.evaluate((h) => { location.hash = h; }, `#/projects/${PROJECT}/train`);
  await waitFor(() => /Epoch \d+ of \d+ · step [1-9]/.test(document.querySelector('[data-testid=training-epoch]')?.textContent || '')
    || ['completed', 'failed'].includes(document.querySelector('[data-testid=training-job]')?.dataset.state), 'the classifier\'s training card', 120000)
    .catch(() => {});
  const cardLabel = await page.$eval('[data-testid=training-ap50]', (el) => el.parentElement.querySelector('dt').textContent).catch(() => null);
  if (cardLabel !== null) check(cardLabel === 'Validation mean AP', `the training card says "${cardLabel}"`);
  await shot('classification-training');

  // ---- the model page: accuracy, macro F1, the confusion matrix
  await page.evaluate((h) => { location.hash = h; }, `#/projects/${PROJECT}/models/v1`);
  await waitSel(q('model-page'), 'the model page');
  await waitFor(() => ['TRAINING_COMPLETED', 'TRAINING_FAILED'].includes(document.querySelector('[data-testid=model-status]')?.dataset.status), 'the training to end', 240000);
  const status = await page.$eval(q('model-status'), (el) => el.dataset.status);
  if (status !== 'TRAINING_COMPLETED') fail(`training ended ${status}: ${await text(q('model-status-message')).catch(() => '')}`);
  const jobs = (await trainingJobs.stop()).filter((j) => j.state === 'running' && j.epochs > 0);
  check(jobs.length > 0, '/console/api/training never showed the job running');
  check(jobs.every((j) => j.valMetric === 'mean AP'),
    `the training card names the validation measure ${[...new Set(jobs.map((j) => j.valMetric))]}, not the classifier's mean AP`);
  await waitSel(q('confusion-matrix'), 'the confusion matrix', 30000);
  const evaluation = await page.evaluate(async (arn) => (await fetch(`/console/api/evaluation?${new URLSearchParams({ projectVersionArn: arn })}`, { credentials: 'same-origin' })).json(), versionArn);
  const testImages = evaluation.classification?.images;
  check(testImages > 0, `the evaluation counts ${testImages} test images`);
  const cells = await page.$$eval('[data-testid=confusion-cell]', (els) => els.map((e) => ({ t: e.dataset.true, p: e.dataset.predicted, n: Number(e.dataset.count), text: e.textContent.trim() })));
  check(cells.length === LABELS.length ** 2, `the matrix has ${cells.length} cells, not ${LABELS.length ** 2}`);
  const sum = cells.reduce((s, c) => s + c.n, 0);
  check(sum === testImages, `the matrix's cells sum to ${sum}, the test set has ${testImages} images`);
  check(cells.every((c) => c.text === String(c.n)), 'a cell\'s text is not its count');
  const rows = evaluation.classification.confusion_matrix.rows;
  const labels = evaluation.classification.confusion_matrix.labels;
  check(cells.every((c) => rows[labels.indexOf(c.t)][labels.indexOf(c.p)] === c.n), 'a cell differs from evaluation.json');
  const accuracy = await text(q('eval-accuracy'));
  check(accuracy === `${(evaluation.overall.accuracy * 100).toFixed(1)}%`, `accuracy shows "${accuracy}", evaluation.json ${evaluation.overall.accuracy}`);
  const macro = await text(q('eval-macro-f1'));
  check(macro === evaluation.overall.macro_f1.toFixed(3), `macro F1 shows "${macro}", evaluation.json ${evaluation.overall.macro_f1}`);
  step(`summary: accuracy ${accuracy}, macro F1 ${macro}, matrix ${sum} images`);
  await waitFor(() => document.querySelector('[data-testid=explorer-images]')?.dataset.state === 'ready', 'the explorer\'s images', 30000);
  const explored = await page.$$eval('[data-testid=explorer-image]', (els) => els.length);
  const whole = await page.$$eval('[data-testid=explorer-image] [data-testid=outcome-box]', (els) => els.length);
  check(explored === testImages && whole === 0, `the explorer lists ${explored} images (of ${testImages}) with ${whole} boxes`);
  check(await page.$(q('explorer-error')) === null, `the explorer failed: ${await text(q('explorer-error')).catch(() => '')}`);
  await shot('classification-evaluation');

  // ---- start, try it: the list against the API at two slider values
  await waitSel(q('model-start'), 'the Start button');
  await page.click(q('model-start'));
  await waitFor(() => document.querySelector('[data-testid=model-status]')?.dataset.status === 'RUNNING', 'the model to run', 90000);
  await waitSel(q('try-drop-input'));
  await (await page.$(q('try-drop-input'))).uploadFile(firstSquare);
  await waitFor(() => document.querySelector('[data-testid=try-it]')?.dataset.state === 'done' || document.querySelector('[data-testid=try-error]'), 'the detection', 60000);
  if (await page.$(q('try-error'))) fail(`DetectCustomLabels failed in the page: ${await text(q('try-error'))}`);
  check(await page.$eval(q('try-it'), (el) => el.dataset.mode) === 'classification', 'Try it is not in classification mode');
  const bytes = readFileSync(firstSquare).toString('base64');
  const all = await pageRekognition('DetectCustomLabels', { ProjectVersionArn: versionArn, Image: { Bytes: bytes }, MinConfidence: 0 });
  const confidences = (all.body.CustomLabels || []).map((l) => l.Confidence).sort((a, b) => b - a);
  check(confidences.length === LABELS.length, `DetectCustomLabels found ${confidences.length} labels`);
  const values = [...new Set([0, Math.max(0, Math.floor(confidences[1] * 10) / 10 - 0.1), Math.floor(confidences[0] * 10) / 10])];
  for (const v of values.slice(-2)) {
    const shown = await setSlider(v);
    const api = await pageRekognition('DetectCustomLabels', { ProjectVersionArn: versionArn, Image: { Bytes: bytes }, MinConfidence: shown });
    check(api.status === 200, `DetectCustomLabels at ${shown} answered ${api.status}`);
    const listed = await page.$$eval('[data-testid=try-class]', (els) => els.map((e) => e.dataset.label));
    const expected = api.body.CustomLabels.map((l) => l.Name);
    check(JSON.stringify(listed) === JSON.stringify(expected), `at ${shown}% the page lists ${JSON.stringify(listed)}, the API answers ${JSON.stringify(expected)}`);
    const countText = await text(q('label-count'));
    check(countText.startsWith(`${expected.length} label`), `the count says "${countText}", the API ${expected.length}`);
    const drawn = await page.$$eval('[data-testid=try-it] [data-testid=box]', (els) => els.length);
    check(drawn === 0, `a classifier's Try it draws ${drawn} boxes`);
    step(`slider ${shown}%: ${listed.length} labels = API (${expected.join(', ')})`);
  }
  await shot('classification-try-it');
  check(!problems.length, `the page reported:\n${problems.join('\n')}`);
}

await runTest('classification', run, main, () => ({ server, browser, page, problems }));
