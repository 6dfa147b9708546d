import { html } from 'htm/preact';
import { rekognition, rekognitionAll } from '../api.js';
import { useLoad } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';

/** DescribeDataset's DatasetStats and ListDatasetLabels' counts per label. */
export function DatasetStats({ datasetArn, refresh, onLabels }) {
  const { data, error } = useLoad(async () => {
    const [d, labels] = await Promise.all([
      rekognition('DescribeDataset', { DatasetArn: datasetArn }),
      rekognitionAll('ListDatasetLabels', { DatasetArn: datasetArn }, 'DatasetLabelDescriptions'),
    ]);
    if (onLabels) onLabels(labels.map((l) => l.LabelName));
    return { d: d.DatasetDescription || {}, labels };
  }, [datasetArn, refresh]);
  if (error) return html`<${ErrorText} error=${error} />`;
  if (!data) return html`<p class="muted">Loading…</p>`;
  const s = data.d.DatasetStats || {};
  return html`
    <section class="card stats" data-testid="dataset-stats">
      <div class="stat-row">
        <div class="stat"><strong data-testid="stat-total">${s.TotalEntries ?? 0}</strong><span>images</span></div>
        <div class="stat"><strong data-testid="stat-labeled">${s.LabeledEntries ?? 0}</strong><span>labelled</span></div>
        <div class="stat"><strong data-testid="stat-labels">${s.TotalLabels ?? 0}</strong><span>labels</span></div>
        <div class="stat"><strong data-testid="stat-errors">${s.ErrorEntries ?? 0}</strong><span>rejected at last import</span></div>
      </div>
      ${data.d.StatusMessageCode === 'CLIENT_ERROR' && html`<p class="warning" data-testid="dataset-status-message">${data.d.StatusMessage}</p>`}
      ${data.labels.length > 0 && html`
        <table class="table compact" data-testid="label-counts">
          <thead><tr><th>Label</th><th>Images</th><th>Boxes</th></tr></thead>
          <tbody>${data.labels.map((l) => html`
            <tr key=${l.LabelName} data-testid="label-count-row">
              <td data-testid="label-name">${l.LabelName}</td>
              <td>${l.LabelStats?.EntryCount ?? '—'}</td>
              <td>${l.LabelStats?.BoundingBoxCount ?? '—'}</td>
            </tr>`)}</tbody>
        </table>`}
    </section>`;
}
