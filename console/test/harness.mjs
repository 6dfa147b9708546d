// Shared by the console's browser tests: arguments, the run's folders and log, the apiary server,
// raw HTTP, the browser, signing in, requests with the page's session, and the end of a run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';
import puppeteer from 'puppeteer-core';

export function parseArgs(argv, usage) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) fail(`unexpected argument ${a}\n${usage}`);
    const k = a.slice(2);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${a} needs a value\n${usage}`);
    args[k] = v;
    i++;
  }
  if (!args.apiary) fail(usage);
  return args;
}

/**
 * A test run's start: its arguments (exit 2 with `usage` when they are wrong), the apiary binary,
 * the screenshot folder (made), a fresh temporary folder with a data directory in it, and a
 * log line prefixed with the seconds since the start.
 */
export function setupRun(usage, name) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), usage);
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const shots = args.screenshots ? resolve(args.screenshots) : null;
  if (shots) mkdirSync(shots, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), `apiary-console-${name}-`));
  const started = Date.now();
  const step = (s) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${s}`);
  return { args, apiary: resolve(args.apiary), shots, tmp, dataDir: join(tmp, 'data'), started, step };
}

export function fail(message) {
  const e = new Error(message);
  e.isFailure = true;
  throw e;
}

export function check(cond, message) {
  if (!cond) fail(message);
}

/** Starts `apiary --data-dir DIR serve --port 0 ...`; answers {url, keyId, secret, proc, stop, log}. */
export function startServer(apiary, dataDir, extra = [], timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(apiary, ['--data-dir', dataDir, 'serve', '--port', '0', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = { proc, log: '', url: '', keyId: '', secret: '' };
    let done = false;
    const timer = setTimeout(() => finish(new Error(`the server did not say where it listens within ${timeoutMs / 1000} s:\n${server.log.slice(-2000)}`)), timeoutMs);
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      err ? reject(err) : resolve(server);
    };
    const onData = (chunk) => {
      server.log += chunk.toString();
      if (server.log.length > 200000) server.log = server.log.slice(-100000);
      const url = /listening on (https?:\/\/[\d.]+:\d+)/.exec(server.log);
      const id = /aws_access_key_id\s*=\s*(\S+)/.exec(server.log);
      const secret = /aws_secret_access_key\s*=\s*(\S+)/.exec(server.log);
      if (url) server.url = url[1];
      if (id) server.keyId = id[1];
      if (secret) server.secret = secret[1];
      if (server.url && server.keyId && server.secret) finish();
      else if (server.url && !server.keyTimer) {
        // the keys may come just after the address
        server.keyTimer = setTimeout(() => finish(new Error(`the server printed no aws_access_key_id / aws_secret_access_key lines:\n${server.log.slice(-2000)}`)), 3000);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code, sig) => finish(new Error(`the server exited (${code ?? sig}) before it was ready:\n${server.log.slice(-2000)}`)));
    proc.on('error', (e) => finish(new Error(`could not start ${apiary}: ${e.message}`)));
    server.stop = () => new Promise((res) => {
      if (server.keyTimer) clearTimeout(server.keyTimer);
      if (proc.exitCode !== null || proc.signalCode !== null) return res();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 8000);
      proc.once('exit', () => { clearTimeout(kill); res(); });
      proc.kill('SIGTERM');
    });
  });
}

/** A raw HTTP request (any headers, Origin included): answers {status, headers, body (Buffer)}. */
export function rawRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    defaultViewport: { width: 1280, height: 800 },
  });
}

/** Collects page errors and CSP violations so a test can fail on them. */
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/i.test(t)) problems.push(`CSP: ${t}`);
  });
  return problems;
}

