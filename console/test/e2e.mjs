// Browser end-to-end test of the console against a real `apiary serve`.
// usage: node console/test/e2e.mjs --apiary PATH_TO_APIARY [--screenshots DIR] [--console-dir DIR]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, fail, launchBrowser, pagePut as harnessPut, pageRekognition as harnessRekognition, rawRequest, runTest, setupRun, signIn, startServer, watchPage, watchTrainingJobs } from './harness.mjs';

const USAGE = 'usage: node console/test/e2e.mjs --apiary PATH_TO_APIARY_BINARY [--screenshots DIR] [--console-dir DIR]';
const XSS = '<img src=x onerror=window.__xss=1>';
const PROJECT = 'e2e-bees';
const run = setupRun(USAGE, 'e2e');
const { args, apiary, shots, tmp, started, step } = run;
let server = null;
let browser = null;
let page = null;
let problems = [];

async function shot(name) {
  if (shots && page) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

const q = (id) => `[data-testid="${id}"]`;
const pageRekognition = (operation, body) => harnessRekognition(page, operation, body);
const pagePut = (path, base64, type) => harnessPut(page, path, base64, type);

async function text(sel) {
  return page.$eval(sel, (el) => el.textContent.trim());
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

async function go(hash, testid) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await waitSel(q(testid), `the ${testid} after going to ${hash}`);
}



async function setSelect(sel, value) {
  await page.select(sel, value);
}

async function main() {
  // ---- data and server
  const demo = join(tmp, 'demo');
  execFileSync(apiary, ['demo-data', demo, '--images', '30', '--seed', '3'], { stdio: 'pipe' });
  const images = readdirSync(join(demo, 'images')).filter((f) => f.endsWith('.jpg')).sort().map((f) => join(demo, 'images', f));
  check(images.length === 30, `demo-data wrote ${images.length} images, not 30`);
  const manifestLines = readFileSync(join(demo, 'output.manifest'), 'utf8').split('\n').filter(Boolean);
  const truth = manifestLines.map((l) => JSON.parse(l));

  const extra = ['--train-option', 'time_budget_s=20'];
  if (args['console-dir']) extra.push('--console-dir', resolve(args['console-dir'])); // the sources, unbundled
  server = await startServer(apiary, join(tmp, 'data'), extra);
  const base = server.url;
  step(`server at ${base}, key ${server.keyId}`);

  // ---- what is served without a session
  const shell = await rawRequest(`${base}/console/`);
  check(shell.status === 200, `GET /console/ without a session answered ${shell.status}, not 200`);
  if (!args['console-dir']) { // the bundle's assets (with --console-dir the sources are served instead)
    const signinJs = await rawRequest(`${base}/console/assets/signin.js`);
    check(signinJs.status === 200, `GET /console/assets/signin.js without a session answered ${signinJs.status}`);
    const appJsAnon = await rawRequest(`${base}/console/assets/app.js`);
    check(appJsAnon.status === 401, `GET /console/assets/app.js without a cookie answered ${appJsAnon.status}, not 401`);
  }
  const apiAnon = await rawRequest(`${base}/console/api/session`);
  check(apiAnon.status === 401, `GET /console/api/session without a cookie answered ${apiAnon.status}, not 401`);

  // ---- sign in, a wrong key first
  browser = await launchBrowser();
  page = await browser.newPage();
  problems = watchPage(page);
  await page.goto(`${base}/console/`, { waitUntil: 'load' });
  await waitSel(q('signin-form'), 'the sign-in form');
  await page.type(q('signin-key-id'), server.keyId);
  await page.type(q('signin-secret'), 'wrong-secret-key');
  await page.click(q('signin-submit'));
  await waitSel(q('signin-error'), 'the message for a wrong key');
  const wrong = await text(q('signin-error'));
  check(wrong.length > 0, 'the wrong-key message is empty');
  step(`wrong key refused: "${wrong}"`);
  await shot('signin');
  await page.$eval(q('signin-secret'), (el) => { el.value = ''; });
  await page.type(q('signin-secret'), server.secret);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(q('signin-submit'))]);
  await waitSel(q('projects-page'), 'the projects page after signing in');
  await waitFor((id) => document.querySelector('[data-testid=key-id]')?.textContent === id, 'the header to show the signed-in key id', 10000, server.keyId);
  step('signed in');

  // ---- CSRF and Origin, with the session cookie
  const cookies = await page.cookies();
  const session = cookies.find((c) => c.name === 'apiary_session');
  check(session, `no apiary_session cookie after signing in (cookies: ${cookies.map((c) => c.name).join(', ')})`);
  check(session.httpOnly, 'the session cookie is not HttpOnly');
  const cookie = `apiary_session=${session.value}`;
  const info = JSON.parse((await rawRequest(`${base}/console/api/session`, { headers: { Cookie: cookie } })).body);
  check(info.csrfToken, 'GET /console/api/session has no csrfToken');
  const rekHeaders = { Cookie: cookie, 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'RekognitionService.DescribeProjects' };
  const noCsrf = await rawRequest(`${base}/console/api/rekognition`, { method: 'POST', headers: rekHeaders, body: '{}' });
  check(noCsrf.status === 403, `a POST without X-CSRF-Token answered ${noCsrf.status}, not 403`);
  const evil = await rawRequest(`${base}/console/api/rekognition`, {
    method: 'POST', headers: { ...rekHeaders, 'X-CSRF-Token': info.csrfToken, Origin: 'http://evil.example' }, body: '{}' });
  check(evil.status === 403, `a POST with Origin http://evil.example answered ${evil.status}, not 403`);
  const good = await rawRequest(`${base}/console/api/rekognition`, {
    method: 'POST', headers: { ...rekHeaders, 'X-CSRF-Token': info.csrfToken, Origin: base }, body: '{}' });
  check(good.status === 200, `a POST with the token and our Origin answered ${good.status}: ${good.body}`);
  step('CSRF token and Origin checked (403, 403, 200)');

  // ---- create a project
  await page.type(q('project-name'), PROJECT);
  await page.click(q('create-project'));
  await waitSel(q('project-page'), 'the new project page');
  step('project created');

  // ---- import the manifest and its 30 images from the computer
  await go(`#/projects/${PROJECT}/dataset/train`, 'dataset-page');
  await waitSel(q('import-manifest-file'));
  await (await page.$(q('import-manifest-file'))).uploadFile(join(demo, 'output.manifest'));
  await (await page.$(q('import-images'))).uploadFile(...images);
  await page.click(q('import-submit'));
  await waitFor(() => document.querySelector('[data-testid=import-result],[data-testid=import-error]'), 'the import to finish', 90000);
  const importError = await page.$(q('import-error'));
  if (importError) fail(`the import failed: ${await text(q('import-error'))}`);
  await waitFor(() => document.querySelector('[data-testid=stat-total]')?.textContent === '30', 'the dataset to show 30 images', 30000);
  const doneUploads = await page.$$eval('[data-testid=upload-item][data-done=yes]', (els) => els.length);
  check(doneUploads === 30, `${doneUploads} of 30 uploads show done`);
  // boxes in the gallery: every ground-truth box of the page
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 30, '30 gallery items');
  const boxesDrawn = await page.$$eval('[data-testid=gallery] [data-testid=box]', (els) => els.length);
  const boxesTruth = truth.reduce((n, t) => n + (t['bee-detection']?.annotations?.length || 0), 0);
  check(boxesDrawn === boxesTruth, `the gallery draws ${boxesDrawn} boxes, the manifest has ${boxesTruth}`);
  step(`imported 30 images, ${boxesDrawn} boxes drawn`);
  await shot('dataset');

  // ---- filter by label
  const labelCounts = await page.$$eval('[data-testid=label-count-row]', (rows) => rows.map((r) => [r.children[0].textContent, Number(r.children[1].textContent)]));
  check(labelCounts.length >= 2, `expected the labels bee and flower, got ${JSON.stringify(labelCounts)}`);
  const [label, entries] = labelCounts.find(([l]) => l === 'flower') || labelCounts[0];
  await setSelect(q('filter-label'), label);
  await waitFor((n) => document.querySelector('[data-testid=gallery]')?.dataset.loading === 'no'
    && document.querySelectorAll('[data-testid=gallery-item]').length === n, `${entries} images labelled ${label}`, 15000, entries);
  const allHave = await page.$$eval('[data-testid=gallery-item]', (items, l) => items.every((it) =>
    [...it.querySelectorAll('[data-testid=entry-label]')].some((c) => c.textContent.trim() === l)), label);
  check(allHave, `the gallery filtered by ${label} shows images without that label`);
  await setSelect(q('filter-labeled'), 'no');
  await waitFor(() => document.querySelector('[data-testid=gallery-empty]'), 'no unlabelled images');
  await setSelect(q('filter-labeled'), '');
  await setSelect(q('filter-label'), '');
  await waitFor(() => document.querySelectorAll('[data-testid=gallery-item]').length === 30, 'the unfiltered gallery again');
  step(`filter by ${label}: ${entries} images`);

  // ---- a label name that is markup stays text
  await securityLabel();

  // ---- split 80/20
  await go(`#/projects/${PROJECT}/dataset/train`, 'dataset-page');
  await waitSel(q('split-seed'));
  await page.$eval(q('split-seed'), (el) => { el.value = ''; });
  await page.type(q('split-seed'), '7');
  await page.click(q('split-submit'));
  await waitFor(() => document.querySelector('[data-testid=split-result],[data-testid=split-error]'), 'the split');
  if (await page.$(q('split-error'))) fail(`the split failed: ${await text(q('split-error'))}`);
  const split = (await text(q('split-result'))).match(/\d+/g).map(Number);
  check(split[0] + split[1] === 30 && split[1] >= 3 && split[1] <= 9, `the split answered ${split}`);
  await waitFor(() => document.querySelector('[data-testid=stat-total]')?.textContent === String(24), 'the training set to show 24 images', 15000).catch(() => {});
  step(`split: ${split[0]} training, ${split[1]} test`);

  // ---- train through the Advanced fold: a long job watched live, then cancelled
  await go(`#/projects/${PROJECT}/train`, 'train-page');
  await waitSel(q('advanced-summary'), 'the Advanced fold');
  await page.click(q('advanced-summary'));
  await page.type(q('opt-epochs'), '40');
  await page.type(q('opt-image_size'), '128');
  await page.click(q('train-submit'));
  await waitFor(() => document.querySelector('[data-testid=training-watch],[data-testid=train-error]'), 'the training to start');
  if (await page.$(q('train-error'))) fail(`training did not start: ${await text(q('train-error'))}`);
  await waitFor(() => /Epoch \d+ of 40 · step [1-9]/.test(document.querySelector('[data-testid=training-epoch]')?.textContent || ''),
    'the live progress of the 40-epoch job (epoch / step)', 60000);
  const bar = await page.$eval(q('training-step-bar'), (el) => Number(el.value));
  check(bar > 0 && bar <= 1, `the step progress bar is at ${bar}`);
  step(`progress: ${await text(q('training-epoch'))}, loss ${await text(q('training-loss'))}, time left ${await text(q('training-eta'))}`);
  await shot('train');
  await page.click(q('training-cancel'));
  await waitSel(q('training-result'), 'the cancelled job to end', 60000);
  const cancelled = await page.$eval(q('training-result'), (el) => el.dataset.status);
  const cancelMessage = await text(q('training-status-message')).catch(() => '');
  check(cancelled === 'TRAINING_FAILED' && /cancel/i.test(cancelMessage), `the cancelled job ended ${cancelled}: "${cancelMessage}"`);
  step(`cancelled: ${cancelled} "${cancelMessage}"`);

  // ---- then the real one: epochs=2, image_size=128, followed to the end
  await new Promise((r) => setTimeout(r, 1100)); // a new second, a new version name
  await page.$eval(q('opt-epochs'), (el) => { el.value = ''; });
  await page.type(q('opt-epochs'), '2');
  // the server's own progress, polled fast from the page while the UI polls every 2 s
  const trainingJobs = await watchTrainingJobs(page);
  const before = await page.$eval(q('training-watch'), (el) => el.querySelector('h2').textContent);
  await page.click(q('train-submit'));
  await waitFor((b) => document.querySelector('[data-testid=training-watch] h2')?.textContent !== b
    || document.querySelector('[data-testid=train-error]'), 'the second training to start', 30000, before);
  if (await page.$(q('train-error'))) fail(`training did not start: ${await text(q('train-error'))}`);
  let sawJob = false;
  const trainDeadline = Date.now() + 150000;
  while (!(await page.$(q('training-result')))) {
    if (Date.now() > trainDeadline) fail('training did not finish within 150 s');
    if (await page.$(q('training-job'))) sawJob = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  const jobs = await trainingJobs.stop();
  const final = await page.$eval(q('training-result'), (el) => el.dataset.status);
  if (final !== 'TRAINING_COMPLETED') fail(`training ended ${final}: ${await text(q('training-status-message')).catch(() => '')}`);
  const seen = jobs.filter((j) => j.state === 'running' && j.epochs > 0);
  check(seen.length > 0 || sawJob, 'neither the page nor /console/api/training ever showed the job running');
  check(seen.every((j) => j.epochs === 2), `the job ran ${[...new Set(seen.map((j) => j.epochs))]} epochs, not the 2 asked for in Advanced`);
  check(seen.every((j) => j.valMetric === 'AP50'), `a detector's card names ${[...new Set(seen.map((j) => j.valMetric))]}, not AP50`);
  step(`training completed (${seen.length} fast polls saw it running, last epoch ${seen.at(-1)?.epoch ?? '?'}/${seen.at(-1)?.epochs ?? '?'} step ${seen.at(-1)?.step ?? '?'}/${seen.at(-1)?.steps ?? '?'})`);

  // ---- the model: evaluation, start
  await Promise.all([waitSel(q('model-page')), page.click(q('model-link'))]);
  await waitSel(q('evaluation'), 'the evaluation summary', 30000);
  const curves = await page.$$eval('[data-testid=pr-line]', (els) => els.length);
  check(curves >= 1, 'no PR curve drawn');
  await waitSel(q('model-start'), 'the Start button');
  await page.click(q('model-start'));
  await waitFor(() => document.querySelector('[data-testid=model-status]')?.dataset.status === 'RUNNING', 'the model to run', 90000);
  const versionArn = await page.$eval(q('code-cli'), (el) => /--project-version-arn '([^']+)'/.exec(el.textContent)[1]);
  step(`model running: ${versionArn}`);

  // ---- try it, and the slider against the API
  await waitSel(q('try-drop-input'));
  const testImage = images[1];
  const bytes = readFileSync(testImage).toString('base64');
  await (await page.$(q('try-drop-input'))).uploadFile(testImage);
  await waitFor(() => ['done'].includes(document.querySelector('[data-testid=try-it]')?.dataset.state)
    || document.querySelector('[data-testid=try-error]'), 'the detection', 60000);
  if (await page.$(q('try-error'))) fail(`DetectCustomLabels failed in the page: ${await text(q('try-error'))}`);
  const all = await pageRekognition('DetectCustomLabels', { ProjectVersionArn: versionArn, Image: { Bytes: bytes }, MinConfidence: 0 });
  check(all.status === 200, `DetectCustomLabels answered ${all.status}: ${JSON.stringify(all.body)}`);
  const confidences = (all.body.CustomLabels || []).map((l) => l.Confidence).sort((a, b) => a - b);
  check(confidences.length > 0, 'DetectCustomLabels at MinConfidence 0 found nothing to draw');
  const at = (p) => Math.floor(confidences[Math.min(confidences.length - 1, Math.floor(p * confidences.length))] * 10) / 10;
  const values = [...new Set([50, at(0.25), at(0.75), Math.max(0, at(0.99) - 0.1)])];
  for (const v of values) {
    await page.$eval(q('confidence-slider'), (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, v);
    const shown = Number(await page.$eval(q('confidence-slider'), (el) => el.value));
    await waitFor((s) => (document.querySelector('[data-testid=label-count]')?.textContent || '').includes(`${s.toFixed(1)}%`), `the slider at ${v}`, 5000, shown);
    const drawn = await page.$$eval('[data-testid=try-it] [data-testid=box]', (els) => els.length);
    const api = await pageRekognition('DetectCustomLabels', { ProjectVersionArn: versionArn, Image: { Bytes: bytes }, MinConfidence: shown });
    check(api.status === 200, `DetectCustomLabels at ${shown} answered ${api.status}`);
    const expected = (api.body.CustomLabels || []).filter((l) => l.Geometry?.BoundingBox).length;
    check(drawn === expected, `at ${shown}% the page draws ${drawn} boxes, the API answers ${expected} labels`);
    const countText = await text(q('label-count'));
    check(countText.startsWith(`${expected} label`), `the count says "${countText}", the API ${expected}`);
    step(`slider ${shown}%: ${drawn} boxes = API`);
  }
  // a value with a few boxes for the screenshot
  await page.$eval(q('confidence-slider'), (el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }, at(0.9));
  await shot('model');

  // ---- a pipeline on a bucket/prefix, an upload, its result picture
  await go('#/pipelines', 'pipelines-page');
  await waitFor((arn) => [...document.querySelectorAll('[data-testid=pipeline-model] option')].some((o) => o.value === arn), 'the model in the pipeline form', 15000, versionArn);
  await page.type(q('pipeline-name'), 'e2e-pipe');
  await page.type(q('pipeline-bucket'), 'e2e-in');
  await page.type(q('pipeline-prefix'), 'incoming/');
  await setSelect(q('pipeline-model'), versionArn);
  await page.click(q('pipeline-create'));
  await waitFor(() => document.querySelector('[data-testid=pipeline-card]') || document.querySelector('[data-testid=pipeline-error]'), 'the pipeline');
  if (await page.$(q('pipeline-error'))) fail(`creating the pipeline failed: ${await text(q('pipeline-error'))}`);
  const put = await pagePut('/console/s3/e2e-in/incoming/bees-1.jpg', readFileSync(images[2]).toString('base64'));
  check(put.status === 200, `PUT of the pipeline image answered ${put.status}: ${put.body}`);
  await waitSel(q('pipeline-result'), 'the pipeline result picture', 60000);
  await waitFor(() => [...document.querySelectorAll('[data-testid=pipeline-result] img')].every((i) => i.complete && i.naturalWidth > 0), 'the result image to load', 10000);
  const done = await text(q('pipeline-done'));
  check(Number(done) >= 1, `the pipeline shows ${done} done`);
  step(`pipeline answered the upload (done ${done})`);
  await shot('pipelines');

  // ---- projects page (with the version), then stop the model
  await go('#/projects', 'projects-page');
  await waitSel(q('version-row'), 'the version on the projects page');
  await shot('projects');
  await go(`#/projects/${PROJECT}/models/${versionArn.split('/')[3]}`, 'model-page');
  await waitSel(q('model-stop'), 'the Stop button');
  await page.click(q('model-stop'));
  await waitFor(() => !['RUNNING', 'STOPPING'].includes(document.querySelector('[data-testid=model-status]')?.dataset.status), 'the model to stop', 60000);
  step(`model stopped (${await page.$eval(q('model-status'), (el) => el.dataset.status)})`);

  // ---- sign out: the old cookie is refused
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(q('sign-out'))]);
  await waitSel(q('signin-form'), 'the sign-in form after signing out');
  const old = await rawRequest(`${base}/console/api/session`, { headers: { Cookie: cookie } });
  check(old.status === 401, `GET /console/api/session with the signed-out cookie answered ${old.status}, not 401`);
  if (!args['console-dir']) {
    const oldJs = await rawRequest(`${base}/console/assets/app.js`, { headers: { Cookie: cookie } });
    check(oldJs.status === 401, `GET /console/assets/app.js with the signed-out cookie answered ${oldJs.status}, not 401`);
  }
  step('signed out; the old cookie is refused (401, 401)');

  check(!problems.length, `the page reported:\n${problems.join('\n')}`);
}

