import { html } from 'htm/preact';

export function ConfidenceSlider({ value, onChange, shown }) {
  return html`
    <div class="slider">
      <label>Minimum confidence
        <input type="range" min="0" max="100" step="0.1" value=${value} data-testid="confidence-slider"
          onInput=${(e) => onChange(Number(e.currentTarget.value))} />
      </label>
      <output data-testid="confidence-value">${value.toFixed(1)}%</output>
      <span class="muted" data-testid="label-count">${shown} label${shown === 1 ? '' : 's'} at ≥ ${value.toFixed(1)}%</span>
    </div>`;
}
