import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { storedToUprightRatio, uprightRatioToStored, uprightSize } from '../lib/orientation.js';
import { colorOf } from './box-overlay.js';

const MIN_PX = 4; // a drag shorter than this on screen is a click, not a box
const CORNERS = ['nw', 'ne', 'sw', 'se'];

/**
 * The editor's drawing surface: the upright picture with the boxes over it. Boxes come and go
 * in stored-grid pixels; the SVG works in upright pixels (viewBox = the upright picture), so
 * the pointer maps the same way at any zoom.
 */
export function BoxCanvas({ src, width, height, orientation, boxes, suggestions = [], labels, selected, tool, zoom,
  onDraw, onChange, onSelect }) {
  const { width: UW, height: UH } = uprightSize(orientation, width, height);
  const svg = useRef(null);
  const drag = useRef(null);
  const [live, setLive] = useState(null); // {index (-1: new), rect (upright px)}
  const [unit, setUnit] = useState(1); // upright px per screen px
  const wrap = useRef(null);
  const [fit, setFit] = useState(0); // the width at 100 %: the whole picture in the visible area

  useEffect(() => {
    const area = wrap.current && wrap.current.parentElement;
    if (!area) return undefined;
    const measure = () => {
      const cs = getComputedStyle(area);
      const w = area.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const h = area.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      if (w > 0 && h > 0) setFit(Math.max(50, Math.min(w, h * (UW / UH))));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(area);
    return () => ro.disconnect();
  }, [UW, UH]);

  useEffect(() => {
    const el = svg.current;
    if (!el) return undefined;
    const measure = () => {
      const r = el.getBoundingClientRect();
      if (r.width > 0) setUnit(UW / r.width);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [UW, zoom, fit]);

  const toUp = (b) => {
    const r = storedToUprightRatio(orientation, width, height, b);
    return { left: r.left * UW, top: r.top * UH, width: r.width * UW, height: r.height * UH };
  };
  const toStored = (r) => uprightRatioToStored(orientation, width, height,
    { left: r.left / UW, top: r.top / UH, width: r.width / UW, height: r.height / UH });

  const point = (ev) => {
    const r = svg.current.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * UW;
    const y = ((ev.clientY - r.top) / r.height) * UH;
    return [Math.max(0, Math.min(UW, x)), Math.max(0, Math.min(UH, y))];
  };
  const clampRect = (r) => {
    const left = Math.max(0, Math.min(UW - r.width, r.left));
    const top = Math.max(0, Math.min(UH - r.height, r.top));
    return { left, top, width: Math.min(r.width, UW), height: Math.min(r.height, UH) };
  };
  const fromCorners = (a, b) => ({
    left: Math.min(a[0], b[0]), top: Math.min(a[1], b[1]), width: Math.abs(a[0] - b[0]), height: Math.abs(a[1] - b[1]),
  });

  const down = (ev, index = -1, corner = '') => {
    if (ev.button !== 0) return;
    ev.preventDefault();
    ev.stopPropagation();
    const p = point(ev);
    svg.current.setPointerCapture(ev.pointerId);
    if (index >= 0 && !corner && tool === 'draw' && ev.shiftKey) index = -1; // Shift: draw inside a box
    if (index >= 0) {
      onSelect(index);
      const rect = toUp(boxes[index]);
      drag.current = { mode: corner ? 'resize' : 'move', index, corner, start: p, rect, moved: false };
      setLive({ index, rect });
    } else if (tool === 'draw') {
      drag.current = { mode: 'draw', index: -1, start: p, moved: false };
      setLive({ index: -1, rect: fromCorners(p, p) });
    } else {
      onSelect(-1);
      drag.current = null;
    }
  };

  const move = (ev) => {
    const d = drag.current;
    if (!d) return;
    const p = point(ev);
    const dx = p[0] - d.start[0];
    const dy = p[1] - d.start[1];
    if (Math.abs(dx) / unit > 1 || Math.abs(dy) / unit > 1) d.moved = true;
    let rect;
    if (d.mode === 'draw') rect = fromCorners(d.start, p);
    else if (d.mode === 'move') rect = clampRect({ ...d.rect, left: d.rect.left + dx, top: d.rect.top + dy });
    else {
      const r = d.rect;
      const fixed = [d.corner.includes('w') ? r.left + r.width : r.left, d.corner.includes('n') ? r.top + r.height : r.top];
      rect = fromCorners(fixed, p);
    }
    d.last = rect;
    setLive({ index: d.index, rect });
  };

  const up = (ev) => {
    const d = drag.current;
    drag.current = null;
    setLive(null);
    if (!d) return;
    try { svg.current.releasePointerCapture(ev.pointerId); } catch (_) { /* not captured */ }
    if (!d.moved || !d.last) return;
    const big = d.last.width / unit >= MIN_PX && d.last.height / unit >= MIN_PX;
    if (d.mode === 'draw') {
      if (big) onDraw(toStored(d.last));
    } else if (big || d.mode === 'move') {
      onChange(d.index, { ...boxes[d.index], ...toStored(d.last) });
    }
  };

  const handle = 8 * unit;
  const stroke = 2;
  const fontSize = 12 * unit;
  const shown = boxes.map((b, i) => ({ ...b, i, r: live && live.index === i ? live.rect : toUp(b) }));

  return html`
    <div class="canvas-zoom" ref=${wrap} style=${{ width: fit ? `${Math.round(zoom * fit)}px` : `${zoom * 100}%` }}>
      <img src=${src} alt="" draggable=${false} class="canvas-image" data-testid="editor-image" />
      <svg ref=${svg} class=${`canvas-svg tool-${tool}`} viewBox=${`0 0 ${UW} ${UH}`} preserveAspectRatio="none"
        data-testid="editor-canvas" data-width=${UW} data-height=${UH}
        onPointerDown=${(e) => down(e)} onPointerMove=${move} onPointerUp=${up} onPointerCancel=${up}>
        ${suggestions.map((s, i) => {
          const r = toUp(s);
          return html`<g key=${`s${i}`} class="suggestion">
            <rect data-testid="editor-suggestion" data-label=${s.label} data-confidence=${s.confidence}
              x=${r.left} y=${r.top} width=${r.width} height=${r.height} fill="none"
              stroke=${colorOf(s.label, labels)} stroke-width=${stroke} stroke-dasharray="6 4" vector-effect="non-scaling-stroke" />
            <text x=${r.left + 2 * unit} y=${r.top + r.height - 3 * unit} font-size=${fontSize} class="suggestion-text">${`${s.label} ${Number(s.confidence).toFixed(1)}%`}</text>
          </g>`;
        })}
        ${shown.map((b) => html`
          <g key=${`b${b.i}`}>
            <rect data-testid="editor-box" data-label=${b.label} data-index=${b.i} class=${b.i === selected ? 'box selected' : 'box'}
              x=${b.r.left} y=${b.r.top} width=${b.r.width} height=${b.r.height}
              fill=${colorOf(b.label, labels)} fill-opacity=${b.i === selected ? 0.18 : 0.06}
              stroke=${colorOf(b.label, labels)} stroke-width=${b.i === selected ? 3 : stroke} vector-effect="non-scaling-stroke"
              onPointerDown=${(e) => down(e, b.i)} />
            <text x=${b.r.left + 2 * unit} y=${b.r.top - 3 * unit} font-size=${fontSize} fill=${colorOf(b.label, labels)} class="box-text">${b.label}</text>
            ${b.i === selected && CORNERS.map((c) => html`
              <rect key=${c} class=${`handle handle-${c}`} data-testid="editor-handle" data-corner=${c}
                x=${(c.includes('w') ? b.r.left : b.r.left + b.r.width) - handle / 2}
                y=${(c.includes('n') ? b.r.top : b.r.top + b.r.height) - handle / 2}
                width=${handle} height=${handle} onPointerDown=${(e) => down(e, b.i, c)} />`)}
          </g>`)}
        ${live && live.index === -1 && html`<rect class="drawing" x=${live.rect.left} y=${live.rect.top}
          width=${live.rect.width} height=${live.rect.height} fill="none" stroke="#111827" stroke-width="2"
          stroke-dasharray="4 3" vector-effect="non-scaling-stroke" />`}
      </svg>
    </div>`;
}
