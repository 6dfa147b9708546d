import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { detectEntry, getEntry, pool } from '../lib/entry-api.js';
import { loadVersions } from '../lib/projects.js';
import { usePoll } from '../lib/hooks.js';
import { annotationsOf, parseLine } from '../lib/manifest.js';
import { detectionLine, storedBoxesOf } from '../lib/labelling.js';
import { saveEntry } from '../lib/entry-api.js';
import { roundBox, uprightRatioToStored } from '../lib/orientation.js';
import { ErrorText } from './error-text.js';
import { StatusBadge } from './status-badge.js';

const USABLE = new Set(['RUNNING', 'STARTING', 'STOPPED', 'TRAINING_COMPLETED', 'STOPPING']);

/** DetectCustomLabels' boxes (ratios of the upright picture) as suggestions in stored-grid pixels. */
export function suggestionsOf(answer, info) {
  return (answer.CustomLabels || []).filter((l) => l.Geometry?.BoundingBox).map((l) => {
    const g = l.Geometry.BoundingBox;
    const box = uprightRatioToStored(info.orientation, info.width, info.height,
      { left: g.Left, top: g.Top, width: g.Width, height: g.Height });
    return { ...roundBox(box, info.width, info.height), label: l.Name, confidence: l.Confidence };
  });
}

