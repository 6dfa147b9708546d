import { html } from 'htm/preact';

const W = 320;
const H = 260;
const M = { l: 40, r: 12, t: 12, b: 34 };
const x = (c) => M.l + c * (W - M.l - M.r);
const y = (a) => H - M.b - a * (H - M.t - M.b);

/** Rows of evaluation.json's reliability.bins ({columns, rows} or an array of objects) as objects. */
export function reliabilityBins(reliability) {
  const bins = reliability?.bins;
  if (!bins) return [];
  if (Array.isArray(bins)) return bins.filter((b) => b && typeof b === 'object');
  const cols = bins.columns || [];
  return (bins.rows || []).map((r) => Object.fromEntries(cols.map((c, i) => [c, Number(r[i])])));
}

/** Calibration: each bin's accuracy (up) against its mean confidence (across); the diagonal is perfect. */
export function ReliabilityDiagram({ reliability }) {
  const bins = reliabilityBins(reliability);
  const used = bins.filter((b) => b.detections > 0);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const most = Math.max(1, ...used.map((b) => b.detections));
  return html`
    <figure class="pr-curve reliability" data-testid="reliability">
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="Reliability diagram">
        ${ticks.map((t) => html`
          <line key=${`gx${t}`} class="grid" x1=${x(t)} x2=${x(t)} y1=${y(0)} y2=${y(1)} />
          <line key=${`gy${t}`} class="grid" x1=${x(0)} x2=${x(1)} y1=${y(t)} y2=${y(t)} />
          <text key=${`tx${t}`} class="tick" x=${x(t)} y=${y(0) + 14} text-anchor="middle">${t}</text>
          <text key=${`ty${t}`} class="tick" x=${x(0) - 6} y=${y(t) + 4} text-anchor="end">${t}</text>`)}
        ${bins.map((b, i) => html`<rect key=${`b${i}`} class="bin" data-testid="reliability-bin"
          x=${x(b.lower) + 1} width=${Math.max(0, x(b.upper) - x(b.lower) - 2)}
          y=${y(b.detections > 0 ? b.accuracy : 0)} height=${y(0) - y(b.detections > 0 ? b.accuracy : 0)}
          fill-opacity=${b.detections > 0 ? 0.25 + 0.6 * (b.detections / most) : 0}>
          <title>${`${(b.lower * 100).toFixed(0)}–${(b.upper * 100).toFixed(0)}%: ${b.detections} detections, accuracy ${(b.accuracy * 100).toFixed(1)}%, mean confidence ${(b.mean_confidence * 100).toFixed(1)}%`}</title>
        </rect>`)}
        <line class="diagonal" x1=${x(0)} y1=${y(0)} x2=${x(1)} y2=${y(1)} />
        ${used.length > 0 && html`<polyline class="calibration" fill="none" data-testid="reliability-line"
          points=${used.map((b) => `${x(b.mean_confidence).toFixed(1)},${y(b.accuracy).toFixed(1)}`).join(' ')} />`}
        ${used.map((b, i) => html`<circle key=${`c${i}`} class="calibration-dot" cx=${x(b.mean_confidence)} cy=${y(b.accuracy)} r="3" />`)}
        <rect class="frame" x=${x(0)} y=${y(1)} width=${x(1) - x(0)} height=${y(0) - y(1)} />
        <text class="axis" x=${(x(0) + x(1)) / 2} y=${H - 4} text-anchor="middle">confidence</text>
        <text class="axis" x="10" y=${(y(0) + y(1)) / 2} text-anchor="middle" transform=${`rotate(-90 10 ${(y(0) + y(1)) / 2})`}>accuracy</text>
      </svg>
      <figcaption>Calibration${reliability?.ece !== undefined ? ` · ECE ${Number(reliability.ece).toFixed(3)}` : ''}${reliability?.detections !== undefined ? ` · ${reliability.detections} detections` : ''}</figcaption>
    </figure>`;
}