/** A project whose label is markup: rendered as text, never run. */
async function securityLabel() {
  const name = 'e2e-xss';
  const p = await pageRekognition('CreateProject', { ProjectName: name });
  check(p.status === 200, `CreateProject ${name}: ${JSON.stringify(p.body)}`);
  const d = await pageRekognition('CreateDataset', { ProjectArn: p.body.ProjectArn, DatasetType: 'TRAIN' });
  check(d.status === 200, `CreateDataset: ${JSON.stringify(d.body)}`);
  const line = JSON.stringify({
    'source-ref': `s3://apiary-console/${PROJECT}/train/images/00001.jpg`,
    bees: { image_size: [{ width: 320, height: 240, depth: 3 }], annotations: [{ class_id: 0, left: 10, top: 10, width: 50, height: 40 }] },
    'bees-metadata': { 'class-map': { 0: XSS }, type: 'groundtruth/object-detection', 'human-annotated': 'yes', 'creation-date': '2024-01-01T00:00:00', 'job-name': 'xss' },
  });
  const u = await pageRekognition('UpdateDatasetEntries', {
    DatasetArn: d.body.DatasetArn, Changes: { GroundTruth: Buffer.from(line + '\n').toString('base64') } });
  check(u.status === 200, `UpdateDatasetEntries with the markup label: ${JSON.stringify(u.body)}`);
  await go(`#/projects/${name}/dataset/train`, 'dataset-page');
  await waitFor(() => document.querySelector('[data-testid=label-name]') && document.querySelector('[data-testid=entry-label]'), 'the markup label in the dataset page');
  const shown = await text(q('label-name'));
  check(shown === XSS, `the label renders as "${shown}", not as the text ${XSS}`);
  const chip = await text(q('entry-label'));
  check(chip === XSS, `the gallery label renders as "${chip}"`);
  await new Promise((r) => setTimeout(r, 500));
  const state = await page.evaluate(() => ({ xss: window.__xss, img: document.querySelectorAll('img[src="x"]').length }));
  check(state.xss === undefined && state.img === 0, `the markup label ran or made an element: ${JSON.stringify(state)}`);
  step('a label named with markup renders as text; window.__xss stays undefined');
}

await runTest('e2e', run, main, () => ({ server, browser, page, problems }));
