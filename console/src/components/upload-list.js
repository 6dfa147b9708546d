import { html } from 'htm/preact';

/** Per-file progress: items = [{name, progress 0..1, error?, done?}]. */
export function UploadList({ items }) {
  if (!items.length) return null;
  const done = items.filter((i) => i.done).length;
  const failed = items.filter((i) => i.error).length;
  return html`
    <div class="upload-list" data-testid="upload-list">
      <p class="muted" data-testid="upload-summary">${done} of ${items.length} uploaded${failed ? `, ${failed} failed` : ''}</p>
      <ul>
        ${items.map((i) => html`
          <li key=${i.name} data-testid="upload-item" data-done=${i.done ? 'yes' : 'no'}>
            <span class="upload-name">${i.name}</span>
            <progress max="1" value=${i.progress}></progress>
            ${i.error ? html`<span class="error-inline">${i.error}</span>` : i.done ? html`<span class="ok-inline">done</span>` : null}
          </li>`)}
      </ul>
    </div>`;
}
