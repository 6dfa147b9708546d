import { html } from 'htm/preact';
import { rekognition } from '../api.js';
import { useLoad } from '../lib/hooks.js';
import { href } from '../lib/router.js';

/** One dataset's counts on the project page, with a link to it. */
export function DatasetSummary({ project, type, arn }) {
  const { data, error } = useLoad(async () => (arn ? (await rekognition('DescribeDataset', { DatasetArn: arn })).DatasetDescription : null), [arn]);
  const stats = data?.DatasetStats;
  return html`
    <a class="card dataset-summary" href=${href('projects', project, 'dataset', type)} data-testid=${`dataset-summary-${type}`}>
      <h3>${type === 'train' ? 'Training images' : 'Test images'}</h3>
      ${!arn ? html`<p class="muted">None yet: add images.</p>`
        : error ? html`<p class="error">${error.message}</p>`
        : stats ? html`<p><strong>${stats.TotalEntries}</strong> images, <strong>${stats.LabeledEntries}</strong> labelled, <strong>${stats.TotalLabels}</strong> labels</p>`
        : html`<p class="muted">Loading…</p>`}
    </a>`;
}
