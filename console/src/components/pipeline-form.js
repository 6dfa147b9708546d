import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi, ensureBucket } from '../api.js';
import { loadProjectsWithVersions } from '../lib/projects.js';
import { useAction, useLoad } from '../lib/hooks.js';
import { friendlyStatus } from './status-badge.js';
import { ErrorText } from './error-text.js';

const USABLE = new Set(['RUNNING', 'TRAINING_COMPLETED', 'STOPPED', 'STARTING', 'STOPPING']);
const EMPTY = { name: '', bucket: '', prefix: '', model: '', minConfidence: '', reviewMin: '', reviewMax: '' };

export function PipelineForm({ onCreated }) {
  const { data: projects, error: loadError } = useLoad(loadProjectsWithVersions, []);
  const [f, setF] = useState(EMPTY);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });
  const versions = (projects || []).flatMap((p) => p.versions.filter((v) => USABLE.has(v.Status)).map((v) => ({ p, v })));
  const model = f.model || versions[0]?.v.ProjectVersionArn || '';

  const [create, busy, error] = useAction(async () => {
    await ensureBucket(f.bucket.trim());
    const body = { name: f.name.trim(), bucket: f.bucket.trim(), prefix: f.prefix, model };
    if (String(f.minConfidence).trim() !== '') body.minConfidence = Number(f.minConfidence);
    const lo = String(f.reviewMin).trim();
    const hi = String(f.reviewMax).trim();
    if (lo !== '' || hi !== '') {
      // A band needs both ends; one alone means "from 0" or "up to 100".
      body.reviewMin = lo === '' ? 0 : Number(lo);
      body.reviewMax = hi === '' ? 100 : Number(hi);
      if (body.reviewMin > body.reviewMax) throw new Error('The review band runs from the lower confidence to the higher one.');
    }
    await consoleApi('POST', '/console/api/pipelines', body);
    setF(EMPTY);
    onCreated();
  }, [f, model]);

  return html`
    <form class="card" data-testid="pipeline-form" onSubmit=${(e) => { e.preventDefault(); create(); }}>
      <h2>New pipeline</h2>
      <p class="muted">Every image uploaded under the prefix is answered with <code>${'<key>.json'}</code> beside it.</p>
      <div class="options-grid">
        <label>Name <input required value=${f.name} data-testid="pipeline-name" onInput=${set('name')} /></label>
        <label>Bucket <input required value=${f.bucket} data-testid="pipeline-bucket" onInput=${set('bucket')} /></label>
        <label>Prefix <input value=${f.prefix} placeholder="incoming/" data-testid="pipeline-prefix" onInput=${set('prefix')} /></label>
        <label>Model
          <select required value=${model} data-testid="pipeline-model" onChange=${set('model')}>
            ${!versions.length && html`<option value="">No trained model yet</option>`}
            ${versions.map(({ p, v }) => html`<option key=${v.ProjectVersionArn} value=${v.ProjectVersionArn}>${p.name}/${v.name} (${friendlyStatus(v.Status)})</option>`)}
          </select>
        </label>
        <label>Minimum confidence (%)
          <input type="number" min="0" max="100" step="any" placeholder="each label's own"
            value=${f.minConfidence} data-testid="pipeline-threshold" onInput=${set('minConfidence')} /></label>
      </div>
      <fieldset class="review-band">
        <legend>Review (optional)</legend>
        <span>Review results whose best confidence is between</span>
        <input type="number" min="0" max="100" step="any" placeholder="0" aria-label="Review from (%)"
          value=${f.reviewMin} data-testid="pipeline-review-min" onInput=${set('reviewMin')} />
        <span>and</span>
        <input type="number" min="0" max="100" step="any" placeholder="100" aria-label="Review up to (%)"
          value=${f.reviewMax} data-testid="pipeline-review-max" onInput=${set('reviewMax')} />
        <span>%</span>
        <p class="muted small-print">Those images wait on the Reviews page; accepted ones join the model's training set.</p>
      </fieldset>
      <button type="submit" class="primary" disabled=${busy || !model} data-testid="pipeline-create">Create pipeline</button>
      <${ErrorText} error=${loadError} />
      <${ErrorText} error=${error} testid="pipeline-error" />
    </form>`;
}
