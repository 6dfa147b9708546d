import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

/** Drag-and-drop area plus a file input; onFiles(File[]). */
export function DropZone({ onFiles, accept = 'image/*', multiple = true, label, testid = 'drop-zone', disabled }) {
  const [over, setOver] = useState(false);
  const drop = (ev) => {
    ev.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = [...(ev.dataTransfer?.files || [])];
    if (files.length) onFiles(multiple ? files : files.slice(0, 1));
  };
  const pick = (ev) => {
    const files = [...ev.currentTarget.files];
    ev.currentTarget.value = '';
    if (files.length) onFiles(files);
  };
  return html`
    <label class=${`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`} data-testid=${testid}
      onDragOver=${(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave=${() => setOver(false)} onDrop=${drop}>
      <span>${label || (multiple ? 'Drop images here, or click to choose' : 'Drop an image here, or click to choose')}</span>
      <input type="file" accept=${accept} multiple=${multiple} disabled=${disabled}
        data-testid=${`${testid}-input`} onChange=${pick} />
    </label>`;
}
