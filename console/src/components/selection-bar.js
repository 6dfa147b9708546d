import { html } from 'htm/preact';

/** Above the gallery: select the page, clear, or label the page's images one by one. */
export function SelectionBar({ count, total, onAll, onNone, onLabel }) {
  return html`
    <div class="selection-bar" data-testid="selection-bar">
      <button type="button" disabled=${!onLabel} class="primary" data-testid="label-images" onClick=${onLabel}>Label images</button>
      <button type="button" disabled=${!total} data-testid="select-page" onClick=${onAll}>Select page (${total})</button>
      ${count > 0 && html`<button type="button" data-testid="select-none" onClick=${onNone}>Select none</button>`}
      <span class="muted">Click a picture to draw its boxes; tick pictures (Shift for a range) to give them an image label.</span>
    </div>`;
}
