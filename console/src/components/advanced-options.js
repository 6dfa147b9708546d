import { html } from 'htm/preact';

export const OPTION_FIELDS = [
  { key: 'epochs', label: 'Epochs', type: 'int', hint: 'default: from the dataset size' },
  { key: 'image_size', label: 'Image size (px)', type: 'int', hint: 'multiple of 32, 64–1536' },
  { key: 'batch', label: 'Batch', type: 'int', hint: 'images per step (8)' },
  { key: 'lr', label: 'Learning rate', type: 'float', hint: '4e-4' },
  { key: 'augment', label: 'Augmentation', type: 'choice', choices: ['none', 'light', 'strong', 'auto'] },
  { key: 'seed', label: 'Seed', type: 'int', hint: '1' },
  { key: 'time_budget_s', label: 'Time budget (s)', type: 'float', hint: '300' },
  { key: 'fold_in_epochs', label: 'Fold-in epochs', type: 'int', hint: 'default: a quarter' },
  { key: 'freeze_backbone', label: 'Freeze the backbone (train only neck and heads)', type: 'bool' },
];

/** Only the fields the user filled, typed: {epochs: 2, image_size: 128, ...}. */
export function trainingOptions(values) {
  const out = {};
  for (const f of OPTION_FIELDS) {
    const v = values[f.key];
    if (f.type === 'bool') {
      if (v) out[f.key] = true;
    } else if (v !== undefined && String(v).trim() !== '') {
      out[f.key] = f.type === 'int' ? parseInt(v, 10) : f.type === 'float' ? Number(v) : String(v);
    }
  }
  return out;
}

/** The expert knobs, folded away by default. */
export function AdvancedOptions({ values, onChange }) {
  const set = (k, v) => onChange({ ...values, [k]: v });
  return html`
    <details class="advanced" data-testid="advanced">
      <summary data-testid="advanced-summary">Advanced</summary>
      <p class="muted">Leave a field empty to let Apiary choose.</p>
      <div class="options-grid">
        ${OPTION_FIELDS.map((f) => {
          if (f.type === 'bool') {
            return html`<label class="check wide" key=${f.key}><input type="checkbox" checked=${!!values[f.key]}
              data-testid=${`opt-${f.key}`} onChange=${(e) => set(f.key, e.currentTarget.checked)} /> ${f.label}</label>`;
          }
          if (f.type === 'choice') {
            return html`<label key=${f.key}>${f.label}
              <select value=${values[f.key] || ''} data-testid=${`opt-${f.key}`} onChange=${(e) => set(f.key, e.currentTarget.value)}>
                <option value="">(default)</option>
                ${f.choices.map((c) => html`<option key=${c} value=${c}>${c}</option>`)}
              </select></label>`;
          }
          return html`<label key=${f.key}>${f.label}
            <input type="number" step=${f.type === 'int' ? '1' : 'any'} placeholder=${f.hint || ''} value=${values[f.key] || ''}
              data-testid=${`opt-${f.key}`} onInput=${(e) => set(f.key, e.currentTarget.value)} /></label>`;
        })}
      </div>
    </details>`;
}
