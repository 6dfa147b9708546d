import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteLabel, getEntry, renameLabel, saveEntry } from '../lib/entry-api.js';
import { detectionLine, sameBoxes, storedBoxesOf } from '../lib/labelling.js';
import { parseLine, fileNameOf } from '../lib/manifest.js';
import { historyOf, push, redo, undo } from '../lib/history.js';
import { roundBox, storedToUprightRatio, uprightRatioToStored } from '../lib/orientation.js';
import { thumbnailUrl } from './gallery-item.js';
import { BoxCanvas } from './box-canvas.js';
import { LabelList } from './label-list.js';
import { SuggestionList } from './suggestion-list.js';
import { ErrorText } from './error-text.js';
import { colorOf } from './box-overlay.js';

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];
const typing = (el) => el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);

/**
 * Box labelling of one image at a time, over the gallery's page of images (refs).
 * Boxes live in stored-grid pixels; the picture shown is the upright thumbnail.
 */
export function LabelEditor({ datasetArn, projectArn, refs, index, onIndex, onClose, labels, labelsApi,
  suggestionsOf, onSuggestions, onSaved, onInfo, onLabelsRewritten }) {
  const ref = refs[index];
  const [entry, setEntry] = useState(null);
  const [hist, setHist] = useState(historyOf({ boxes: [], suggestions: [] }));
  const [baseline, setBaseline] = useState([]);
  const [selected, setSelected] = useState(-1);
  const [tool, setTool] = useState('draw');
  const [current, setCurrent] = useState('');
  const [zoom, setZoom] = useState(1);
  const [error, setError] = useState(null);
  const [conflict, setConflict] = useState('');
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const previous = useRef(null); // the boxes of the image left last, as ratios of its upright picture

  const { boxes, suggestions } = hist.present;
  const dirty = entry && !sameBoxes(baseline, boxes);
  const label = labels.includes(current) ? current : labels[0] || '';

  useEffect(() => {
    let live = true;
    setEntry(null);
    setError(null);
    setConflict('');
    setStatus('');
    setSelected(-1);
    getEntry(datasetArn, ref).then((e) => {
      if (!live) return;
      const stored = storedBoxesOf(parseLine(e.line));
      setEntry({ ...e, ref });
      setBaseline(stored);
      setHist(historyOf({ boxes: stored, suggestions: suggestionsOf(ref) || [] }));
      onInfo(ref, { width: e.width, height: e.height, orientation: e.orientation });
    }).catch((e) => live && setError(e));
    return () => { live = false; };
  }, [datasetArn, ref]);

  const change = (next) => setHist((h) => push(h, { ...h.present, ...next }));
  const setBoxes = (fn) => setHist((h) => push(h, { ...h.present, boxes: fn(h.present.boxes) }));
  const fit = (b) => roundBox(b, entry.width, entry.height);

  const draw = (b) => {
    if (!label) {
      setError('Add a label first: type its name under Labels.');
      return;
    }
    setError(null);
    setBoxes((list) => [...list, { ...fit(b), label }]);
    setSelected(boxes.length);
  };
  const pickLabel = (l) => {
    setCurrent(l);
    if (selected >= 0 && selected < boxes.length && boxes[selected].label !== l) {
      setBoxes((list) => list.map((b, i) => (i === selected ? { ...b, label: l } : b)));
    }
  };
  const removeSelected = () => {
    if (selected < 0 || selected >= boxes.length) return;
    setBoxes((list) => list.filter((_, i) => i !== selected));
    setSelected(-1);
  };
  const copyPrevious = () => {
    const prev = previous.current;
    if (!entry || !prev || !prev.length) {
      setStatus('The previous image has no boxes to copy.');
      return;
    }
    const copies = prev.map((r) => fit(uprightRatioToStored(entry.orientation, entry.width, entry.height, r)));
    setBoxes((list) => [...list, ...copies]);
    setStatus(`Copied ${copies.length} box${copies.length === 1 ? '' : 'es'} from the previous image.`);
  };

  const accept = (list) => {
    const take = new Set(list);
    change({
      boxes: [...boxes, ...suggestions.filter((_, i) => take.has(i)).map((s) => ({ ...fit(s), label: s.label }))],
      suggestions: suggestions.filter((_, i) => !take.has(i)),
    });
  };

  // A 409 is a conflict only when the stored entry moved on from the version this editor read.
  const changedSince = async (version) => {
    try {
      return (await getEntry(datasetArn, ref)).version !== version;
    } catch (_) {
      return true;
    }
  };
  const save = async (force = false) => {
    if (!entry) return false;
    if (!dirty && !force) {
      onSuggestions(ref, suggestions);
      return true;
    }
    setSaving(true);
    setError(null);
    setConflict('');
    const line = detectionLine(entry.line, boxes, labels, entry.width, entry.height);
    try {
      const r = await saveEntry(datasetArn, line, entry.version);
      if (r.version === entry.version) throw new Error('The server kept this image\'s labels as they were; your boxes are not saved.');
      setEntry((e) => ({ ...e, line, version: r.version }));
      setBaseline(boxes);
      onSuggestions(ref, suggestions);
      onSaved(ref, line);
      setStatus(`Saved ${boxes.length} box${boxes.length === 1 ? '' : 'es'}.`);
      return true;
    } catch (e) {
      setError(null);
      if (e.status === 409 && (await changedSince(entry.version))) setConflict(e.message);
      else setError(e); // 409 for other reasons too (a classification project refuses boxes)
      return false;
    } finally {
      setSaving(false);
    }
  };
  // After a 409: take the stored labels (mine are dropped), or write mine over them.
  const reloadStored = async () => {
    const e = await getEntry(datasetArn, ref);
    const stored = storedBoxesOf(parseLine(e.line));
    setEntry({ ...e, ref });
    setBaseline(stored);
    setHist(historyOf({ boxes: stored, suggestions }));
    setConflict('');
  };
  const overwrite = async () => {
    try {
      const e = await getEntry(datasetArn, ref);
      setEntry({ ...e, ref });
      setConflict('');
      const line = detectionLine(e.line, boxes, labels, e.width, e.height);
      const r = await saveEntry(datasetArn, line, e.version);
      setEntry({ ...e, ref, line, version: r.version });
      setBaseline(boxes);
      onSaved(ref, line);
      setStatus(`Saved ${boxes.length} box${boxes.length === 1 ? '' : 'es'} over the other change.`);
    } catch (e) {
      if (e.status === 409) setConflict(e.message);
      else setError(e);
    }
  };

  const go = async (delta) => {
    const next = index + delta;
    if (next < 0 || next >= refs.length || !entry) return;
    if (!(await save())) return;
    previous.current = boxes.map((b) => storedToUprightRatio(entry.orientation, entry.width, entry.height, b));
    onIndex(next);
  };
  const close = async () => {
    if (entry && dirty && !(await save())) return;
    onClose();
  };

  const relabel = async (fn, map) => {
    await fn();
    labelsApi.reload();
    const e = await getEntry(datasetArn, ref);
    setEntry({ ...e, ref });
    setBaseline(storedBoxesOf(parseLine(e.line)));
    setHist((h) => ({ ...h, present: { ...h.present, boxes: map(h.present.boxes) } }));
    onLabelsRewritten();
  };
  const onRename = (from, to) => relabel(async () => {
    const r = await renameLabel(projectArn, from, to);
    labelsApi.renamed(from, to);
    setStatus(`Renamed ${from} to ${to} in ${r.entries ?? 0} image(s).`);
    if (current === from) setCurrent(to);
  }, (list) => list.map((b) => (b.label === from ? { ...b, label: to } : b)));
  const onDelete = (l) => relabel(async () => {
    const r = await deleteLabel(projectArn, l);
    labelsApi.removed(l);
    setStatus(`Deleted ${l} from ${r.entries ?? 0} image(s).`);
  }, (list) => list.filter((b) => b.label !== l));

  // Keyboard: the handler sees this render's state.
  const keys = useRef(null);
  keys.current = (e) => {
    if (typing(e.target)) return;
    const k = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (mod && k === 'z' && !e.shiftKey) { e.preventDefault(); setHist(undo); setSelected(-1); return; }
    if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) { e.preventDefault(); setHist(redo); setSelected(-1); return; }
    if (mod && k === 's') { e.preventDefault(); save(); return; }
    if (mod || e.altKey) return;
    if (/^[1-9]$/.test(e.key)) {
      const l = labels[Number(e.key) - 1];
      if (l) { e.preventDefault(); pickLabel(l); }
      return;
    }
    if (k === 'r') { e.preventDefault(); copyPrevious(); return; }
    if (k === 'arrowright' || k === 'n') { e.preventDefault(); go(1); return; }
    if (k === 'arrowleft' || k === 'p') { e.preventDefault(); go(-1); return; }
    if (k === 'delete' || k === 'backspace') { e.preventDefault(); removeSelected(); return; }
    if (k === 'd') { setTool('draw'); return; }
    if (k === 'v') { setTool('select'); return; }
    if (k === '+' || k === '=') { setZoom((z) => ZOOMS.find((x) => x > z) || z); return; }
    if (k === '-') { setZoom((z) => [...ZOOMS].reverse().find((x) => x < z) || z); return; }
    if (k === '0') { setZoom(1); return; }
    if (k === 'escape') { if (selected >= 0) setSelected(-1); else close(); }
  };
  useEffect(() => {
    document.body.classList.add('modal-open');
    return () => document.body.classList.remove('modal-open');
  }, []);
  useEffect(() => {
    const on = (e) => keys.current(e);
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);

  return html`
    <div class="editor" data-testid="editor" data-ref=${ref} data-state=${!entry ? 'loading' : saving ? 'saving' : dirty ? 'dirty' : 'clean'}
      role="dialog" aria-label="Label the image">
      <div class="editor-bar">
        <button type="button" disabled=${index <= 0 || saving} data-testid="editor-previous" onClick=${() => go(-1)} title="P or ←">← Previous</button>
        <span class="muted" data-testid="editor-position">${index + 1} / ${refs.length}</span>
        <button type="button" disabled=${index >= refs.length - 1 || saving} data-testid="editor-next" onClick=${() => go(1)} title="N or →">Next →</button>
        <span class="file-name editor-name" title=${ref}>${fileNameOf(ref)}</span>
        <span class="spacer"></span>
        <div class="tool-group" role="group" aria-label="Tool">
          <button type="button" class=${tool === 'draw' ? 'active' : ''} data-testid="tool-draw" onClick=${() => setTool('draw')} title="D">Draw</button>
          <button type="button" class=${tool === 'select' ? 'active' : ''} data-testid="tool-select" onClick=${() => setTool('select')} title="V">Select</button>
        </div>
        <div class="tool-group" role="group" aria-label="Zoom">
          <button type="button" data-testid="zoom-out" onClick=${() => setZoom((z) => [...ZOOMS].reverse().find((x) => x < z) || z)} title="−">−</button>
          <span class="zoom-value" data-testid="zoom-value">${Math.round(zoom * 100)}%</span>
          <button type="button" data-testid="zoom-in" onClick=${() => setZoom((z) => ZOOMS.find((x) => x > z) || z)} title="+">+</button>
        </div>
        <button type="button" disabled=${!hist.past.length} data-testid="editor-undo" onClick=${() => setHist(undo)} title="Ctrl+Z">Undo</button>
        <button type="button" disabled=${!hist.future.length} data-testid="editor-redo" onClick=${() => setHist(redo)} title="Ctrl+Shift+Z / Ctrl+Y">Redo</button>
        <button type="button" data-testid="editor-copy" onClick=${copyPrevious} title="R">Copy previous</button>
        <button type="button" disabled=${selected < 0} data-testid="editor-delete-box" onClick=${removeSelected} title="Delete">Delete box</button>
        <button type="button" class="primary" disabled=${!entry || saving || !dirty} data-testid="editor-save" onClick=${() => save()} title="Ctrl+S">${saving ? 'Saving…' : 'Save'}</button>
        <button type="button" data-testid="editor-close" onClick=${close} title="Esc">Close</button>
      </div>
      ${conflict && html`
        <div class="error conflict" role="alert" data-testid="editor-conflict">
          <span data-testid="editor-conflict-message">${conflict}</span>
          <span class="muted">Your boxes are still here.</span>
          <button type="button" data-testid="conflict-reload" onClick=${reloadStored}>Load the stored labels (drop mine)</button>
          <button type="button" data-testid="conflict-overwrite" onClick=${overwrite}>Save mine over them</button>
        </div>`}
      <${ErrorText} error=${error} testid="editor-error" />
      <div class="editor-body">
        <div class="editor-canvas" onWheel=${(e) => {
          if (!e.ctrlKey) return;
          e.preventDefault();
          setZoom((z) => (e.deltaY < 0 ? ZOOMS.find((x) => x > z) || z : [...ZOOMS].reverse().find((x) => x < z) || z));
        }}>
          ${entry ? html`<${BoxCanvas} src=${thumbnailUrl(datasetArn, ref, 1024)} width=${entry.width} height=${entry.height}
            orientation=${entry.orientation} boxes=${boxes} suggestions=${suggestions} labels=${labels} selected=${selected}
            tool=${tool} zoom=${zoom} onDraw=${draw} onSelect=${setSelected}
            onChange=${(i, b) => setBoxes((list) => list.map((x, j) => (j === i ? fit(b) : x)))} />`
            : !error && html`<p class="muted">Loading…</p>`}
        </div>
        <aside class="editor-side">
          <p class="muted small-print" data-testid="editor-status">${status || (dirty ? 'Unsaved changes.' : entry ? 'Saved.' : '')}</p>
          <${LabelList} labels=${labels} current=${label} onPick=${pickLabel} onAdd=${labelsApi.add}
            onRename=${onRename} onDelete=${onDelete} />
          <section>
            <h3>Boxes (${boxes.length})</h3>
            <ol class="box-list" data-testid="editor-box-list">
              ${boxes.map((b, i) => html`
                <li key=${i} class=${i === selected ? 'selected' : ''} data-testid="editor-box-row">
                  <button type="button" class="link-button" onClick=${() => setSelected(i)}>
                    <i class="swatch" style=${{ backgroundColor: colorOf(b.label, labels) }}></i> ${b.label}
                  </button>
                  <span class="muted">${b.left},${b.top} ${b.width}×${b.height}</span>
                </li>`)}
            </ol>
          </section>
          <${SuggestionList} suggestions=${suggestions} labels=${labels}
            onAccept=${(i) => accept([i])}
            onReject=${(i) => change({ suggestions: suggestions.filter((_, j) => j !== i) })}
            onAcceptAbove=${(min) => accept(suggestions.map((s, i) => (s.confidence >= min ? i : -1)).filter((i) => i >= 0))}
            onRejectAll=${() => change({ suggestions: [] })} />
          <details class="key-help">
            <summary>Keys</summary>
            <ul class="plain">
              <li>1–9 label · D draw · V select · Delete removes the box</li>
              <li>Drag a box to move it, a corner to resize it; Shift+drag draws inside a box</li>
              <li>R copy the previous image's boxes</li>
              <li>Ctrl+Z undo · Ctrl+Shift+Z / Ctrl+Y redo · Ctrl+S save</li>
              <li>N / → next · P / ← previous (saves first) · + − zoom · Esc</li>
            </ul>
          </details>
        </aside>
      </div>
    </div>`;
}
