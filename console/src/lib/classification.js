// Pure reading of a classification model's evaluation.json and DetectCustomLabels answer.
// The evaluation of a classifier is a detector's (per-label metrics over whole-image boxes) plus
// `task`, `overall.accuracy`/`overall.macro_f1` and `classification: {task, images, accuracy,
// macro_f1, confusion_matrix: {labels, rows}}` (rows: truth label, columns: predicted label).

const TASKS = new Set(['classification', 'multi-label-classification']);
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** The classification part of an evaluation, or null for a detector (or nothing loaded). */
export function classificationOf(evaluation) {
  if (!evaluation || typeof evaluation !== 'object') return null;
  const c = evaluation.classification && typeof evaluation.classification === 'object' ? evaluation.classification : null;
  const task = [evaluation.task, c?.task].find((t) => TASKS.has(t));
  const o = evaluation.overall || {};
  if (!task && !c && num(o.accuracy) === undefined && num(o.macro_f1) === undefined) return null;
  const matrix = confusionMatrix(evaluation);
  return {
    task: task || 'classification',
    multiLabel: task === 'multi-label-classification',
    accuracy: num(o.accuracy) ?? num(c?.accuracy),
    macroF1: num(o.macro_f1) ?? num(c?.macro_f1),
    images: num(c?.images),
    matrix,
  };
}

/**
 * The confusion matrix as rows for a table: {labels, rows: [{truth, total, cells: [{truth,
 * predicted, count, diagonal}]}], total}, or null when the evaluation has none (multi-label,
 * a detector). Missing or malformed counts read as 0; a row or column the labels lack is cut.
 */
export function confusionMatrix(evaluation) {
  const m = evaluation?.classification?.confusion_matrix || evaluation?.confusion_matrix;
  if (!m || !Array.isArray(m.labels) || !Array.isArray(m.rows) || !m.labels.length) return null;
  const labels = m.labels.map(String);
  let total = 0;
  const rows = labels.map((truth, t) => {
    const src = Array.isArray(m.rows[t]) ? m.rows[t] : [];
    const cells = labels.map((predicted, p) => {
      const n = Number(src[p]);
      const count = Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
      return { truth, predicted, count, diagonal: t === p };
    });
    const rowTotal = cells.reduce((s, c) => s + c.count, 0);
    total += rowTotal;
    return { truth, total: rowTotal, cells };
  });
  return { labels, rows, total };
}

/** Whether a DetectCustomLabels answer is a classifier's: labels, none with a box. */
export function isClassificationAnswer(customLabels) {
  return Array.isArray(customLabels) && customLabels.length > 0 && customLabels.every((l) => !l?.Geometry?.BoundingBox);
}

/** The labels at or above `min` percent (the API's MinConfidence rule), best first. */
export function labelsAtOrAbove(customLabels, min) {
  return (customLabels || [])
    .filter((l) => Number(l.Confidence) >= min)
    .map((l, i) => ({ l, i }))
    .sort((a, b) => Number(b.l.Confidence) - Number(a.l.Confidence) || a.i - b.i)
    .map(({ l }) => l);
}

const OUTCOME_ORDER = { TP: 0, FP: 1, FN: 2 };

/**
 * A classifier's test image from /console/api/evaluation/images as labels, not boxes (each
 * box spans the whole picture): [{label, outcome, confidence?}], right first, then wrong
 * (best first), then missed. An image without boxes answers [].
 */
export function labelOutcomes(image) {
  return (Array.isArray(image?.boxes) ? image.boxes : [])
    .filter((b) => b && b.label !== undefined)
    .map((b) => ({
      label: String(b.label),
      outcome: String(b.outcome || ''),
      confidence: b.outcome === 'FN' || !Number.isFinite(Number(b.confidence)) ? undefined : Number(b.confidence),
    }))
    .sort((a, b) => (OUTCOME_ORDER[a.outcome] ?? 3) - (OUTCOME_ORDER[b.outcome] ?? 3)
      || (b.confidence ?? -1) - (a.confidence ?? -1) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
