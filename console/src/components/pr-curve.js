import { html } from 'htm/preact';
import { colorOf } from './box-overlay.js';

const W = 320;
const H = 240;
const M = { l: 40, r: 12, t: 12, b: 34 };
const x = (recall) => M.l + recall * (W - M.l - M.r);
const y = (precision) => H - M.b - precision * (H - M.t - M.b);

/** Precision (up) against recall (across) from points [threshold, precision, recall]. */
export function PrCurve({ label, points, assumed, labels }) {
  const pts = (points || []).filter((p) => Array.isArray(p) && p.length >= 3);
  const line = pts.map((p) => `${x(p[2]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`
    <figure class="pr-curve" data-testid="pr-curve" data-label=${label}>
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${`Precision-recall curve of ${label}`}>
        ${ticks.map((t) => html`
          <line key=${`gx${t}`} class="grid" x1=${x(t)} x2=${x(t)} y1=${y(0)} y2=${y(1)} />
          <line key=${`gy${t}`} class="grid" x1=${x(0)} x2=${x(1)} y1=${y(t)} y2=${y(t)} />
          <text key=${`tx${t}`} class="tick" x=${x(t)} y=${y(0) + 14} text-anchor="middle">${t}</text>
          <text key=${`ty${t}`} class="tick" x=${x(0) - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`)}
        <rect class="frame" x=${x(0)} y=${y(1)} width=${x(1) - x(0)} height=${y(0) - y(1)} />
        ${line && html`<polyline points=${line} fill="none" stroke=${colorOf(label, labels)} stroke-width="2" data-testid="pr-line" />`}
        ${assumed && html`<circle cx=${x(assumed.recall)} cy=${y(assumed.precision)} r="4" class="assumed">
          <title>assumed threshold ${(assumed.threshold * 100).toFixed(1)}%</title></circle>`}
        <text class="axis" x=${(x(0) + x(1)) / 2} y=${H - 4} text-anchor="middle">recall</text>
        <text class="axis" x="10" y=${(y(0) + y(1)) / 2} text-anchor="middle" transform=${`rotate(-90 10 ${(y(0) + y(1)) / 2})`}>precision</text>
      </svg>
      <figcaption>${label}</figcaption>
    </figure>`;
}
