import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { duration, fixed } from '../lib/format.js';

/** One job of GET /console/api/training with its progress and a Cancel button. */
export function TrainingJob({ job }) {
  const [error, setError] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const epochs = Number(job.epochs) || 0;
  const steps = Number(job.steps) || 0;
  const epoch = Number(job.epoch) || 0;
  const step = Number(job.step) || 0;
  const stepFrac = steps ? Math.min(1, step / steps) : 0;
  const overall = epochs ? Math.min(1, (Math.max(0, epoch - 1) + stepFrac) / epochs) : 0;
  const cancel = async () => {
    setCancelling(true);
    setError('');
    try {
      await consoleApi('POST', '/console/api/training/cancel', { projectVersionArn: job.projectVersionArn });
    } catch (e) {
      setError(e.message);
      setCancelling(false);
    }
  };
  return html`
    <div class="training-job" data-testid="training-job" data-state=${job.state} data-version=${job.version}>
      <div class="card-head">
        <strong>${job.project}/${job.version}</strong>
        <span class=${`badge ${job.state === 'running' ? 'badge-busy' : 'badge-neutral'}`} data-testid="job-state">${job.state}</span>
        <span class="spacer"></span>
        <button type="button" class="danger" disabled=${cancelling} data-testid="training-cancel" onClick=${cancel}>${cancelling ? 'Cancelling…' : 'Cancel'}</button>
      </div>
      ${job.state === 'queued' && html`<p class="muted">Waiting for the job before it to finish.</p>`}
      ${job.state === 'running' && !epochs && html`<p class="muted" data-testid="training-preparing">Preparing the images…</p>`}
      ${job.state === 'running' && epochs > 0 && html`
        <p data-testid="training-epoch">Epoch ${epoch} of ${epochs || '?'} · step ${step} of ${steps || '?'}</p>
        <div class="bar-label"><span>This epoch</span><span>${Math.round(stepFrac * 100)}%</span></div>
        <progress class="wide" max="1" value=${stepFrac} data-testid="training-step-bar"></progress>
        <div class="bar-label"><span>All epochs</span><span>${Math.round(overall * 100)}%</span></div>
        <progress class="wide overall" max="1" value=${overall} data-testid="training-overall-bar"></progress>
        <dl class="metrics">
          <div><dt>Loss</dt><dd data-testid="training-loss">${fixed(job.loss, 4)}</dd></div>
          <div><dt>Validation ${job.valMetric || 'AP50'}</dt><dd data-testid="training-ap50">${job.valAp50 === null || job.valAp50 === undefined || job.valAp50 < 0 ? 'not yet' : fixed(job.valAp50, 3)}</dd></div>
          <div><dt>Elapsed</dt><dd>${duration(job.elapsedS)}</dd></div>
          <div><dt>Time left</dt><dd data-testid="training-eta">${duration(job.etaS)}</dd></div>
        </dl>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </div>`;
}
