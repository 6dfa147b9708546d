import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { colorOf } from './box-overlay.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorText } from './error-text.js';

/**
 * The project's labels: pick (1..9), add, rename and delete (the last two rewrite every entry;
 * without onRename / onDelete they are not offered).
 */
export function LabelList({ labels, current, onPick, onAdd, onRename, onDelete }) {
  const [name, setName] = useState('');
  const [editing, setEditing] = useState(null); // label being renamed
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const act = async (fn) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  const add = (ev) => {
    ev.preventDefault();
    const l = name.trim();
    if (!l) return;
    onAdd(l);
    onPick(l);
    setName('');
  };
  const rename = (ev) => {
    ev.preventDefault();
    const from = editing;
    const target = to.trim();
    if (!target || target === from) { setEditing(null); return; }
    act(async () => {
      await onRename(from, target);
      setEditing(null);
    });
  };

  return html`
    <section class="label-list" data-testid="label-list">
      <h3>Labels</h3>
      <ul class="plain">
        ${labels.map((l, i) => html`
          <li key=${l} class=${l === current ? 'label-row current' : 'label-row'} data-testid="label-row" data-label=${l}>
            ${editing === l ? html`
              <form class="rename-form" onSubmit=${rename}>
                <input value=${to} data-testid="label-rename-input" aria-label=${`New name for ${l}`}
                  onInput=${(e) => setTo(e.currentTarget.value)} />
                <button type="submit" disabled=${busy} data-testid="label-rename-save">Rename</button>
                <button type="button" onClick=${() => setEditing(null)}>Cancel</button>
              </form>` : html`
              <button type="button" class="label-pick" data-testid="label-pick" onClick=${() => onPick(l)}
                title=${i < 9 ? `Key ${i + 1}` : ''}>
                <span class="key-hint">${i < 9 ? i + 1 : ''}</span>
                <i class="swatch" style=${{ backgroundColor: colorOf(l, labels) }}></i>
                <span class="label-name-text">${l}</span>
              </button>
              ${onRename && html`<button type="button" class="small" disabled=${busy} data-testid="label-rename"
                onClick=${() => { setEditing(l); setTo(l); }}>Rename</button>`}
              ${onDelete && html`<${ConfirmButton} label="Delete" confirmLabel="Delete everywhere?" disabled=${busy} testid="label-delete"
                onConfirm=${() => act(() => onDelete(l))} />`}`}
          </li>`)}
      </ul>
      <form class="add-label" onSubmit=${add}>
        <input placeholder="New label" value=${name} data-testid="label-add-input" aria-label="New label"
          onInput=${(e) => setName(e.currentTarget.value)} />
        <button type="submit" data-testid="label-add">Add</button>
      </form>
      <${ErrorText} error=${error} testid="label-error" />
    </section>`;
}
