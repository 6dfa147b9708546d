import { html } from 'htm/preact';

const W = 560;
const H = 360;
const M = { l: 44, r: 150, t: 14, b: 36 };
const x = (recall) => M.l + recall * (W - M.l - M.r);
const y = (precision) => H - M.b - precision * (H - M.t - M.b);
export const VERSION_COLORS = ['#2563eb', '#d97706'];
const DASHES = [null, '6 4', '2 3', '10 3 2 3', '1 5'];

/** Several versions' PR curves in one SVG: colour = version, dash = label. series = [{version, label, points}]. */
export function PrOverlay({ series, versions, labels }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`
    <figure class="pr-overlay" data-testid="pr-overlay">
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="Precision-recall curves of both versions">
        ${ticks.map((t) => html`
          <line key=${`gx${t}`} class="grid" x1=${x(t)} x2=${x(t)} y1=${y(0)} y2=${y(1)} />
          <line key=${`gy${t}`} class="grid" x1=${x(0)} x2=${x(1)} y1=${y(t)} y2=${y(t)} />
          <text key=${`tx${t}`} class="tick" x=${x(t)} y=${y(0) + 14} text-anchor="middle">${t}</text>
          <text key=${`ty${t}`} class="tick" x=${x(0) - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`)}
        <rect class="frame" x=${x(0)} y=${y(1)} width=${x(1) - x(0)} height=${y(0) - y(1)} />
        ${series.map((s, i) => {
          const pts = (s.points || []).filter((p) => Array.isArray(p) && p.length >= 3);
          if (!pts.length) return null;
          return html`<polyline key=${i} data-testid="overlay-line" data-version=${s.version} data-label=${s.label}
            points=${pts.map((p) => `${x(p[2]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')} fill="none"
            stroke=${VERSION_COLORS[versions.indexOf(s.version) % 2]} stroke-width="2"
            stroke-dasharray=${DASHES[labels.indexOf(s.label) % DASHES.length]}><title>${`${s.version} · ${s.label}`}</title></polyline>`;
        })}
        ${versions.map((v, i) => html`<g key=${`lv${i}`}>
          <line x1=${W - M.r + 12} x2=${W - M.r + 36} y1=${M.t + 10 + i * 18} y2=${M.t + 10 + i * 18} stroke=${VERSION_COLORS[i % 2]} stroke-width="3" />
          <text class="tick" x=${W - M.r + 42} y=${M.t + 14 + i * 18}>${v}</text></g>`)}
        ${labels.map((l, i) => html`<g key=${`ll${i}`}>
          <line x1=${W - M.r + 12} x2=${W - M.r + 36} y1=${M.t + 58 + i * 18} y2=${M.t + 58 + i * 18} stroke="#374151" stroke-width="2"
            stroke-dasharray=${DASHES[i % DASHES.length]} />
          <text class="tick" x=${W - M.r + 42} y=${M.t + 62 + i * 18}>${l}</text></g>`)}
        <text class="axis" x=${(x(0) + x(1)) / 2} y=${H - 4} text-anchor="middle">recall</text>
        <text class="axis" x="12" y=${(y(0) + y(1)) / 2} text-anchor="middle" transform=${`rotate(-90 12 ${(y(0) + y(1)) / 2})`}>precision</text>
      </svg>
    </figure>`;
}
