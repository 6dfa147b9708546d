import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { CONSOLE_BUCKET, ensureBucket, updateEntries } from '../lib/entries.js';
import { uploadAll } from '../lib/uploads.js';
import { unlabelledLine } from '../lib/labelling.js';
import { DropZone } from './drop-zone.js';
import { ErrorText } from './error-text.js';
import { UploadList } from './upload-list.js';

/** Images from the computer → apiary-console/<project>/<type>/<name> → one entry each. */
export function AddImages({ project, type, ensureDataset, onAdded }) {
  const [items, setItems] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState('');

  const add = async (files) => {
    setBusy(true);
    setError(null);
    setResult('');
    try {
      const datasetArn = await ensureDataset();
      await ensureBucket(CONSOLE_BUCKET);
      const jobs = files.map((file) => ({ file, bucket: CONSOLE_BUCKET, key: `${project}/${type}/${file.name}` }));
      const ok = await uploadAll(jobs, setItems);
      if (ok.length) {
        await updateEntries(datasetArn, ok.map((j) => unlabelledLine(`s3://${j.bucket}/${j.key}`)));
        setResult(`Added ${ok.length} image${ok.length === 1 ? '' : 's'}.`);
      }
      if (ok.length < jobs.length) setError(`${jobs.length - ok.length} upload(s) failed; see the list.`);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
    onAdded();
  };

  return html`
    <section class="card" data-testid="add-images">
      <h3>Add images</h3>
      <p class="muted">Unlabelled images from your computer, many at once.</p>
      <${DropZone} onFiles=${add} disabled=${busy} testid="add-images-drop" />
      <${UploadList} items=${items} />
      ${result && html`<p class="ok" data-testid="add-images-result">${result}</p>`}
      <${ErrorText} error=${error} testid="add-images-error" />
    </section>`;
}
