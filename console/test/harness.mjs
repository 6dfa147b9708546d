// Shared by the console's browser tests: arguments, the run's folders and log, the apiary server,
// raw HTTP, the browser.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
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
