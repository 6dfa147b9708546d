// Undo / redo over immutable states.
export const historyOf = (present) => ({ past: [], present, future: [] });

export function push(h, present) {
  return { past: [...h.past.slice(-199), h.present], present, future: [] };
}

export function undo(h) {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo(h) {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
