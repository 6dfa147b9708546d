import { html } from 'htm/preact';
import { labelOutcomes } from '../lib/classification.js';

const WORDS = { TP: 'right', FP: 'wrong', FN: 'missed' };

/** A classifier's test image judged: its labels as text chips by outcome (no boxes to draw). */
export function OutcomeLabels({ image }) {
  const list = labelOutcomes(image);
  if (!list.length) return html`<span class="muted" data-testid="outcome-labels">no label above the threshold</span>`;
  return html`
    <span class="chips" data-testid="outcome-labels">
      ${list.map((l, i) => html`
        <span key=${i} class=${`chip outcome-${l.outcome.toLowerCase()}`} data-testid="outcome-label" data-outcome=${l.outcome} data-label=${l.label}
          title=${WORDS[l.outcome] || l.outcome}>${l.label}${l.confidence === undefined ? ` (${WORDS[l.outcome] || l.outcome})` : ` ${l.confidence.toFixed(1)}%`}</span>`)}
    </span>`;
}
