import { html } from 'htm/preact';

const COLORS = ['#f59e0b', '#2563eb', '#16a34a', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

export function colorOf(label, labels) {
  const i = labels ? labels.indexOf(label) : -1;
  if (i >= 0) return COLORS[i % COLORS.length];
  let h = 0;
  for (const c of String(label)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

const pct = (x) => `${(x * 100).toFixed(3)}%`;

/**
 * Boxes drawn over an image: `boxes` = [{label, left, top, width, height, confidence?}] as
 * ratios of the image. The SVG spans the image exactly; tags are HTML text placed by CSSOM.
 */
export function BoxOverlay({ boxes, labels, showTags = false, suggestions = [] }) {
  return html`
    <svg class="box-overlay" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
      ${suggestions.map((b, i) => html`
        <rect key=${`s${i}`} data-testid="suggestion-box" data-label=${b.label} data-confidence=${b.confidence}
          x=${b.left} y=${b.top} width=${b.width} height=${b.height} fill="none" stroke-dasharray="5 4"
          stroke=${colorOf(b.label, labels)} stroke-width="2" vector-effect="non-scaling-stroke">
          <title>${`${b.label} ${Number(b.confidence).toFixed(1)}% (suggested)`}</title>
        </rect>`)}
      ${boxes.map((b, i) => html`
        <rect key=${i} data-testid="box" data-label=${b.label}
          x=${b.left} y=${b.top} width=${b.width} height=${b.height}
          fill="none" stroke=${colorOf(b.label, labels)} stroke-width="2" vector-effect="non-scaling-stroke">
          <title>${b.confidence === undefined ? b.label : `${b.label} ${b.confidence.toFixed(1)}%`}</title>
        </rect>`)}
    </svg>
    ${suggestions.length <= 6 && suggestions.map((b, i) => html`
      <span key=${`st${i}`} class="box-tag suggested-tag" data-testid="suggestion-tag"
        style=${{ left: pct(b.left), top: pct(b.top + b.height), borderColor: colorOf(b.label, labels) }}>
        ${`${Number(b.confidence).toFixed(0)}%`}
      </span>`)}
    ${showTags && boxes.map((b, i) => html`
      <span key=${`t${i}`} class="box-tag" data-testid="box-tag"
        style=${{ left: pct(b.left), top: pct(b.top), backgroundColor: colorOf(b.label, labels) }}>
        ${b.confidence === undefined ? b.label : `${b.label} ${b.confidence.toFixed(1)}%`}
      </span>`)}`;
}

/** An image with its boxes, the overlay matching the image's displayed size. */
export function BoxedImage({ src, alt, boxes, labels, showTags, onLoad, testid, suggestions }) {
  return html`
    <div class="boxed" data-testid=${testid}>
      <img src=${src} alt=${alt || ''} onLoad=${onLoad} loading="lazy" decoding="async" />
      <${BoxOverlay} boxes=${boxes} labels=${labels} showTags=${showTags} suggestions=${suggestions} />
    </div>`;
}
