import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { s3get } from '../api.js';
import { CONSOLE_BUCKET, ensureBucket, updateEntries } from '../lib/entries.js';
import { fileNameOf, linesOf, parseLine } from '../lib/manifest.js';
import { uploadAll } from '../lib/uploads.js';
import { ErrorText } from './error-text.js';
import { UploadList } from './upload-list.js';

/** Rewrites each line's source-ref to the uploaded copy of the image of the same file name. */
function rewrite(lines, byName, prefix) {
  const used = new Map();
  let missing = 0;
  const out = lines.map((line) => {
    const o = parseLine(line);
    if (!o || typeof o['source-ref'] !== 'string') return line; // the server reports it
    const name = fileNameOf(o['source-ref']);
    const file = byName.get(name);
    if (!file) {
      missing++;
      return line;
    }
    const key = `${prefix}${name}`;
    used.set(name, { file, bucket: CONSOLE_BUCKET, key });
    o['source-ref'] = `s3://${CONSOLE_BUCKET}/${key}`;
    return JSON.stringify(o);
  });
  return { lines: out, jobs: [...used.values()], missing };
}

/** A Ground Truth manifest, from a bucket or from the computer with the images it names. */
export function ImportManifest({ project, type, ensureDataset, onImported }) {
  const [mode, setMode] = useState('upload');
  const [bucket, setBucket] = useState('');
  const [key, setKey] = useState('');
  const [manifest, setManifest] = useState(null);
  const [images, setImages] = useState([]);
  const [items, setItems] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState('');

  const run = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    setResult('');
    setItems([]);
    try {
      const datasetArn = await ensureDataset();
      let lines;
      let note = '';
      if (mode === 'bucket') {
        lines = linesOf(await (await s3get(bucket.trim(), key.trim().replace(/^\//, ''))).text());
      } else {
        if (!manifest) throw new Error('Choose a manifest file.');
        const byName = new Map(images.map((f) => [f.name, f]));
        const r = rewrite(linesOf(await manifest.text()), byName, `${project}/${type}/images/`);
        if (r.jobs.length) {
          await ensureBucket(CONSOLE_BUCKET);
          const ok = await uploadAll(r.jobs, setItems);
          if (ok.length < r.jobs.length) throw new Error(`${r.jobs.length - ok.length} image upload(s) failed; nothing was imported.`);
        }
        lines = r.lines;
        if (r.missing) note = ` ${r.missing} line(s) name images you did not choose; they keep their original location.`;
      }
      if (!lines.length) throw new Error('The manifest has no lines.');
      await updateEntries(datasetArn, lines);
      setResult(`Sent ${lines.length} manifest line${lines.length === 1 ? '' : 's'}.${note}`);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
    onImported();
  };

  return html`
    <section class="card" data-testid="import-manifest">
      <h3>Import a Ground Truth manifest</h3>
      <div class="segmented">
        <label><input type="radio" name="import-mode" checked=${mode === 'upload'} data-testid="import-mode-upload"
          onChange=${() => setMode('upload')} /> From my computer</label>
        <label><input type="radio" name="import-mode" checked=${mode === 'bucket'} data-testid="import-mode-bucket"
          onChange=${() => setMode('bucket')} /> From a bucket</label>
      </div>
      <form onSubmit=${run} data-testid="import-form">
        ${mode === 'bucket' ? html`
          <div class="row">
            <label>Bucket <input required value=${bucket} data-testid="import-bucket" onInput=${(e) => setBucket(e.currentTarget.value)} /></label>
            <label class="grow">Key <input required value=${key} placeholder="path/output.manifest" data-testid="import-key"
              onInput=${(e) => setKey(e.currentTarget.value)} /></label>
          </div>` : html`
          <div class="row">
            <label>Manifest file
              <input type="file" accept=".manifest,.jsonl,.json,.txt" data-testid="import-manifest-file"
                onChange=${(e) => setManifest(e.currentTarget.files[0] || null)} /></label>
            <label>Its images
              <input type="file" accept="image/*" multiple data-testid="import-images"
                onChange=${(e) => setImages([...e.currentTarget.files])} /></label>
          </div>
          <p class="muted">${images.length} image${images.length === 1 ? '' : 's'} chosen; each line's image is matched by file name.</p>`}
        <button type="submit" class="primary" disabled=${busy} data-testid="import-submit">${busy ? 'Importing…' : 'Import'}</button>
      </form>
      <${UploadList} items=${items} />
      ${result && html`<p class="ok" data-testid="import-result">${result}</p>`}
      <${ErrorText} error=${error} testid="import-error" />
    </section>`;
}
