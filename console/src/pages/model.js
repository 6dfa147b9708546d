import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi, rekognition } from '../api.js';
import { classificationOf } from '../lib/classification.js';
import { loadProject, loadVersions } from '../lib/projects.js';
import { useLoad, usePoll } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { ErrorText } from '../components/error-text.js';
import { StatusBadge } from '../components/status-badge.js';
import { EvaluationSummary } from '../components/evaluation-summary.js';
import { TryIt } from '../components/try-it.js';
import { CodeSamples } from '../components/code-samples.js';

const TRANSIENT = new Set(['STARTING', 'STOPPING', 'TRAINING_IN_PROGRESS', 'DELETING']);

export function ModelPage({ project, version }) {
  const { data: info, error: loadError } = useLoad(() => loadProject(project), [project]);
  const [v, setV] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  usePoll(async () => {
    const list = await loadVersions(info.arn, [version]);
    if (!list.length) throw new Error(`There is no model version ${version}.`);
    setV(list[0]);
  }, v && !TRANSIENT.has(v.Status) ? 15000 : 2000, [info?.arn, version, tick], !!info);

  const act = async (operation, body) => {
    setBusy(true);
    setError(null);
    try {
      await rekognition(operation, body);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
    setTick((t) => t + 1);
  };
  const status = v?.Status;
  const canStart = status === 'TRAINING_COMPLETED' || status === 'STOPPED';
  const trained = status && !['TRAINING_IN_PROGRESS', 'TRAINING_FAILED'].includes(status);
  const versionArn = v?.ProjectVersionArn;
  // Loaded once for the summary, the explorer and Try it (a classifier lists labels, no boxes).
  const evaluation = useLoad(() => (trained && versionArn
    ? consoleApi('GET', `/console/api/evaluation?${new URLSearchParams({ projectVersionArn: versionArn })}`)
    : Promise.resolve(undefined)), [versionArn, !!trained]);
  const classification = classificationOf(evaluation.data);

  return html`
    <div class="page" data-testid="model-page">
      <div class="page-head">
        <p class="crumbs"><a href="#/projects">Projects</a> / <a href=${href('projects', project)}>${project}</a> /</p>
        <h1>${version}</h1>
        ${v && html`<${StatusBadge} status=${status} testid="model-status" />`}
        <span class="spacer"></span>
        ${canStart && html`<button type="button" class="primary" disabled=${busy} data-testid="model-start"
          onClick=${() => act('StartProjectVersion', { ProjectVersionArn: v.ProjectVersionArn, MinInferenceUnits: 1 })}>Start</button>`}
        ${(status === 'RUNNING' || status === 'STARTING') && html`<button type="button" disabled=${busy} data-testid="model-stop"
          onClick=${() => act('StopProjectVersion', { ProjectVersionArn: v.ProjectVersionArn })}>Stop</button>`}
      </div>
      <${ErrorText} error=${loadError} />
      <${ErrorText} error=${error} testid="model-error" />
      ${v && html`
        <p class="muted" data-testid="model-status-message">${v.StatusMessage}</p>
        ${status === 'RUNNING' ? html`<${TryIt} versionArn=${v.ProjectVersionArn} classification=${classification} />`
          : trained && html`<p class="card muted">Start the model to try it on your own images.</p>`}
        ${trained && html`<${EvaluationSummary} versionArn=${v.ProjectVersionArn} evaluation=${evaluation} />`}
        <${CodeSamples} versionArn=${v.ProjectVersionArn} />`}
    </div>`;
}
