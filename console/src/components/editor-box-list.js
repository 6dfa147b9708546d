import { html } from 'htm/preact';
import { colorOf } from './box-overlay.js';

/** The boxes being edited (stored-grid pixels); a click selects one. */
export function EditorBoxList({ ed, labels }) {
  return html`
    <section>
      <h3>Boxes (${ed.boxes.length})</h3>
      <ol class="box-list" data-testid="editor-box-list">
        ${ed.boxes.map((b, i) => html`
          <li key=${i} class=${i === ed.selected ? 'selected' : ''} data-testid="editor-box-row">
            <button type="button" class="link-button" onClick=${() => ed.setSelected(i)}>
              <i class="swatch" style=${{ backgroundColor: colorOf(b.label, labels) }}></i> ${b.label}
            </button>
            <span class="muted">${b.left},${b.top} ${b.width}×${b.height}</span>
          </li>`)}
      </ol>
    </section>`;
}
