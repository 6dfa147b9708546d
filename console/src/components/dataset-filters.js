import { html } from 'htm/preact';

/** filters = {label, labeled: ''|'yes'|'no', errors: bool} */
export function DatasetFilters({ labels, filters, onChange }) {
  const set = (k, v) => onChange({ ...filters, [k]: v });
  return html`
    <div class="filters" data-testid="dataset-filters">
      <label>Label
        <select value=${filters.label} data-testid="filter-label" onChange=${(e) => set('label', e.currentTarget.value)}>
          <option value="">All labels</option>
          ${labels.map((l) => html`<option key=${l} value=${l}>${l}</option>`)}
        </select>
      </label>
      <label>Show
        <select value=${filters.labeled} data-testid="filter-labeled" onChange=${(e) => set('labeled', e.currentTarget.value)}>
          <option value="">Labelled and unlabelled</option>
          <option value="yes">Labelled only</option>
          <option value="no">Unlabelled only</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked=${filters.errors} data-testid="filter-errors"
          onChange=${(e) => set('errors', e.currentTarget.checked)} />
        With errors only
      </label>
    </div>`;
}
