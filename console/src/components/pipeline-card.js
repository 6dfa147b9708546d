import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { useAction } from '../lib/hooks.js';
import { parseArn } from '../lib/arn.js';
import { ConfirmButton } from './confirm-button.js';
import { DeadLetters } from './dead-letters.js';
import { ErrorText } from './error-text.js';
import { PipelineResults } from './pipeline-results.js';
import { href } from '../lib/router.js';

const COUNTS = [
  ['queued', 'queued'], ['inFlight', 'in flight'], ['done', 'done'],
  ['failedAttempts', 'failed attempts'], ['deadLettered', 'dead-lettered'],
];

export function PipelineCard({ pipeline: p, onChanged }) {
  const [showDead, setShowDead] = useState(false);
  const path = `/console/api/pipelines/${encodeURIComponent(p.name)}`;
  const [act, busy, error] = useAction(async (method, sub) => {
    await consoleApi(method, sub ? `${path}/${sub}` : path);
    onChanged();
  }, [path]);
  const s = p.stats || {};
  const model = parseArn(p.model);
  return html`
    <section class="card pipeline-card" data-testid="pipeline-card" data-pipeline=${p.name}>
      <div class="card-head">
        <h2>${p.name}</h2>
        <span class=${`badge ${p.paused ? 'badge-neutral' : 'badge-live'}`} data-testid="pipeline-state">${p.paused ? 'paused' : 'active'}</span>
        <span class="spacer"></span>
        ${p.paused
          ? html`<button type="button" disabled=${busy} data-testid="pipeline-resume" onClick=${() => act('POST', 'resume')}>Resume</button>`
          : html`<button type="button" disabled=${busy} data-testid="pipeline-pause" onClick=${() => act('POST', 'pause')}>Pause</button>`}
        <${ConfirmButton} label="Delete" testid="pipeline-delete" disabled=${busy} onConfirm=${() => act('DELETE')} />
      </div>
      <p class="muted">s3://${p.bucket}/${p.prefix} → ${model.project ? `${model.project}/${model.name}` : p.model}
        ${p.minConfidence !== undefined && p.minConfidence !== null ? ` · at ≥ ${p.minConfidence}%` : ' · assumed thresholds'}</p>
      <div class="stat-row">
        ${COUNTS.map(([k, label]) => html`<div class="stat" key=${k}><strong data-testid=${`pipeline-${k}`}>${s[k] ?? 0}</strong><span>${label}</span></div>`)}
        <div class="stat"><strong data-testid="pipeline-throughput">${Number(s.perSecond || 0).toFixed(2)}</strong><span>images/s</span></div>
      </div>
      ${p.reviewMin !== undefined && p.reviewMin !== null && html`
        <p class="review-summary" data-testid="pipeline-reviews">
          ${`Review band ${p.reviewMin}–${p.reviewMax}% · `}<strong data-testid="pipeline-reviews-pending">${p.reviews?.pending ?? 0}</strong>${' pending, '}<span
            data-testid="pipeline-reviews-accepted">${p.reviews?.accepted ?? 0}</span>${' accepted, '}<span
            data-testid="pipeline-reviews-rejected">${p.reviews?.rejected ?? 0}</span>${' rejected · '}<a
            href=${href('reviews', p.name)} data-testid="pipeline-review-link">Review</a>
        </p>`}
      ${s.lastError && html`<p class="warning" data-testid="pipeline-last-error">Last error: ${s.lastError}</p>`}
      <${ErrorText} error=${error} />
      ${(s.deadLettered > 0 || showDead) && html`
        <button type="button" class="link-button" data-testid="pipeline-show-dead" onClick=${() => setShowDead(!showDead)}>
          ${showDead ? 'Hide dead letters' : `Show ${s.deadLettered} dead letter(s)`}</button>`}
      ${showDead && html`<${DeadLetters} name=${p.name} refresh=${s.deadLettered} onRedriven=${onChanged} />`}
      <h3>Latest results</h3>
      <${PipelineResults} bucket=${p.bucket} prefix=${p.prefix} refresh=${s.done} />
    </section>`;
}
