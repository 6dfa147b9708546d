import { html } from 'htm/preact';

/** A single-label classifier's confusion matrix (from lib/classification.js): truth rows, predicted columns, counts. */
export function ConfusionMatrix({ matrix }) {
  if (!matrix) return null;
  return html`
    <div class="confusion">
      <h3>Confusion matrix</h3>
      <p class="muted">Test images by true label (rows) and the model's best label (columns); the diagonal is right.</p>
      <div class="table-scroll">
        <table class="table compact confusion-matrix" data-testid="confusion-matrix">
          <thead><tr><th scope="col">True ↓ · predicted →</th>${matrix.labels.map((l, i) => html`<th key=${i} scope="col">${l}</th>`)}<th scope="col">Total</th></tr></thead>
          <tbody>${matrix.rows.map((r, t) => html`
            <tr key=${t}>
              <th scope="row">${r.truth}</th>
              ${r.cells.map((c, p) => html`<td key=${p} data-testid="confusion-cell" data-true=${c.truth} data-predicted=${c.predicted}
                data-count=${c.count} class=${c.diagonal ? 'diagonal' : c.count > 0 ? 'off-diagonal' : ''}
                title=${`${c.truth} → ${c.predicted}: ${c.count}`}>${c.count}</td>`)}
              <td class="muted">${r.total}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
    </div>`;
}
