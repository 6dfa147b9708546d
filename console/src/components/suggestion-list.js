import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { colorOf } from './box-overlay.js';

/** A model's suggestions for one image: accept or reject one by one, or all above a threshold. */
export function SuggestionList({ suggestions, labels, onAccept, onReject, onAcceptAbove, onRejectAll }) {
  const [min, setMin] = useState(50);
  if (!suggestions.length) return null;
  return html`
    <section class="suggestions" data-testid="suggestion-list">
      <h3>Suggestions (${suggestions.length})</h3>
      <form class="accept-above" onSubmit=${(e) => { e.preventDefault(); onAcceptAbove(min); }}>
        <label>Accept all ≥
          <input type="number" min="0" max="100" step="any" value=${min} data-testid="accept-above-value"
            onInput=${(e) => setMin(Number(e.currentTarget.value))} /></label>
        <span>%</span>
        <button type="submit" class="primary" data-testid="accept-above">Accept</button>
        <button type="button" data-testid="reject-all" onClick=${onRejectAll}>Reject all</button>
      </form>
      <ul class="plain">
        ${suggestions.map((s, i) => html`
          <li key=${i} class="suggestion-row" data-testid="suggestion-row">
            <i class="swatch" style=${{ backgroundColor: colorOf(s.label, labels) }}></i>
            <span class="grow">${s.label}</span>
            <span class="muted">${Number(s.confidence).toFixed(1)}%</span>
            <button type="button" class="small" data-testid="suggestion-accept" onClick=${() => onAccept(i)}>Accept</button>
            <button type="button" class="small" data-testid="suggestion-reject" onClick=${() => onReject(i)}>Reject</button>
          </li>`)}
      </ul>
    </section>`;
}
