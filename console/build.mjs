// node console/build.mjs OUT_DIR — bundles and minifies the console (works from any cwd).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node console/build.mjs OUT_DIR');
  process.exit(2);
}
const outdir = resolve(process.cwd(), out);

try {
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: here,
    entryPoints: { signin: 'src/signin.js', app: 'src/app.js' },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    nodePaths: [resolve(here, 'node_modules')],
  });
  await build({
    absWorkingDir: here,
    entryPoints: { app: 'src/app.css' },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: false,
    target: 'es2020',
    logLevel: 'warning',
    // No url(): nothing is fetched from anywhere.
    external: [],
  });
} catch (e) {
  console.error(`console build failed: ${e.message}`);
  if (/Could not resolve/.test(e.message)) console.error(`(run: npm ci --prefix ${here})`);
  process.exit(1);
}
console.log(`console: wrote signin.js, app.js, app.css to ${outdir}`);