/** Signs `page` in through the sign-in form with the server's key; waits for the projects page. */
export async function signIn(page, server, timeout = 30000) {
  const sel = (id) => `[data-testid="${id}"]`;
  const wait = (id, what) => page.waitForSelector(sel(id), { timeout })
    .catch(() => fail(`timed out after ${timeout / 1000} s waiting for ${what}`));
  await page.goto(`${server.url}/console/`, { waitUntil: 'load' });
  await wait('signin-form', 'the sign-in form');
  await page.type(sel('signin-key-id'), server.keyId);
  await page.type(sel('signin-secret'), server.secret);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(sel('signin-submit'))]);
  await wait('projects-page', 'the projects page after signing in');
}

/**
 * fetch from the page with its session (and the CSRF token on writes): {status, body}, the body
 * parsed when it is JSON, else its text. `json`: an object (or a string) sent as JSON;
 * `base64`: raw bytes.
 */
export function pageFetch(page, method, path, { json, base64, headers = {} } = {}) {
  return page.evaluate(async (method, path, json, base64, headers) => {
    const s = await (await fetch('/console/api/session', { credentials: 'same-origin' })).json();
    const h = { ...headers };
    if (method !== 'GET') h['X-CSRF-Token'] = s.csrfToken;
    let body;
    if (base64 !== null) body = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    else if (json !== null) {
      body = typeof json === 'string' ? json : JSON.stringify(json);
      if (!h['Content-Type']) h['Content-Type'] = 'application/json';
    }
    const r = await fetch(path, { method, credentials: 'same-origin', headers: h, body });
    const t = await r.text();
    let parsed = t;
    try { parsed = t ? JSON.parse(t) : {}; } catch (_) { /* not JSON */ }
    return { status: r.status, body: parsed };
  }, method, path, json ?? null, base64 ?? null, headers);
}

/** A Rekognition operation through the console's endpoint, as the console calls it: {status, body}. */
export function pageRekognition(page, operation, body) {
  return pageFetch(page, 'POST', '/console/api/rekognition', {
    json: body, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `RekognitionService.${operation}` },
  });
}

/** PUT bytes (base64) to a console path, e.g. /console/s3/bucket/key: {status, body}. */
export function pagePut(page, path, base64, contentType = 'image/jpeg') {
  return pageFetch(page, 'PUT', path, { base64, headers: { 'Content-Type': contentType } });
}

/**
 * Polls GET /console/api/training from the page every 100 ms, as the Training page does (a short
 * job may be over between two of its polls); `stop()` ends the polling and answers every job seen.
 */
export async function watchTrainingJobs(page) {
  await page.evaluate(() => {
    window.__jobs = [];
    window.__jobPoll = setInterval(async () => {
      const r = await fetch('/console/api/training', { credentials: 'same-origin' });
      if (r.ok) window.__jobs.push(...(await r.json()).jobs);
    }, 100);
  });
  return { stop: () => page.evaluate(() => { clearInterval(window.__jobPoll); return window.__jobs; }) };
}

/**
 * Runs a browser test's `main`, then its end whatever happened: PASS, or FAIL with the page's
 * problems, a screenshot of the failure and the server's log; the browser closed, the server
 * stopped, the run's folder removed; the process exits 0 or 1. `state()` answers the test's
 * {server, browser, page, problems} as they are when it ends.
 */
export async function runTest(name, run, main, state) {
  let code = 0;
  try {
    await main();
    console.log(`PASS: console ${name} (${((Date.now() - run.started) / 1000).toFixed(0)} s)`);
  } catch (e) {
    code = 1;
    const { server, page, problems } = state();
    console.error(`FAIL: console ${name}: ${e.isFailure ? e.message : e.stack || e}`);
    if (problems && problems.length) console.error(`page problems:\n${problems.join('\n')}`);
    try {
      if (run.shots && page) await page.screenshot({ path: join(run.shots, 'failure.png'), fullPage: true });
    } catch (_) { /* no page to show */ }
    if (server) console.error(`server log (tail):\n${server.log.slice(-3000)}`);
  } finally {
    const { server, browser } = state();
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
    rmSync(run.tmp, { recursive: true, force: true });
  }
  process.exit(code);
}
