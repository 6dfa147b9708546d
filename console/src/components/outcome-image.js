import { html } from 'htm/preact';
import { storedToUprightRatio } from '../lib/orientation.js';
import { thumbnailUrl } from './gallery-item.js';

export const OUTCOME_COLORS = { TP: '#16a34a', FP: '#dc2626', FN: '#f97316' };
const pct = (x) => `${(x * 100).toFixed(3)}%`;

/** A test image (upright thumbnail) with its boxes coloured by outcome: TP green, FP red, FN orange. */
export function OutcomeImage({ datasetArn, image, size = 256, showTags = false }) {
  const w = image.width || 0;
  const h = image.height || 0;
  const boxes = w > 0 && h > 0 ? (image.boxes || []).map((b) => storedToUprightRatio(image.orientation, w, h, b)) : [];
  const tag = (b) => `${b.outcome} ${b.label}${b.outcome === 'FN' ? '' : ` ${Number(b.confidence).toFixed(1)}%`}`;
  return html`
    <div class="boxed">
      <img src=${thumbnailUrl(datasetArn, image.ref, size)} alt="" loading="lazy" decoding="async" />
      <svg class="box-overlay" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
        ${boxes.map((b, i) => html`
          <rect key=${i} data-testid="outcome-box" data-outcome=${b.outcome} data-label=${b.label}
            x=${b.left} y=${b.top} width=${b.width} height=${b.height} fill="none"
            stroke=${OUTCOME_COLORS[b.outcome] || '#6b7280'} stroke-width="2" vector-effect="non-scaling-stroke"
            stroke-dasharray=${b.outcome === 'FN' ? '5 3' : null}>
            <title>${tag(b)}</title>
          </rect>`)}
      </svg>
      ${showTags && boxes.map((b, i) => html`
        <span key=${`t${i}`} class="box-tag" style=${{ left: pct(b.left), top: pct(b.top), backgroundColor: OUTCOME_COLORS[b.outcome] }}>${tag(b)}</span>`)}
    </div>`;
}

export function OutcomeLegend() {
  return html`<span class="legend">
    ${Object.entries({ TP: 'true positive', FP: 'false positive', FN: 'missed (false negative)' }).map(([k, v]) => html`
      <span key=${k} class="legend-item"><i class="swatch" style=${{ backgroundColor: OUTCOME_COLORS[k] }}></i>${v}</span>`)}
  </span>`;
}
