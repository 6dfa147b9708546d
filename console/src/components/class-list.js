import { html } from 'htm/preact';

/** A classifier's labels (DetectCustomLabels' CustomLabels, already filtered and ranked) with their confidences. */
export function ClassList({ labels, total }) {
  if (!labels.length) return html`<p class="muted" data-testid="try-classes-none">No label at this confidence (of ${total}).</p>`;
  return html`
    <ol class="class-list" data-testid="try-classes">
      ${labels.map((l, i) => html`
        <li key=${i} data-testid="try-class" data-label=${l.Name} data-confidence=${l.Confidence}>
          <span class="file-name">${l.Name}</span>
          <strong>${Number(l.Confidence).toFixed(1)}%</strong>
          <meter min="0" max="100" value=${Number(l.Confidence)}></meter>
        </li>`)}
    </ol>`;
}
