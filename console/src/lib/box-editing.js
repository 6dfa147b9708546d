// The editing state both box editors share (the dataset's LabelEditor and the review loop's
// ReviewEditor): boxes and suggestions with undo/redo, the selected box, the tool, the zoom,
// the current label, and the keys that act on them. Boxes are in stored-grid pixels.
import { useState } from 'preact/hooks';
import { historyOf, push, redo, undo } from './history.js';

export const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];
export const zoomIn = (z) => ZOOMS.find((x) => x > z) || z;
export const zoomOut = (z) => [...ZOOMS].reverse().find((x) => x < z) || z;

/** Is the key going into a form field (so no shortcut should take it)? */
export const typing = (el) => el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);

export function useBoxEditing(labels) {
  const [hist, setHist] = useState(historyOf({ boxes: [], suggestions: [] }));
  const [selected, setSelected] = useState(-1);
  const [tool, setTool] = useState('draw');
  const [current, setCurrent] = useState('');
  const [zoom, setZoom] = useState(1);
  const { boxes, suggestions } = hist.present;
  const label = labels.includes(current) ? current : labels[0] || '';

  const change = (next) => setHist((h) => push(h, { ...h.present, ...next }));
  const setBoxes = (fn) => setHist((h) => push(h, { ...h.present, boxes: fn(h.present.boxes) }));
  /** Starts over from `present` ({boxes, suggestions}) with no history. */
  const reset = (present) => {
    setHist(historyOf({ boxes: [], suggestions: [], ...present }));
    setSelected(-1);
  };
  const addBox = (box) => {
    setBoxes((list) => [...list, box]);
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
  const doUndo = () => { setHist(undo); setSelected(-1); };
  const doRedo = () => { setHist(redo); setSelected(-1); };

  /** The shared keys; answers true when the key was one of them. */
  const handleKey = (e) => {
    const k = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (mod && k === 'z' && !e.shiftKey) { e.preventDefault(); doUndo(); return true; }
    if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) { e.preventDefault(); doRedo(); return true; }
    if (mod || e.altKey) return false;
    if (/^[1-9]$/.test(e.key)) {
      const l = labels[Number(e.key) - 1];
      if (l) { e.preventDefault(); pickLabel(l); }
      return true;
    }
    if (k === 'delete' || k === 'backspace') { e.preventDefault(); removeSelected(); return true; }
    if (k === 'd') { setTool('draw'); return true; }
    if (k === 'v') { setTool('select'); return true; }
    if (k === '+' || k === '=') { setZoom(zoomIn); return true; }
    if (k === '-') { setZoom(zoomOut); return true; }
    if (k === '0') { setZoom(1); return true; }
    return false;
  };

  return {
    hist, setHist, boxes, suggestions, selected, setSelected, tool, setTool, zoom, setZoom,
    current, setCurrent, label, change, setBoxes, reset, addBox, pickLabel, removeSelected,
    undo: doUndo, redo: doRedo, handleKey,
  };
}