/** Runs a trained model over the gallery's page; its boxes become suggestions in the editor. */
export function PrelabelPanel({ project, datasetArn, entries, onSuggestions, onInfo, count, onClear, suggestions = {}, labels = [], onSaved }) {
  const [versions, setVersions] = useState(null);
  const [chosen, setChosen] = useState('');
  const [scope, setScope] = useState('unlabelled');
  const [floor, setFloor] = useState(5);
  const [progress, setProgress] = useState(null); // {done, total, failed}
  const [error, setError] = useState(null);
  const [starting, setStarting] = useState(false);
  const [acceptMin, setAcceptMin] = useState(50);
  const [acceptResult, setAcceptResult] = useState('');
  const [accepting, setAccepting] = useState(false);

  usePoll(async () => {
    try {
      const list = (await loadVersions(project.arn)).filter((v) => USABLE.has(v.Status));
      setVersions(list);
      if (!chosen && list.length) setChosen((list.find((v) => v.Status === 'RUNNING') || list[0]).ProjectVersionArn);
    } catch (e) {
      setError(e);
    }
  }, starting ? 2000 : 20000, [project.arn, starting]);

  const version = versions?.find((v) => v.ProjectVersionArn === chosen);
  if (starting && version?.Status === 'RUNNING') setStarting(false);

  const start = async () => {
    setError(null);
    try {
      await rekognition('StartProjectVersion', { ProjectVersionArn: chosen, MinInferenceUnits: 1 });
      setStarting(true);
    } catch (e) {
      setError(e);
    }
  };

  const run = async () => {
    setError(null);
    const todo = entries.filter((e) => scope === 'all' || !annotationsOf(e).labels.length).map((e) => e['source-ref']);
    if (!todo.length) {
      setError('No images on this page to pre-label (they are all labelled; choose "All images").');
      return;
    }
    const state = { done: 0, total: todo.length, failed: 0 };
    setProgress({ ...state });
    const found = {};
    const results = await pool(todo, 3, async (ref) => {
      const info = await getEntry(datasetArn, ref);
      onInfo(ref, { width: info.width, height: info.height, orientation: info.orientation });
      const answer = await detectEntry(datasetArn, ref, chosen);
      found[ref] = suggestionsOf(answer, info).filter((b) => b.confidence >= floor);
      state.done++;
      setProgress({ ...state });
      return true;
    });
    const failures = results.filter((r) => r && r.error);
    state.failed = failures.length;
    setProgress({ ...state });
    if (failures.length) setError(`${failures.length} image(s) failed: ${failures[0].error.message}`);
    onSuggestions(found);
  };

  // Every image's suggestions at or above acceptMin become boxes (added to its own) and are saved.
  const acceptAll = async () => {
    setAccepting(true);
    setError(null);
    setAcceptResult('');
    const todo = Object.entries(suggestions).filter(([, list]) => list.some((b) => b.confidence >= acceptMin));
    let boxes = 0;
    const out = await pool(todo, 3, async ([ref, list]) => {
      const take = list.filter((b) => b.confidence >= acceptMin);
      const e = await getEntry(datasetArn, ref);
      const all = [...storedBoxesOf(parseLine(e.line)), ...take.map(({ confidence, ...b }) => b)];
      const line = detectionLine(e.line, all, labels, e.width, e.height);
      await saveEntry(datasetArn, line, e.version);
      onSaved(ref, line);
      onSuggestions({ [ref]: list.filter((b) => b.confidence < acceptMin) });
      boxes += take.length;
      return true;
    });
    const failed = out.filter((r) => r && r.error);
    setAcceptResult(`Accepted ${boxes} box${boxes === 1 ? '' : 'es'} on ${todo.length - failed.length} image${todo.length - failed.length === 1 ? '' : 's'}.`);
    if (failed.length) setError(`${failed.length} image(s) were not saved: ${[...new Set(failed.map((f) => f.error.message))].join(' · ')}`);
    setAccepting(false);
  };

  return html`
    <section class="card" data-testid="prelabel">
      <h3>Pre-label with a model</h3>
      ${versions && !versions.length && html`<p class="muted">Train a model first; its boxes become suggestions here.</p>`}
      ${versions && versions.length > 0 && html`
        <label>Model version
          <select value=${chosen} data-testid="prelabel-version" onChange=${(e) => setChosen(e.currentTarget.value)}>
            ${versions.map((v) => html`<option key=${v.ProjectVersionArn} value=${v.ProjectVersionArn}>${v.name} (${v.Status.toLowerCase()})</option>`)}
          </select>
        </label>
        ${version && html`<p><${StatusBadge} status=${version.Status} testid="prelabel-status" />
          ${version.Status !== 'RUNNING' && version.Status !== 'STARTING' && html` <button type="button" data-testid="prelabel-start" onClick=${start}>Start</button>`}
          ${version.Status === 'STARTING' && html` <span class="muted">starting…</span>`}</p>`}
        <div class="segmented">
          <label><input type="radio" name="prelabel-scope" checked=${scope === 'unlabelled'} data-testid="prelabel-scope-unlabelled"
            onChange=${() => setScope('unlabelled')} /> Unlabelled images</label>
          <label><input type="radio" name="prelabel-scope" checked=${scope === 'all'} data-testid="prelabel-scope-all"
            onChange=${() => setScope('all')} /> All images</label>
        </div>
        <label class="prelabel-floor">Suggest boxes from (% confidence)
          <input type="number" min="0" max="100" step="0.1" value=${floor} data-testid="prelabel-min"
            onInput=${(e) => setFloor(Number(e.currentTarget.value) || 0)} /></label>
        <p class="muted">Runs on the page shown (${entries.length} images).</p>
        <div class="row">
          <button type="button" class="primary" disabled=${version?.Status !== 'RUNNING' || (progress && progress.done + progress.failed < progress.total)}
            data-testid="prelabel-run" onClick=${run}>Suggest boxes</button>
          ${count > 0 && html`<button type="button" data-testid="prelabel-clear" onClick=${onClear}>Clear suggestions</button>`}
        </div>
        ${progress && html`<p class="muted" data-testid="prelabel-progress" data-done=${progress.done + progress.failed === progress.total ? 'yes' : 'no'}>
          ${progress.done} of ${progress.total} images${progress.failed ? `, ${progress.failed} failed` : ''}; ${count} suggestion${count === 1 ? '' : 's'} waiting.</p>`}
        ${count > 0 && html`
          <form class="accept-above" onSubmit=${(e) => { e.preventDefault(); acceptAll(); }}>
            <label>Accept all ≥
              <input type="number" min="0" max="100" step="any" value=${acceptMin} data-testid="page-accept-value"
                onInput=${(e) => setAcceptMin(Number(e.currentTarget.value))} /></label>
            <span>%</span>
            <button type="submit" disabled=${accepting} data-testid="page-accept">on this page and save</button>
          </form>`}
        ${acceptResult && html`<p class="ok" data-testid="page-accept-result">${acceptResult}</p>`}`}
      <${ErrorText} error=${error} testid="prelabel-error" />
    </section>`;
}
