import { html } from 'htm/preact';
import { zoomIn, zoomOut } from '../lib/box-editing.js';
import { BoxCanvas } from './box-canvas.js';

/**
 * The editor's picture area (Ctrl+wheel zooms) with the BoxCanvas over useBoxEditing's state.
 * `image` = {src, width, height, orientation} (the stored grid and its EXIF orientation), or
 * null while it loads. onDraw(box) and onChange(index, box) get stored-grid pixels.
 */
export function EditorSurface({ ed, image, labels, onDraw, onChange, placeholder }) {
  return html`
    <div class="editor-canvas" onWheel=${(e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      ed.setZoom(e.deltaY < 0 ? zoomIn : zoomOut);
    }}>
      ${image ? html`<${BoxCanvas} src=${image.src} width=${image.width} height=${image.height}
        orientation=${image.orientation} boxes=${ed.boxes} suggestions=${ed.suggestions} labels=${labels} selected=${ed.selected}
        tool=${ed.tool} zoom=${ed.zoom} onDraw=${onDraw} onSelect=${ed.setSelected} onChange=${onChange} />`
        : placeholder}
    </div>`;
}
