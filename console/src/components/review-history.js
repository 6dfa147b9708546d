import { html } from 'htm/preact';
import { fileNameOf } from '../lib/manifest.js';
import { dateTime } from '../lib/format.js';
import { parseArn } from '../lib/arn.js';

/** Decided reviews: who accepted or rejected what, and when. */
export function ReviewHistory({ reviews }) {
  if (!reviews.length) return html`<p class="empty" data-testid="no-history">Nothing decided yet.</p>`;
  return html`
    <table class="table" data-testid="review-history">
      <thead><tr><th>Image</th><th>Pipeline</th><th>Model</th><th>Best</th><th>Decision</th><th>Reviewer</th><th>When</th></tr></thead>
      <tbody>
        ${reviews.map((r) => {
          const m = parseArn(r.Model);
          return html`
            <tr key=${r.Id} data-testid="history-row" data-review=${r.Id} data-key=${r.Key} data-state=${r.State}>
              <td class="file-name" title=${`s3://${r.Bucket}/${r.Key}`}>${fileNameOf(r.Key)}</td>
              <td>${r.Pipeline}</td>
              <td>${m.project ? `${m.project}/${m.name}` : r.Model}</td>
              <td>${Number(r.BestConfidence).toFixed(1)}%</td>
              <td><span class=${`chip review-${r.State}`} data-testid="history-state">${r.State}</span></td>
              <td data-testid="history-reviewer">${r.Reviewer || ''}</td>
              <td>${dateTime(r.ReviewTimestamp)}</td>
            </tr>`;
        })}
      </tbody>
    </table>`;
}
