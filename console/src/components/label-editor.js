import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteLabel, getEntry, renameLabel, saveEntry } from '../lib/entry-api.js';
import { detectionLine, sameBoxes, storedBoxesOf } from '../lib/labelling.js';
import { parseLine, fileNameOf } from '../lib/manifest.js';
import { historyOf } from '../lib/history.js';
import { typing, useBoxEditing } from '../lib/box-editing.js';
import { roundBox, storedToUprightRatio, uprightRatioToStored } from '../lib/orientation.js';
import { thumbnailUrl } from './gallery-item.js';
import { EditorTools } from './editor-tools.js';
import { EditorSurface } from './editor-surface.js';
import { EditorBoxList } from './editor-box-list.js';
import { LabelList } from './label-list.js';
import { SuggestionList } from './suggestion-list.js';
import { ErrorText } from './error-text.js';

/**
 * Box labelling of one image at a time, over the gallery's page of images (refs).
 * Boxes live in stored-grid pixels; the picture shown is the upright thumbnail.
 */
export function LabelEditor({ datasetArn, projectArn, refs, index, onIndex, onClose, labels, labelsApi,
  suggestionsOf, onSuggestions, onSaved, onInfo, onLabelsRewritten }) {
  const ref = refs[index];
  const [entry, setEntry] = useState(null);
  const ed = useBoxEditing(labels);
  const { setHist, boxes, suggestions, selected, setSelected, current, setCurrent, label, change, setBoxes } = ed;
  const [baseline, setBaseline] = useState([]);
  const [error, setError] = useState(null);
  const [conflict, setConflict] = useState('');
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const previous = useRef(null); // the boxes of the image left last, as ratios of its upright picture

  const dirty = entry && !sameBoxes(baseline, boxes);

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

  const fit = (b) => roundBox(b, entry.width, entry.height);

  const draw = (b) => {
    if (!label) {
      setError('Add a label first: type its name under Labels.');
      return;
    }
    setError(null);
    ed.addBox({ ...fit(b), label });
  };
  const { pickLabel } = ed;
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
    if (mod && k === 's') { e.preventDefault(); save(); return; }
    if (ed.handleKey(e) || mod || e.altKey) return;
    if (k === 'r') { e.preventDefault(); copyPrevious(); return; }
    if (k === 'arrowright' || k === 'n') { e.preventDefault(); go(1); return; }
    if (k === 'arrowleft' || k === 'p') { e.preventDefault(); go(-1); return; }
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
        <${EditorTools} ed=${ed} />
        <button type="button" data-testid="editor-copy" onClick=${copyPrevious} title="R">Copy previous</button>
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
        <${EditorSurface} ed=${ed} labels=${labels} onDraw=${draw}
          image=${entry && { src: thumbnailUrl(datasetArn, ref, 1024), width: entry.width, height: entry.height, orientation: entry.orientation }}
          onChange=${(i, b) => setBoxes((list) => list.map((x, j) => (j === i ? fit(b) : x)))}
          placeholder=${!error && html`<p class="muted">Loading…</p>`} />
        <aside class="editor-side">
          <p class="muted small-print" data-testid="editor-status">${status || (dirty ? 'Unsaved changes.' : entry ? 'Saved.' : '')}</p>
          <${LabelList} labels=${labels} current=${label} onPick=${pickLabel} onAdd=${labelsApi.add}
            onRename=${onRename} onDelete=${onDelete} />
          <${EditorBoxList} ed=${ed} labels=${labels} />
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
