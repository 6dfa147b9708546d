import { html } from 'htm/preact';
import { zoomIn, zoomOut } from '../lib/box-editing.js';

/** The editor bar's drawing tools, zoom, undo/redo and Delete box, over useBoxEditing's state. */
export function EditorTools({ ed }) {
  return html`
    <div class="tool-group" role="group" aria-label="Tool">
      <button type="button" class=${ed.tool === 'draw' ? 'active' : ''} data-testid="tool-draw" onClick=${() => ed.setTool('draw')} title="D">Draw</button>
      <button type="button" class=${ed.tool === 'select' ? 'active' : ''} data-testid="tool-select" onClick=${() => ed.setTool('select')} title="V">Select</button>
    </div>
    <div class="tool-group" role="group" aria-label="Zoom">
      <button type="button" data-testid="zoom-out" onClick=${() => ed.setZoom(zoomOut)} title="−">−</button>
      <span class="zoom-value" data-testid="zoom-value">${Math.round(ed.zoom * 100)}%</span>
      <button type="button" data-testid="zoom-in" onClick=${() => ed.setZoom(zoomIn)} title="+">+</button>
    </div>
    <button type="button" disabled=${!ed.hist.past.length} data-testid="editor-undo" onClick=${ed.undo} title="Ctrl+Z">Undo</button>
    <button type="button" disabled=${!ed.hist.future.length} data-testid="editor-redo" onClick=${ed.redo} title="Ctrl+Shift+Z / Ctrl+Y">Redo</button>
    <button type="button" disabled=${ed.selected < 0} data-testid="editor-delete-box" onClick=${ed.removeSelected} title="Delete">Delete box</button>`;
}
