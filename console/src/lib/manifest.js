// Reading Ground Truth manifest lines: the image reference, its labels and its boxes.

export function parseLine(line) {
  try {
    const o = JSON.parse(line);
    return o && typeof o === 'object' && !Array.isArray(o) ? o : null;
  } catch (_) {
    return null;
  }
}

/**
 * Boxes of an object-detection line as ratios of the image: [{label, left, top, width, height}],
 * plus the image-level classification labels.
 */
export function annotationsOf(entry) {
  const boxes = [];
  const labels = new Set();
  if (!entry) return { boxes, labels: [] };
  for (const [attr, value] of Object.entries(entry)) {
    if (attr === 'source-ref' || attr.endsWith('-metadata')) continue;
    const meta = entry[`${attr}-metadata`] || {};
    const classMap = meta['class-map'] || {};
    if (value && typeof value === 'object' && Array.isArray(value.annotations)) {
      const size = (value.image_size && value.image_size[0]) || {};
      const w = Number(size.width) || 0;
      const h = Number(size.height) || 0;
      for (const a of value.annotations) {
        const label = String(classMap[String(a.class_id)] ?? a.class_id);
        labels.add(label);
        if (w > 0 && h > 0) {
          boxes.push({ label, left: a.left / w, top: a.top / h, width: a.width / w, height: a.height / h });
        }
      }
    } else if (meta['class-name'] !== undefined) {
      labels.add(String(meta['class-name']));
    }
  }
  return { boxes, labels: [...labels] };
}

export const fileNameOf = (ref) => String(ref || '').split('/').pop();

/** Non-empty lines of a manifest text. */
export const linesOf = (text) => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** Splits lines into chunks whose joined size stays under `limit` bytes (the API takes 5 MB). */
export function chunkLines(lines, limit = 3 * 1024 * 1024) {
  const chunks = [];
  let cur = [];
  let size = 0;
  for (const l of lines) {
    if (cur.length && size + l.length + 1 > limit) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(l);
    size += l.length + 1;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}
