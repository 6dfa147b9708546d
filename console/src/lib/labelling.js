// Manifest lines the console writes: Ground Truth object detection (boxes in stored-grid
// pixels) and image-level classification labels. Everything else on a line is kept as it was.
import { parseLine } from './manifest.js';

export const JOB_NAME = 'apiary-console';
const DETECTION = 'groundtruth/object-detection';
const CLASSIFICATION = 'groundtruth/image-classification';

const now = () => new Date().toISOString().replace('Z', '');

/** The detection attribute of a line (its name and value), or null. */
export function detectionAttr(entry) {
  for (const [attr, value] of Object.entries(entry || {})) {
    if (attr === 'source-ref' || attr.endsWith('-metadata')) continue;
    if (value && typeof value === 'object' && Array.isArray(value.annotations)) return attr;
  }
  return null;
}

/** Classification attributes of a line: [{attr, label}]. */
export function classificationAttrs(entry) {
  const out = [];
  for (const [attr, value] of Object.entries(entry || {})) {
    if (attr === 'source-ref' || attr.endsWith('-metadata')) continue;
    const meta = entry[`${attr}-metadata`];
    if (meta && meta['class-name'] !== undefined && (typeof value === 'number' || typeof value === 'string')) {
      out.push({ attr, label: String(meta['class-name']) });
    }
  }
  return out;
}

/** The boxes of a line in stored-grid pixels: [{label, left, top, width, height}]. */
export function storedBoxesOf(entry) {
  const attr = detectionAttr(entry);
  if (!attr) return [];
  const classMap = entry[`${attr}-metadata`]?.['class-map'] || {};
  return entry[attr].annotations.map((a) => ({
    label: String(classMap[String(a.class_id)] ?? a.class_id),
    left: Number(a.left) || 0, top: Number(a.top) || 0, width: Number(a.width) || 0, height: Number(a.height) || 0,
  }));
}

/**
 * The line with its detection labels replaced by `boxes` (stored-grid pixels, whole numbers),
 * class ids in the order of `labels` (the project's labels).
 */
export function detectionLine(line, boxes, labels, width, height) {
  const entry = parseLine(line) || {};
  const attr = detectionAttr(entry) || 'bounding-box';
  const order = [...labels];
  for (const b of boxes) if (!order.includes(b.label)) order.push(b.label);
  const classMap = {};
  const annotations = boxes.map((b) => {
    const id = order.indexOf(b.label);
    classMap[String(id)] = b.label;
    return { class_id: id, left: Math.round(b.left), top: Math.round(b.top), width: Math.round(b.width), height: Math.round(b.height) };
  });
  const out = { ...entry };
  out[attr] = { image_size: [{ width, height, depth: 3 }], annotations };
  out[`${attr}-metadata`] = {
    'class-map': classMap,
    type: DETECTION,
    'human-annotated': 'yes',
    'job-name': JOB_NAME,
    'creation-date': now(),
    objects: annotations.map(() => ({ confidence: 1 })),
  };
  return JSON.stringify(out);
}

/**
 * The line with the image-level label `label` (null when it already has it). A classification
 * dataset holds one label per image, so an image's other image-level label is replaced; its
 * attribute name is kept ("class" when it had none).
 */
export function withClassLabel(line, label, labels) {
  const entry = parseLine(line) || {};
  const have = classificationAttrs(entry);
  if (have.length === 1 && have[0].label === label) return null;
  const out = { ...entry };
  for (const { attr } of have) {
    delete out[attr];
    delete out[`${attr}-metadata`];
  }
  // An object-detection placeholder without boxes (an image added unlabelled) gives way.
  const det = detectionAttr(out);
  if (det && !out[det].annotations.length) {
    delete out[det];
    delete out[`${det}-metadata`];
  }
  let attr = have.length ? have[0].attr : 'class';
  for (let n = 2; attr in out; n++) attr = `class-${n}`;
  const id = labels.indexOf(label);
  out[attr] = id >= 0 ? id : labels.length;
  out[`${attr}-metadata`] = {
    'class-name': label,
    type: CLASSIFICATION,
    confidence: 1,
    'human-annotated': 'yes',
    'job-name': JOB_NAME,
    'creation-date': now(),
  };
  return JSON.stringify(out);
}

/** The line without the image-level label `label` (null when it does not have it). */
export function withoutClassLabel(line, label) {
  const entry = parseLine(line) || {};
  const drop = classificationAttrs(entry).filter((c) => c.label === label);
  if (!drop.length) return null;
  const out = { ...entry };
  for (const { attr } of drop) {
    delete out[attr];
    delete out[`${attr}-metadata`];
  }
  return JSON.stringify(out);
}

/** Two box lists equal (same labels, same whole-pixel coordinates, same order)? */
export function sameBoxes(a, b) {
  if (a.length !== b.length) return false;
  return a.every((x, i) => x.label === b[i].label && ['left', 'top', 'width', 'height']
    .every((k) => Math.round(x[k]) === Math.round(b[i][k])));
}

/**
 * An image with no boxes yet. UpdateDatasetEntries refuses a line with only a source-ref
 * ("missing-label"), so an unlabelled image goes in as an object-detection line without boxes.
 */
export function unlabelledLine(ref) {
  return JSON.stringify({
    'source-ref': ref,
    'bounding-box': { annotations: [] },
    'bounding-box-metadata': { 'class-map': {}, type: DETECTION, 'human-annotated': 'no', 'job-name': JOB_NAME, 'creation-date': now(), objects: [] },
  });
}
