import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { getEntry, pool, saveEntry } from '../lib/entry-api.js';
import { classificationAttrs, withClassLabel, withoutClassLabel } from '../lib/labelling.js';
import { parseLine } from '../lib/manifest.js';
import { ErrorText } from './error-text.js';

/** Image-level labels for the selected images: assign or remove one label on all of them. */
export function BulkLabelBar({ datasetArn, refs, labels, onSaved, onClear, onAddLabel }) {
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const [error, setError] = useState(null);

  const apply = async (assign) => {
    const l = label.trim();
    if (!l) { setError('Choose or type a label.'); return; }
    setBusy(true);
    setError(null);
    setResult('');
    if (assign && !labels.includes(l)) onAddLabel(l);
    const order = labels.includes(l) ? labels : [...labels, l];
    let changed = 0;
    const out = await pool(refs, 3, async (ref) => {
      const e = await getEntry(datasetArn, ref);
      const line = assign ? withClassLabel(e.line, l, order) : withoutClassLabel(e.line, l);
      if (!line) return 'same';
      await saveEntry(datasetArn, line, e.version);
      // What was stored, read back: a server may take the line and keep the image's labels as
      // they were (an image with boxes in a detection project), and its version says only that
      // something about the entry changed.
      const back = await getEntry(datasetArn, ref);
      const has = classificationAttrs(parseLine(back.line) || {}).some((c) => c.label === l);
      if (has !== assign) throw new Error('the server kept the image\'s labels as they were (an image with boxes takes no image-level label here)');
      onSaved(ref, back.line);
      changed++;
      return 'saved';
    });
    const failed = out.filter((r) => r && r.error);
    setResult(`${assign ? 'Assigned' : 'Removed'} ${l}: ${changed} image${changed === 1 ? '' : 's'} changed, ${out.length - changed - failed.length} already ${assign ? 'had it' : 'without it'}.`);
    if (failed.length) setError(`${failed.length} image(s) were not saved: ${[...new Set(failed.map((f) => f.error.message))].join(' · ')}`);
    setBusy(false);
  };

  return html`
    <div class="bulk-bar card" data-testid="bulk-bar">
      <strong data-testid="selection-count">${refs.length} selected</strong>
      <label>Image label
        <input list="bulk-labels" value=${label} placeholder="cat" data-testid="bulk-label"
          onInput=${(e) => setLabel(e.currentTarget.value)} />
        <datalist id="bulk-labels">${labels.map((l) => html`<option key=${l} value=${l} />`)}</datalist>
      </label>
      <button type="button" class="primary" disabled=${busy} data-testid="bulk-assign" onClick=${() => apply(true)}>Assign</button>
      <button type="button" disabled=${busy} data-testid="bulk-remove" onClick=${() => apply(false)}>Remove</button>
      <button type="button" class="link-button" data-testid="selection-clear" onClick=${onClear}>Clear selection</button>
      ${busy && html`<span class="muted">Saving…</span>`}
      ${result && html`<span class="ok" data-testid="bulk-result">${result}</span>`}
      <${ErrorText} error=${error} testid="bulk-error" />
    </div>`;
}
